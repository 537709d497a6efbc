"""The compliance notices by WhatsApp and SMS to the officers' own phones: each once, retried, on loopback.

The reminder and the flag notice reach an officer's phone as the officer chose (`notify_by`): SMS as text;
WhatsApp as text within 24 hours of the officer's last WhatsApp message, else as the approved template.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from compliance.models import Notice, NoticeChannel, NoticeKind
from compliance.notices import CHANNEL_FAILURES_TO_PAUSE, notices_queue, notices_send
from compliance.run import check_compliance
from contacts.models import Contact
from contacts.services import contact_edit
from intake.providers import sms_events, whatsapp_events
from intake.services import message_apply, webhook_store
from tests.helpers import run_together, wita

from .conftest import OFFICER_PHONE, sms_received, wa_text
from .loopback import closed_base

pytestmark = pytest.mark.django_db

REMINDER_AT = wita(2024, 11, 20, 19, 0)  # an hour before the 20.00 WITA cutoff
FLAG_AT = wita(2024, 11, 20, 20, 2)  # just after it: 20 November's missed-report flags are news
APPROVED = {"desk_pengingat_laporan": 3, "desk_pengingat_tahap": 3, "desk_tanda_kepatuhan": 3}
WA_TO = OFFICER_PHONE.lstrip("+")


@pytest.fixture
def officer_phone(contacts, officer, channels):
    """Samarinda's officer's own phone; the provider knows the desk's approved templates."""
    channels.templates = dict(APPROVED)
    return contacts["officer"]


def prefer(contact, channel):
    contact_edit(contact=contact, by=contact.user, data={"notify_by": channel}, now=timezone.now())


def officer_writes(payload, at, *, sms=False):
    """A message from the field, stored and applied at `at`, as the webhook and the worker do."""
    with time_machine.travel(at, tick=False):
        messages, statuses = (sms_events if sms else whatsapp_events)(payload)
        [pk] = webhook_store(events=messages, statuses=statuses, now=timezone.now())
        message_apply(message_id=pk, now=timezone.now())


def run(at, capture):
    """The scheduled job at `at`: flags, then notices queued and (after commit) sent."""
    with time_machine.travel(at, tick=False), capture(execute=True):
        return check_compliance(now=at)


def send(at):
    with time_machine.travel(at, tick=False):
        return notices_send()


def reminders(channels, kind):
    """The WhatsApp messages of `kind` carrying the daily reminder (the run also tells of yesterday's flags)."""
    if kind == "text":
        return [m for m in channels.whatsapp_sent("text") if "laporan harian" in m["text"]["body"]]
    return [m for m in channels.whatsapp_sent("template") if m["template"]["name"] != "desk_tanda_kepatuhan"]


def phone_notices(kind=None):
    rows = Notice.objects.exclude(channel=NoticeChannel.EMAIL)
    return rows.filter(kind=kind) if kind else rows


def test_reminder_to_an_officer_who_wrote_today_goes_as_whatsapp_text(
    officer_phone, officer, channels, settings, django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    prefer(officer_phone, "whatsapp")
    officer_writes(wa_text(OFFICER_PHONE, "INFO jalan ke TPS 3 banjir"), wita(2024, 11, 20, 10, 0))

    run(REMINDER_AT, django_capture_on_commit_callbacks)

    [text] = reminders(channels, "text")
    assert text["to"] == WA_TO
    assert text["text"]["body"] == ("Desk Pilkada: laporan harian Kota Samarinda 20 November 2024 belum masuk, "
                                    "batas pukul 20.00 WITA. Balas NIHIL bila tidak ada kejadian menonjol.")
    assert channels.whatsapp_sent("template") == []  # yesterday's flag notice went as text too
    notice = phone_notices(NoticeKind.REMINDER).get()
    assert (notice.kind, notice.channel, notice.phone, notice.attempts) == ("reminder", "whatsapp", OFFICER_PHONE, 1)
    assert notice.sent_at is not None and notice.provider_id.startswith("wamid.OUT")
    # The e-mail reminder is unchanged: still one, to the officer's address.
    mailed = [m for m in mail.outbox if m.subject.startswith("Pengingat")]
    assert [m.to for m in mailed if "Samarinda" in m.subject] == [[officer.email]]


@pytest.mark.parametrize("wrote", [
    pytest.param(None, id="never-wrote"),
    pytest.param(("whatsapp", wita(2024, 11, 19, 18, 59)), id="wrote-24h-and-a-minute-ago"),
    pytest.param(("sms", wita(2024, 11, 20, 18, 0)), id="wrote-by-sms-an-hour-ago"),
])
def test_reminder_outside_the_whatsapp_window_is_the_approved_template(
    officer_phone, channels, wrote, django_capture_on_commit_callbacks,
):
    prefer(officer_phone, "whatsapp")
    if wrote:
        channel, at = wrote
        payload = sms_received(OFFICER_PHONE, "INFO aman") if channel == "sms" else wa_text(OFFICER_PHONE, "INFO aman")
        officer_writes(payload, at, sms=channel == "sms")

    run(REMINDER_AT, django_capture_on_commit_callbacks)

    assert channels.whatsapp_sent("text") == []
    [message] = reminders(channels, "template")
    assert message["to"] == WA_TO and message["messaging_product"] == "whatsapp"
    assert message["template"] == {
        "name": "desk_pengingat_laporan", "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [
            {"type": "text", "text": "Kota Samarinda"}, {"type": "text", "text": "20 November 2024"},
            {"type": "text", "text": "20.00 WITA"},
        ]}],
    }
    assert phone_notices(NoticeKind.REMINDER).get().sent_at is not None


