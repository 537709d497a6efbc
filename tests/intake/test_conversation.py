"""One contact's (or one unregistered number's) conversation: in order, with our replies, scoped both ways."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.services import contact_create
from intake.models import OutboundMessage
from intake.providers import whatsapp_events
from intake.services import message_apply, webhook_store
from intake.views import CONVERSATION_LIMIT
from tests import factories

from .conftest import CAMAT_PHONE, LURAH_PHONE, STRANGER_PHONE, wa_status, wa_text

pytestmark = pytest.mark.django_db


def receive(payload):
    messages, statuses = whatsapp_events(payload)
    ids = webhook_store(events=messages, statuses=statuses, now=timezone.now())
    return message_apply(message_id=ids[0], now=timezone.now()) if ids else None


@pytest.fixture
def thread(contacts, frozen, balikpapan, other_officer, other_province_regency):
    """The lurah's three messages a minute apart (the second one's reply read), Balikpapan's and Tarakan's
    contacts with one message each, and a stranger's two."""
    lurah = contacts["lurah"]
    first = receive(wa_text(LURAH_PHONE, "INFO Jalan ke TPS 3 licin"))
    frozen.shift(dt.timedelta(minutes=1))
    second = receive(wa_text(LURAH_PHONE, "apa kabar pak"))
    OutboundMessage.objects.filter(inbound=second).update(state="sent", provider_id="wamid.OUT1")
    webhook_store(events=[], statuses=whatsapp_events(wa_status("wamid.OUT1", "read"))[1], now=timezone.now())
    frozen.shift(dt.timedelta(minutes=1))
    third = receive(wa_text(LURAH_PHONE, "INFO Kotak suara sudah tiba di PPS"))
    theirs = contact_create(regency=balikpapan, by=other_officer, now=timezone.now(),
                            data={"phone": "+6281400000004", "name": "Camat Balikpapan", "role": "camat"})
    receive(wa_text("+6281400000004", "INFO Pasar aman"))
    tarakan = contact_create(regency=other_province_regency, by=factories.officer_make(other_province_regency),
                             now=timezone.now(), data={"phone": "+6281500000005", "name": "KPU Tarakan", "role": "kpu"})
    receive(wa_text("+6281500000005", "INFO Gudang aman"))
    receive(wa_text(STRANGER_PHONE, "halo ini siapa"))
    receive(wa_text(STRANGER_PHONE, "INFO ada bagi-bagi amplop"))
    return {"lurah": lurah, "messages": [first, second, third], "theirs": theirs, "tarakan": tarakan}


def url(contact):
    return f"/intake/conversations/{contact.pk}/"


NUMBER_URL = f"/intake/conversations/number/{STRANGER_PHONE}/"


def test_anonymous_is_sent_to_log_in(client, thread):
    for path in [url(thread["lurah"]), NUMBER_URL]:
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_thread_alternates_their_messages_and_our_replies_oldest_first(client, thread, officer):
    client.force_login(officer)
    html = client.get(url(thread["lurah"])).content.decode()
    first, second, third = thread["messages"]
    order = [html.index(f'id="message-{first.pk}"'), html.index(f'id="reply-{first.pk}"'),
             html.index(f'id="message-{second.pk}"'), html.index(f'id="reply-{second.pk}"'),
             html.index(f'id="message-{third.pk}"'), html.index(f'id="reply-{third.pk}"')]
    assert order == sorted(order)
    assert "Jalan ke TPS 3 licin" in html and first.reply in html
    # Kind and outcome of each message, the delivery status of each reply, the time in the province's zone.
    assert "Info lapangan" in html and "Diterapkan" in html and "Tidak dikenali" in html and "Ditolak" in html
    assert html.count(">Dibaca<") == 1 and html.count(">Menunggu<") == 2
    assert f'datetime="{timezone.localtime(first.received_at).isoformat()}"' in html
    assert ">10.00<" in html and ">10.02<" in html  # 10.00 WITA, frozen
    assert "Pasar aman" not in html and "ada bagi-bagi amplop" not in html


