"""Browser proof: the Samarinda officer records a receipt on the logistics page and sees the status change."""

import pytest
import time_machine

from logistics.models import LogisticsReceipt
from tests.logistics.conftest import NOW, cover_every_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ticking_now():
    with time_machine.travel(NOW, tick=True):
        yield


def test_officer_records_a_receipt_and_sees_the_status_update(page, officer, election, ticking_now):
    page.login(officer)
    page.goto(f"{page.base_url}/logistics/")
    ink = page.locator("#item-ink")
    assert ink.get_attribute("data-complete") == "no"
    assert "12 barang belum lengkap" in page.inner_text("#overall-status")

    ink.get_by_role("button", name="Catat").click()
    page.wait_for_selector("#form-ink.show")
    form = page.locator("#form-ink")
    form.get_by_label("Diterima layak pakai").fill("10")
    page.shot("logistics-officer-form")
    with page.expect_navigation():
        form.get_by_role("button", name="Simpan penerimaan").click()
    assert "Penerimaan Tinta dicatat" in page.inner_text("main")
    assert page.locator("#item-ink [data-col=received]").inner_text() == "10"
    assert page.locator("#item-ink [data-col=missing]").inner_text() == "6"

    # A second delivery completes the item: the receipts add up.
    page.locator("#item-ink").get_by_role("button", name="Catat").click()
    page.wait_for_selector("#form-ink.show")
    page.locator("#form-ink").get_by_label("Diterima layak pakai").fill("6")
    page.locator("#form-ink").get_by_label("Rusak").fill("1")
    with page.expect_navigation():
        page.locator("#form-ink").get_by_role("button", name="Simpan penerimaan").click()
    assert page.locator("#item-ink").get_attribute("data-complete") == "yes"
    assert "11 barang belum lengkap" in page.inner_text("#overall-status")
    assert LogisticsReceipt.objects.filter(item__code="ink").count() == 2
    page.shot("logistics-officer-after")


def test_bad_quantity_shows_the_message_and_keeps_the_form_open(page, officer, election, ticking_now):
    page.login(officer)
    page.goto(f"{page.base_url}/logistics/")
    page.locator("#item-seal").get_by_role("button", name="Catat").click()
    page.wait_for_selector("#form-seal.show")
    page.locator("#form-seal").get_by_label("Diterima layak pakai").fill("-3")
    page.locator("#form-seal").get_by_role("button", name="Simpan penerimaan").click()
    # The refused form comes back rendered at the receipts URL (no redirect).
    page.wait_for_url("**/logistics/64.72/receipts/")
    assert page.locator("#form-seal").is_visible()
    assert "Jumlah tidak boleh negatif." in page.inner_text("#form-seal")
    page.locator("#form-seal").scroll_into_view_if_needed()
    page.shot("logistics-officer-error")
    assert not LogisticsReceipt.objects.exists()


def test_secretariat_sees_the_province_and_drills_into_distribution(
    page, secretariat, officer, election, samarinda, balikpapan, ticking_now
):
    cover_every_item(election, samarinda, officer)
    page.login(secretariat)
    page.goto(f"{page.base_url}/logistics/")
    assert "Lengkap" in page.inner_text("[data-regency='64.72']")
    assert "0/12 lengkap" in page.inner_text("[data-regency='64.71']")
    page.shot("logistics-province")
    with page.expect_navigation():
        page.locator("[data-regency='64.72'] a").last.click()
    assert "Distribusi logistik" in page.inner_text("h1")
    page.shot("logistics-distribution")


def test_officer_marks_all_tps_of_a_district_reached(page, officer, election, ticking_now):
    page.login(officer)
    page.goto(f"{page.base_url}/logistics/")
    with page.expect_navigation():
        page.get_by_role("link", name="Rincian distribusi").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Kota Samarinda D1").click()
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Semua TPS di Kota Samarinda D1 sudah tiba").click()
    assert "4 tempat baru ditandai sudah tiba" in page.inner_text("main")
    assert page.locator("[data-reached]").count() == 2  # both villages of D1
    with page.expect_navigation():
        page.locator("main nav a", has_text="Distribusi").click()
    progress = page.inner_text("#distribution-progress")
    assert "1/2 · 50%" in progress and "2/4 · 50%" in progress and "4/8 · 50%" in progress
    page.shot("logistics-distribution-officer")
