"""The demo's field: contacts for every regency and a day of field messages (`seed_demo --live`).

Deterministic and idempotent: contacts are found by phone, messages by their provider id, so a second
run adds nothing. The messages go through the webhook's store and the worker's apply, like real ones;
their replies are marked sent (a demo must not message anyone, nor fill the console at start-up).
"""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from PIL import Image

from contacts.constants import ContactRole, NotifyBy
from contacts.models import Contact
from contacts.phones import phone_e164
from contacts.services import contact_create
from regions.models import District, Regency, Village

from .constants import Channel, Kind, Outcome, SendState, State
from .models import InboundMessage, OutboundMessage
from .providers import IncomingEvent
from .services import message_apply, webhook_store

CAMAT_NAMES = ["Drs. Ahmad Yani", "Hj. Rusmini", "Bambang Sutrisno, S.Sos.", "Yohanes Lalang"]
LURAH_NAMES = ["Siti Aminah", "Petrus Ding", "Rahmat Hidayat", "Nurul Huda"]
# (contact key, channel, text, minutes before now)
MESSAGES = [
    ("camat1", Channel.WHATSAPP, "INFO Rapat koordinasi PPK dan Panwascam berjalan lancar, situasi kondusif.", 35),
    ("lurah1", Channel.SMS, "INFO Warga gotong royong membersihkan lokasi TPS 1. Aman.", 70),
    ("kpu", Channel.WHATSAPP, "INFO Pergeseran logistik ke PPK kecamatan selesai pukul 09.00.", 110),
    ("police", Channel.WHATSAPP, "info patroli malam di 3 kecamatan, tidak ada gangguan", 160),
    ("lurah2", Channel.SMS, "TPS 1 MASALAH Tenda TPS roboh diterpa angin, sedang diperbaiki", 200),
    ("camat2", Channel.WHATSAPP, "Selamat pagi pak, laporan kami kirim siang ya", 240),
    # The first lurah's day, for the conversation page: a TPS opened, a question the desk cannot read, the
    # note that answers it, the TPS closed and counted (on voting day; refused before it).
    ("lurah1", Channel.WHATSAPP, "TPS 1 BUKA", 420),
    ("lurah1", Channel.WHATSAPP, "Pak, surat suara di TPS 2 kurang 5 lembar, bagaimana?", 385),
    ("lurah1", Channel.WHATSAPP, "INFO Surat suara TPS 2 kurang 5 lembar, PPS sudah minta tambahan ke PPK", 370),
    ("lurah1", Channel.WHATSAPP, "TPS 1 TUTUP", 115),
    ("lurah1", Channel.WHATSAPP, "TPS 1 SELESAI penghitungan suara lancar", 40),
]
# (contact key, caption, minutes before now, provider id suffix): photos waiting as draft incidents.
PHOTOS = [
    ("camat2", "PELANGGARAN Spanduk paslon dipasang di pagar kantor kecamatan", 90, "photo"),
    ("lurah1", "PELANGGARAN Atribut paslon masih terpasang 50 meter dari TPS 1", 300, "photo-lurah1"),
]
# Replies older than this have been read; the later ones only delivered.
READ_AFTER = dt.timedelta(minutes=60)
STRANGERS = [
    ("+6285250001111", Channel.SMS, "Pak ada bagi2 amplop di RT 05 tadi malam", 55),
    ("+6281350002222", Channel.WHATSAPP, "INFO jalan ke TPS 4 banjir setinggi lutut", 130),
]


def _phone(regency_index: int, slot: int) -> str:
    return phone_e164(f"0812{regency_index:02d}{slot:02d}{regency_index * 7 + slot:04d}")