def test_officer_reads_only_their_regencys_contacts(client, thread, officer, other_officer):
    client.force_login(officer)
    assert client.get(url(thread["lurah"])).status_code == 200
    assert client.get(url(thread["theirs"])).status_code == 404
    assert client.get(url(thread["tarakan"])).status_code == 404
    assert client.get(NUMBER_URL).status_code == 404  # the unregistered numbers are the secretariat's
    client.force_login(other_officer)
    assert client.get(url(thread["lurah"])).status_code == 404
    assert "Pasar aman" in client.get(url(thread["theirs"])).content.decode()


def test_secretariat_reads_the_provinces_contacts_and_the_unregistered_numbers(client, thread, secretariat):
    client.force_login(secretariat)
    assert "Kotak suara sudah tiba" in client.get(url(thread["lurah"])).content.decode()
    assert "Pasar aman" in client.get(url(thread["theirs"])).content.decode()
    assert client.get(url(thread["tarakan"])).status_code == 404
    html = client.get(NUMBER_URL).content.decode()
    assert html.index("halo ini siapa") < html.index("ada bagi-bagi amplop")
    assert "Nomor belum terdaftar" in html and "Nomor Anda belum terdaftar" in html
    # A number that sent nothing, or only as a registered contact, has no conversation here.
    assert client.get("/intake/conversations/number/+6289999999999/").status_code == 404
    assert client.get(f"/intake/conversations/number/{LURAH_PHONE}/").status_code == 404
    for hostile in ["%00", "x" * 40]:
        assert client.get(f"/intake/conversations/number/{hostile}/").status_code == 404


def test_national_desk_is_refused_and_admin_reads_everything(client, thread, national, admin_user):
    client.force_login(national)
    assert client.get(url(thread["lurah"])).status_code == 403
    assert client.get(NUMBER_URL).status_code == 403
    client.force_login(admin_user)
    assert "Gudang aman" in client.get(url(thread["tarakan"])).content.decode()
    assert "halo ini siapa" in client.get(NUMBER_URL).content.decode()


def test_a_contact_without_messages_has_an_empty_conversation(client, contacts, officer):
    client.force_login(officer)
    html = client.get(url(contacts["camat"])).content.decode()
    assert 'id="conversation-empty"' in html and "Pak Camat Dua" in html


def test_inbox_and_contact_list_link_to_the_conversations(client, thread, officer, secretariat):
    client.force_login(officer)
    assert f'href="{url(thread["lurah"])}"' in client.get("/intake/").content.decode()
    assert f'href="{url(thread["lurah"])}"' in client.get("/contacts/").content.decode()
    client.force_login(secretariat)
    assert f'href="{NUMBER_URL}"' in client.get("/intake/").content.decode()


def test_only_the_latest_messages_are_shown_in_a_constant_number_of_queries(client, contacts, frozen, officer,
                                                                             settings):
    settings.INTAKE_RATE_LIMIT = 1000
    camat = contacts["camat"]
    receive(wa_text(CAMAT_PHONE, "INFO pesan pertama"))
    client.force_login(officer)
    client.get(url(camat))
    with CaptureQueriesContext(connection) as one:
        html = client.get(url(camat)).content.decode()
    assert "pesan pertama" in html and 'id="conversation-capped"' not in html
    for n in range(CONVERSATION_LIMIT + 4):
        frozen.shift(dt.timedelta(seconds=30))
        receive(wa_text(CAMAT_PHONE, f"INFO pesan nomor {n:03d}"))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url(camat)).content.decode()
    # Session, user, scope, contact, messages with their replies.
    assert len(many) == len(one) == 5, [query["sql"] for query in many]
    assert html.count('class="chat-in"') == CONVERSATION_LIMIT
    assert "pesan pertama" not in html and "pesan nomor 003" not in html
    assert "pesan nomor 004" in html and "pesan nomor 103" in html
    assert 'id="conversation-capped"' in html