def test_the_template_names_come_from_settings(officer_phone, channels, settings, django_capture_on_commit_callbacks):
    settings.WHATSAPP_TEMPLATE_REMINDER = "pengingat_v2"
    channels.templates = {"pengingat_v2": 3}
    prefer(officer_phone, "whatsapp")
    run(REMINDER_AT, django_capture_on_commit_callbacks)
    assert [m["template"]["name"] for m in reminders(channels, "template")] == ["pengingat_v2"]


def test_sms_preference_goes_by_sms(officer_phone, channels, django_capture_on_commit_callbacks):
    prefer(officer_phone, "sms")
    officer_writes(wa_text(OFFICER_PHONE, "INFO aman"), wita(2024, 11, 20, 18, 0))

    run(REMINDER_AT, django_capture_on_commit_callbacks)

    [sms] = [m for m in channels.sms_sent() if "laporan harian" in m["textMessage"]["text"]]
    assert sms["phoneNumbers"] == [OFFICER_PHONE]
    assert sms["textMessage"]["text"].startswith("Desk Pilkada: laporan harian Kota Samarinda 20 November 2024")
    assert len(sms["textMessage"]["text"]) <= 3 * 153  # three SMS parts at most
    assert channels.whatsapp_sent("text") == channels.whatsapp_sent("template") == []
    notice = phone_notices(NoticeKind.REMINDER).get()
    assert notice.channel == "sms" and notice.provider_id.startswith("sms-out-")


def test_no_preference_gets_nothing_by_phone_and_the_same_mail(
    officer_phone, officer, other_officer, channels, settings, django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert officer_phone.notify_by == "none"
    officer_writes(wa_text(OFFICER_PHONE, "INFO aman"), wita(2024, 11, 20, 18, 0))

    run(REMINDER_AT, django_capture_on_commit_callbacks)
    run(FLAG_AT, django_capture_on_commit_callbacks)

    assert not phone_notices().exists() and channels.sent() == []
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Pengingat: laporan harian Kota Balikpapan 20 November 2024 belum masuk",
        "Pengingat: laporan harian Kota Samarinda 20 November 2024 belum masuk",
        *[f"Tanda kepatuhan: Kota {city} - Laporan harian tidak masuk ({day} November 2024)"
          for city in ("Balikpapan", "Samarinda") for day in (19, 20)],
    ]


def test_flag_notice_by_whatsapp_template_and_by_sms(officer_phone, channels, other_officer, balikpapan,
                                                     django_capture_on_commit_callbacks):
    from contacts.services import contact_create

    prefer(officer_phone, "whatsapp")
    contact_create(regency=balikpapan, by=other_officer, now=timezone.now(), data={
        "phone": "+6281400000004", "name": "Petugas Balikpapan", "role": "officer", "user": other_officer,
        "notify_by": "sms"})

    run(FLAG_AT, django_capture_on_commit_callbacks)
    run(FLAG_AT + dt.timedelta(minutes=5), django_capture_on_commit_callbacks)  # the next run: nothing new

    [template] = channels.whatsapp_sent("template")
    assert template["template"]["name"] == "desk_tanda_kepatuhan"
    assert [p["text"] for p in template["template"]["components"][0]["parameters"]] == [
        "Kota Samarinda", "Laporan harian tidak masuk", "20 November 2024"]
    [sms] = channels.sms_sent()
    assert sms["phoneNumbers"] == ["+6281400000004"]
    assert sms["textMessage"]["text"] == ("Desk Pilkada, tanda kepatuhan: Kota Balikpapan - Laporan harian tidak "
                                          "masuk untuk 20 November 2024, batas waktu 20 November 2024 20.00 WITA.")
    assert phone_notices(NoticeKind.FLAG_RAISED).count() == 2


