import pytest

from compliance.models import Flag, Resolution
from compliance.run import flags_check
from tests.helpers import wita

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_reminds_by_whatsapp_and_closes_a_flag(page, secretariat, officer, election):
    flags_check(now=wita(2024, 11, 2, 21, 0))
    page.login(secretariat)
    page.goto(f"{page.base_url}/compliance/flags/")
    page.shot("compliance-flags")

    samarinda = page.locator("#flags li[data-regency='64.72']").first
    link = samarinda.get_by_role("link", name="Ingatkan via WhatsApp").get_attribute("href")
    assert link.startswith("https://wa.me/6281100000001?text=Yth.%20Desk%20Pilkada%20Kota%20Samarinda")

    samarinda.locator("summary").click()
    samarinda.locator("textarea[name=note]").fill("Sudah melapor lewat telepon ke sekretariat.")
    with page.expect_navigation():
        samarinda.get_by_role("button", name="Tutup", exact=True).click()
    assert "ditutup" in page.inner_text("main")
    assert Flag.objects.filter(resolution=Resolution.DISMISSED, resolved_by=secretariat).count() == 1