def seed_contacts(now: dt.datetime) -> dict[str, dict[str, Contact]]:
    """Per regency: the officer's own phone, two camat, two lurah/kades, KPU and police."""
    by_regency = {}
    officers = {user.desk_profile.regency_id: user for user in get_user_model().objects.filter(
        username__startswith="desk-").select_related("desk_profile")}
    for index, regency in enumerate(Regency.objects.filter(province_id="64").order_by("code"), start=1):
        officer = officers.get(regency.pk)
        if officer is None:
            continue
        districts = list(District.objects.filter(regency=regency).order_by("code")[:2])
        villages = [Village.objects.filter(district=district).order_by("code").first() for district in districts]
        specs = {
            # Officers take their reminders and flag notices by WhatsApp, a few (weak signal) by SMS.
            "officer": {"name": f"Petugas desk {regency.name}", "role": ContactRole.OFFICER, "user": officer,
                        "notify_by": NotifyBy.SMS if index % 4 == 0 else NotifyBy.WHATSAPP},
            "kpu": {"name": f"Sekretariat KPU {regency.name}", "role": ContactRole.KPU},
            "police": {"name": f"Bag Ops Polres {regency.name}", "role": ContactRole.POLICE},
        }
        for n, district in enumerate(districts, start=1):
            specs[f"camat{n}"] = {"name": f"{CAMAT_NAMES[(index + n) % 4]} (Camat {district.name})",
                                  "role": ContactRole.CAMAT, "district": district}
        for n, village in enumerate(villages, start=1):
            if village is None:
                continue
            role = ContactRole.LURAH if village.kind == "kelurahan" else ContactRole.KADES
            specs[f"lurah{n}"] = {"name": f"{LURAH_NAMES[(index + n) % 4]} ({village.name})", "role": role,
                                  "district": village.district, "village": village}
        contacts = {}
        for slot, (key, data) in enumerate(specs.items(), start=1):
            phone = _phone(index, slot)
            existing = Contact.objects.filter(phone=phone, active=True).first()
            contacts[key] = existing or contact_create(regency=regency, by=officer, now=now,
                                                       data={"phone": phone, **data})
        by_regency[regency.pk] = contacts
    return by_regency


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (190, 60, 40)).save(out, "JPEG")
    return out.getvalue()


def _store(event: IncomingEvent, at: dt.datetime) -> int | None:
    ids = webhook_store(events=[event], statuses=[], now=at)
    return ids[0] if ids else None


def _seed_photo(contact: Contact, caption: str, *, provider_id: str, at: dt.datetime) -> int | None:
    """A WhatsApp photo from `contact`, applied as a draft incident without the Graph API download the worker
    would do; its id, or None when it was seeded before."""
    pk = _store(IncomingEvent(
        channel=Channel.WHATSAPP, provider_id=provider_id, sender=str(contact.phone)[1:], sent_at=at,
        text=caption, media_id=f"demo-media-{provider_id}", raw={"demo": True}), at)
    if not pk:
        return None
    message = InboundMessage.objects.get(pk=pk)
    message.photo.save("photo.jpg", ContentFile(_photo()), save=False)
    message.state, message.kind, message.outcome, message.applied_at = State.DONE, Kind.PHOTO, Outcome.DRAFT, at
    message.contact, message.regency_id = contact, contact.regency_id
    message.district_id, message.village_id = contact.district_id, contact.village_id
    message.parsed = {"caption": caption.removeprefix("PELANGGARAN").strip()}
    message.reply = "Foto diterima sebagai draf insiden; petugas desk akan melengkapinya. Terima kasih."
    message.save()
    OutboundMessage.objects.create(inbound=message, channel=message.channel, to=message.reply_to,
                                   text=message.reply, created_at=at)
    return pk


def seed_history(election, now: dt.datetime) -> int:
    """Contacts for every regency and today's field messages (up to `now`); the number of new messages."""
    with transaction.atomic():
        contacts = seed_contacts(now)
        created = []
        day = election.local_date(now).isoformat()
        for code, people in contacts.items():
            for n, (key, channel, text, minutes) in enumerate(MESSAGES):
                contact = people.get(key)
                if contact is None:
                    continue
                at = now - dt.timedelta(minutes=minutes + n)
                sender = str(contact.phone)
                pk = _store(IncomingEvent(
                    channel=channel, provider_id=f"demo-{code}-{day}-{n}", sender=sender.lstrip("+"), sent_at=at,
                    text=text, media_id="", raw={"demo": True}), at)
                if pk:
                    message_apply(message_id=pk, now=at)
                    created.append(pk)
            for key, caption, minutes, suffix in PHOTOS:
                contact = people.get(key)
                if contact is not None:
                    pk = _seed_photo(contact, caption, provider_id=f"demo-{code}-{day}-{suffix}",
                                     at=now - dt.timedelta(minutes=minutes))
                    created += [pk] if pk else []
        for n, (phone, channel, text, minutes) in enumerate(STRANGERS):
            at = now - dt.timedelta(minutes=minutes)
            pk = _store(IncomingEvent(channel=channel, provider_id=f"demo-stranger-{day}-{n}",
                                      sender=phone, sent_at=at, text=text, media_id="", raw={"demo": True}), at)
            if pk:
                message_apply(message_id=pk, now=at)
                created.append(pk)
        replies = OutboundMessage.objects.filter(inbound_id__in=created)
        # Sent as soon as they were written.
        replies.update(state=SendState.SENT, sent_at=F("created_at"), provider_id="demo", delivery="delivered")
        replies.filter(created_at__lte=now - READ_AFTER).update(delivery="read")
    return len(created)