def test_round_reminder_by_whatsapp_template(officer_phone, channels, django_capture_on_commit_callbacks):
    prefer(officer_phone, "whatsapp")
    run(wita(2024, 11, 27, 9, 30), django_capture_on_commit_callbacks)  # the opening round is due at 10.00
    rounds = [m["template"] for m in channels.whatsapp_sent("template")
              if m["template"]["name"] == "desk_pengingat_tahap"]
    assert [[p["text"] for p in t["components"][0]["parameters"]] for t in rounds] == [
        ["Pembukaan TPS", "Kota Samarinda", "10.00 WITA"]]


def test_an_officer_acting_in_another_role_or_a_deactivated_phone_gets_nothing(officer_phone, officer, channels):
    from django.contrib.auth.models import Group

    from contacts.selectors import province_desk_phones

    prefer(officer_phone, "sms")
    assert province_desk_phones(province_code="64") == {"64.72": [("sms", OFFICER_PHONE)]}
    officer.groups.add(Group.objects.get_or_create(name="admin")[0])
    assert province_desk_phones(province_code="64") == {}
    officer.groups.remove(Group.objects.get(name="admin"))
    contact_edit(contact=officer_phone, by=officer, data={"active": False}, now=timezone.now())
    assert province_desk_phones(province_code="64") == {}


def test_the_phones_of_a_province_are_one_query(officer_phone, officer, django_assert_num_queries):
    from contacts.selectors import province_desk_phones
    from tests import factories

    prefer(officer_phone, "whatsapp")
    for n in range(1, 6):
        regency = factories.regency_make(f"64.0{n}", f"Kabupaten {n}", districts=1, villages=1, tps=1)
        user = factories.officer_make(regency)
        Contact.objects.create(phone=f"+62811000100{n:02d}", name=f"Petugas {n}", role="officer", regency=regency,
                               user=user, notify_by="sms", created_at=timezone.now())
    with django_assert_num_queries(1):
        phones = province_desk_phones(province_code="64")
    assert len(phones) == 6


# --- exactly once, retried ---

@pytest.fixture
def queued(officer_phone, channels):
    """Samarinda's reminder queued for the officer's WhatsApp (and e-mail)."""
    prefer(officer_phone, "whatsapp")
    with time_machine.travel(REMINDER_AT, tick=False):
        notices_queue(election=_election(), now=REMINDER_AT)
    return phone_notices().get()


def _election():
    from elections.models import Election

    return Election.objects.get()


