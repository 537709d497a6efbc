"""Replies retried until the provider takes them; API messages/ and the /intake/ inbox, scoped both ways."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts.channels import ChannelError
from intake.models import InboundMessage, OutboundMessage
from intake.providers import whatsapp_events
from intake.services import message_apply, reply_send, webhook_store
from reports.models import DailyReport

from .conftest import CAMAT_PHONE, LURAH_PHONE, OFFICER_PHONE, STRANGER_PHONE, wa_text

pytestmark = pytest.mark.django_db


def receive(payload):
    messages, statuses = whatsapp_events(payload)
    [pk] = webhook_store(events=messages, statuses=statuses, now=timezone.now())
    return message_apply(message_id=pk, now=timezone.now())


def test_a_refused_send_is_kept_and_retried_until_sent_once(contacts, frozen, channels):
    message = receive(wa_text(LURAH_PHONE, "INFO hujan deras"))
    outbound = OutboundMessage.objects.get(inbound=message)
    channels.fail_next = 2
    for _attempt in range(2):
        with pytest.raises(ChannelError):
            reply_send(outbound_id=outbound.pk, now=timezone.now())
        outbound.refresh_from_db()
        assert outbound.state == "pending" and "500" in outbound.last_error
    assert reply_send(outbound_id=outbound.pk, now=timezone.now()) is True
    assert reply_send(outbound_id=outbound.pk, now=timezone.now()) is False  # sent: never again
    outbound.refresh_from_db()
    assert (outbound.state, outbound.attempts, outbound.last_error) == ("sent", 3, "")
    assert len(channels.sent()) == 3  # two refused, one accepted


def test_without_credentials_the_reply_is_printed_to_the_console(contacts, frozen, settings, capsys):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    message = receive(wa_text(LURAH_PHONE, "INFO jalan licin"))
    assert reply_send(outbound_id=message.outbound.pk, now=timezone.now())
    assert "[whatsapp -> 6281200000002] Info dicatat" in capsys.readouterr().out


@pytest.fixture
def inbox(contacts, frozen, other_officer, balikpapan):
    from contacts.services import contact_create

    contact_create(regency=balikpapan, by=other_officer, now=timezone.now(),
                   data={"phone": "+6281400000004", "name": "Camat Balikpapan", "role": "camat"})
    return {
        "ours": receive(wa_text(CAMAT_PHONE, "INFO Rapat PPK lancar")),
        "theirs": receive(wa_text("+6281400000004", "INFO Pasar aman")),
        "stranger": receive(wa_text(STRANGER_PHONE, "halo")),
    }


def test_api_messages_scoped(api, inbox, officer, other_officer, secretariat):
    assert api.get("/api/v1/messages/").status_code == 401
    api.as_user(officer)
    body = api.get("/api/v1/messages/").json()
    assert body["count"] == 1
    [row] = body["results"]
    assert set(row) == {"id", "channel", "sender", "contact", "received_at", "text", "kind", "outcome", "reply"}
    assert (row["channel"], row["sender"], row["kind"], row["outcome"]) == ("whatsapp", CAMAT_PHONE, "info", "applied")
    assert row["contact"]["name"] == "Pak Camat Dua" and row["contact"]["district"] == "64.72.02"
    assert api.get(f"/api/v1/messages/{inbox['theirs'].pk}/").status_code == 404
    assert api.get(f"/api/v1/messages/{inbox['stranger'].pk}/").status_code == 404
    assert api.post("/api/v1/messages/", {}, format="json").status_code == 405
    api.as_user(secretariat)
    senders = {row["sender"] for row in api.get("/api/v1/messages/").json()["results"]}
    assert senders == {CAMAT_PHONE, "+6281400000004", STRANGER_PHONE}


def test_inbox_page_officer_and_secretariat(client, inbox, officer, secretariat):
    assert client.get("/intake/").status_code == 302
    client.force_login(officer)
    html = client.get("/intake/").content.decode()
    assert "Rapat PPK lancar" in html and "Kota Samarinda D2" in html
    assert "Pasar aman" not in html and "Nomor belum terdaftar" not in html
    client.force_login(secretariat)
    html = client.get("/intake/").content.decode()
    assert "Rapat PPK lancar" in html and "Pasar aman" in html
    assert "Nomor belum terdaftar" in html and STRANGER_PHONE in html


def test_inbox_query_count_does_not_grow_with_messages(client, inbox, secretariat, django_assert_max_num_queries):
    client.force_login(secretariat)
    client.get("/intake/")
    for n in range(10):
        receive(wa_text(LURAH_PHONE, f"INFO pesan {n}"))
    with django_assert_max_num_queries(8):
        assert client.get("/intake/").status_code == 200


def test_officer_takes_an_info_note_into_todays_report(client, inbox, officer, frozen):
    receive(wa_text(OFFICER_PHONE, "LAPOR AMAN Kondisi umum aman"))
    client.force_login(officer)
    message = inbox["ours"]
    response = client.post(f"/intake/{message.pk}/take/")
    assert response.status_code == 302
    report = DailyReport.objects.get()
    assert report.district_notes == {"64.72.02": "Rapat PPK lancar (pesan lapangan: Pak Camat Dua)"}
    assert report.sources == ["district"]
    assert report.history.count() == 2
    # Once only.
    client.post(f"/intake/{message.pk}/take/")
    report.refresh_from_db()
    assert report.district_notes["64.72.02"].count("Rapat PPK") == 1


def test_taking_a_note_without_todays_report_says_so(client, inbox, officer):
    client.force_login(officer)
    response = client.post(f"/intake/{inbox['ours'].pk}/take/", follow=True)
    assert "Belum ada laporan hari ini" in response.content.decode()
    assert InboundMessage.objects.get(pk=inbox["ours"].pk).taken_into_report_at is None


def test_another_regencys_officer_cannot_take_a_note(client, inbox, other_officer):
    client.force_login(other_officer)
    assert client.post(f"/intake/{inbox['ours'].pk}/take/").status_code == 404


def test_stale_sending_claim_is_retried(contacts, frozen, channels):
    message = receive(wa_text(LURAH_PHONE, "INFO tertahan"))
    OutboundMessage.objects.filter(inbound=message).update(state="sending", claimed_at=timezone.now())
    assert reply_send(outbound_id=message.outbound.pk, now=timezone.now()) is False
    later = timezone.now() + dt.timedelta(minutes=6)
    assert reply_send(outbound_id=message.outbound.pk, now=later) is True


def test_admin_reads_messages_and_manages_contacts(client, inbox, admin_user):
    client.force_login(admin_user)
    contact = inbox["ours"].contact
    for url in ["/admin/contacts/contact/", f"/admin/contacts/contact/{contact.pk}/change/",
                f"/admin/contacts/contact/{contact.pk}/history/", "/admin/intake/inboundmessage/",
                f"/admin/intake/inboundmessage/{inbox['ours'].pk}/change/", "/admin/intake/outboundmessage/",
                "/admin/contacts/contact/add/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/intake/inboundmessage/add/").status_code == 403


def test_secretariat_filters_the_inbox_by_regency(client, inbox, secretariat):
    client.force_login(secretariat)
    html = client.get("/intake/", {"regency": "64.72"}).content.decode()
    assert "Rapat PPK lancar" in html and "Pasar aman" not in html and STRANGER_PHONE in html
    for hostile in ["65.71", "\x00", "x" * 500]:
        html = client.get("/intake/", {"regency": hostile}).content.decode()
        assert "Rapat PPK lancar" in html and "Pasar aman" in html
    assert client.get("/contacts/", {"regency": "\x00"}).status_code == 200


def test_a_regency_level_note_goes_into_the_summary_with_its_source(client, contacts, frozen, officer, samarinda):
    from contacts.services import contact_create

    contact_create(regency=samarinda, by=officer, now=timezone.now(),
                   data={"phone": "081500000005", "name": "KPU Samarinda", "role": "kpu"})
    receive(wa_text(OFFICER_PHONE, "LAPOR AMAN Kondisi umum aman"))
    note = receive(wa_text("+6281500000005", "INFO Logistik tiba di gudang KPU"))
    client.force_login(officer)
    client.post(f"/intake/{note.pk}/take/")
    report = DailyReport.objects.get()
    assert report.summary == "Kondisi umum aman\nLogistik tiba di gudang KPU (pesan lapangan: KPU Samarinda)"
    assert report.sources == ["kpu"] and report.district_notes == {}
