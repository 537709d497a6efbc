import datetime as dt

import pytest

from contacts.models import Contact
from intake.demo import seed_history
from intake.models import InboundMessage, OutboundMessage

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_demo_has_contacts_for_every_regency_and_a_day_of_messages(election, officer, other_officer, frozen):
    created = seed_history(election, NOW)

    assert set(Contact.objects.values_list("regency_id", flat=True)) == {"64.71", "64.72"}
    assert Contact.objects.filter(regency_id="64.72").count() == 7
    assert Contact.objects.get(regency_id="64.72", role="officer").user == officer
    # Every officer's phone takes the reminders and flag notices, by WhatsApp or SMS; nobody else's does.
    assert set(Contact.objects.filter(role="officer").values_list("notify_by", flat=True)) <= {"whatsapp", "sms"}
    assert set(Contact.objects.exclude(role="officer").values_list("notify_by", flat=True)) == {"none"}
    kinds = set(InboundMessage.objects.values_list("kind", "outcome"))
    # The demo day is before voting day: its TPS message is answered that statuses wait for voting day.
    assert {("info", "applied"), ("tps", "refused"), ("unknown", "refused"), ("photo", "draft"),
            ("unknown", "unregistered"), ("info", "unregistered")} <= kinds
    assert InboundMessage.objects.filter(regency__isnull=True).count() == 2
    assert all(message.received_at <= NOW for message in InboundMessage.objects.all())
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {"sent"}
    assert set(OutboundMessage.objects.values_list("delivery", flat=True)) == {"delivered", "read"}
    # One contact has a whole conversation: several kinds, from both channels.
    lurah = InboundMessage.objects.filter(contact__regency_id="64.72", contact__role__in=["lurah", "kades"])
    thread = lurah.filter(contact=lurah.order_by("received_at").first().contact)
    assert thread.count() >= 6
    assert {"tps", "unknown", "info", "photo"} <= set(thread.values_list("kind", flat=True))
    assert set(thread.values_list("channel", flat=True)) == {"whatsapp", "sms"}

    assert seed_history(election, NOW + dt.timedelta(minutes=5)) == 0
    assert InboundMessage.objects.count() == created