def test_overlapping_queue_runs_queue_each_once_and_sending_twice_sends_once(officer_phone, channels):
    prefer(officer_phone, "whatsapp")
    election = _election()
    assert notices_queue(election=election, now=REMINDER_AT) > 0
    assert notices_queue(election=election, now=REMINDER_AT + dt.timedelta(minutes=5)) == 0
    assert phone_notices().count() == 1

    assert send(REMINDER_AT) >= 1
    assert send(REMINDER_AT) == 0
    assert len(channels.whatsapp_sent("template")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_queue_runs_make_one_row_per_notice_channel_and_phone(officer_phone, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    prefer(officer_phone, "sms")
    election = _election()
    errors = run_together(lambda: notices_queue(election=election, now=REMINDER_AT))
    assert errors == []
    assert list(phone_notices().values_list("key", "channel", "phone")) == [
        (f"reminder:{election.pk}:64.72:2024-11-20", "sms", OFFICER_PHONE)]
    assert Notice.objects.filter(channel=NoticeChannel.EMAIL, kind=NoticeKind.REMINDER).count() == 1


def test_provider_answering_500_counts_the_attempt_releases_the_claim_and_the_next_run_sends_once(queued, channels):
    channels.fail_next = 1
    assert send(REMINDER_AT) == 1  # the e-mail went; the WhatsApp did not
    queued.refresh_from_db()
    assert (queued.attempts, queued.claimed_at, queued.sent_at) == (1, None, None)
    assert "500" in queued.last_error

    assert send(REMINDER_AT + dt.timedelta(minutes=15)) == 1
    assert send(REMINDER_AT + dt.timedelta(minutes=30)) == 0
    queued.refresh_from_db()
    assert (queued.attempts, queued.last_error) == (2, "") and queued.sent_at is not None
    assert len(channels.whatsapp_sent("template")) == 1 and len(channels.sent()) == 2


def test_provider_unreachable_is_retried_on_the_next_run(queued, channels, settings):
    reachable = settings.WHATSAPP_API_URL
    settings.WHATSAPP_API_URL = f"{closed_base()}/v21.0"
    send(REMINDER_AT)
    queued.refresh_from_db()
    assert (queued.attempts, queued.claimed_at, queued.sent_at) == (1, None, None)
    assert "tidak terjangkau" in queued.last_error

    settings.WHATSAPP_API_URL = reachable
    send(REMINDER_AT + dt.timedelta(minutes=15))
    send(REMINDER_AT + dt.timedelta(minutes=30))
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.attempts == 2
    assert len(channels.whatsapp_sent("template")) == 1


def test_after_max_attempts_a_notice_is_no_longer_tried(queued, channels):
    channels.fail_next = 100
    for run_number in range(Notice.MAX_ATTEMPTS + 2):
        send(REMINDER_AT + dt.timedelta(minutes=15 * run_number))
    queued.refresh_from_db()
    assert queued.attempts == Notice.MAX_ATTEMPTS and queued.sent_at is None
    assert len(channels.sent()) == Notice.MAX_ATTEMPTS

    channels.fail_next = 0
    assert send(REMINDER_AT + dt.timedelta(hours=3)) == 0
    assert len(channels.sent()) == Notice.MAX_ATTEMPTS


def test_a_template_whatsapp_refuses_is_recorded_and_retried(queued, channels):
    channels.templates = {}
    send(REMINDER_AT)
    queued.refresh_from_db()
    assert "132001" in queued.last_error and queued.sent_at is None and queued.attempts == 1


def test_a_channel_that_keeps_failing_is_paused_for_the_run_and_the_others_still_go(channels, election, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    channels.templates = dict(APPROVED)
    rows = [Notice(key=f"reminder:x:{n}", kind="reminder", channel="whatsapp", phone=f"+62811000200{n:02d}",
                   subject="S", body="B", template={"name": "desk_pengingat_laporan", "params": ["a", "b", "c"]},
                   created_at=REMINDER_AT) for n in range(CHANNEL_FAILURES_TO_PAUSE + 2)]
    Notice.objects.bulk_create([*rows, Notice(key="reminder:x:mail", kind="reminder", recipients=["a@example.org"],
                                              subject="S", body="B", created_at=REMINDER_AT)])
    channels.fail_next = 100

    assert send(REMINDER_AT) == 1  # the e-mail
    assert len(channels.sent()) == CHANNEL_FAILURES_TO_PAUSE
    attempts = sorted(phone_notices().values_list("attempts", flat=True))
    assert attempts == [0, 0, 1, 1, 1] and len(mail.outbox) == 1


# --- the window starts when the officer writes on WhatsApp ---

def test_whatsapp_message_opens_the_window_only_forward_in_time(contacts):
    contact = contacts["officer"]
    officer_writes(wa_text(OFFICER_PHONE, "INFO satu"), wita(2024, 11, 20, 10, 0))
    contact.refresh_from_db()
    assert contact.last_whatsapp_at == wita(2024, 11, 20, 10, 0)
    # A message that reaches us later but was written earlier (the sweep after an outage) moves nothing back.
    officer_writes(wa_text(OFFICER_PHONE, "INFO dua", at=wita(2024, 11, 20, 8, 0)), wita(2024, 11, 20, 11, 0))
    contact.refresh_from_db()
    assert contact.last_whatsapp_at == wita(2024, 11, 20, 10, 0)
    assert contact.history.count() == 1  # not an edit of the contact


def test_an_sms_does_not_open_the_whatsapp_window(contacts):
    officer_writes(sms_received(OFFICER_PHONE, "INFO aman"), wita(2024, 11, 20, 10, 0), sms=True)
    contacts["officer"].refresh_from_db()
    assert contacts["officer"].last_whatsapp_at is None
