"""The short Indonesian replies, one per inbound message (kept short: an SMS is 160 characters)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

ACCEPTED = _(
    "Format: NIHIL, LAPOR AMAN|WASPADA|RAWAN <ringkasan>, INFO <teks>, TPS <nomor> BUKA|TUTUP|SELESAI|MASALAH, "
    "atau kirim foto. Contoh: INFO Kampanye di lapangan desa berjalan tertib."
)


def unregistered():
    return _("Nomor Anda belum terdaftar di Desk Pilkada. Minta petugas desk kabupaten/kota mendaftarkannya.")


def unknown():
    return _("Pesan tidak dikenali. %(accepted)s") % {"accepted": ACCEPTED}


def officer_only():
    return _("Laporan harian hanya dari nomor petugas desk. Kirim INFO <teks> untuk catatan lapangan.")


def report_stored(report, *, nil):
    late = _(" (terlambat)") if report.is_late else ""
    if nil:
        return _("Laporan nihil %(regency)s %(date)s diterima%(late)s. Terima kasih.") % {
            "regency": report.regency.name, "date": date_format(report.report_date), "late": late}
    return _("Laporan %(regency)s %(date)s diterima%(late)s. Terima kasih.") % {
        "regency": report.regency.name, "date": date_format(report.report_date), "late": late}


def report_exists(existing):
    return _("Laporan %(regency)s %(date)s sudah ada (#%(id)s); pesan ini tidak menggantinya. "
             "Ubah laporan lewat web.") % {
        "regency": existing.regency.name, "date": date_format(existing.report_date), "id": existing.pk}


def report_refused(message):
    return _("Laporan belum diterima: %(reason)s") % {"reason": message}


def report_format():
    return _("Format laporan: LAPOR AMAN|WASPADA|RAWAN <ringkasan>. Contoh: LAPOR AMAN Kampanye berjalan tertib.")


def info_stored(place):
    return _("Info dicatat untuk %(place)s. Terima kasih.") % {"place": place.name}


def info_format():
    return _("Tulis isinya setelah INFO. Contoh: INFO Jalan ke TPS 3 tergenang banjir.")


def photo_draft():
    return _("Foto diterima sebagai draf insiden; petugas desk akan melengkapinya. Terima kasih.")


def photo_refused(reason):
    return _("Foto tidak dapat diterima: %(reason)s") % {"reason": reason}


def tps_stored(station, status_label):
    return _("TPS %(number)s %(village)s: %(status)s dicatat. Terima kasih.") % {
        "number": station.number, "village": station.village.name, "status": status_label}


def tps_refused(station, reason):
    return _("TPS %(number)s %(village)s tidak dicatat: %(reason)s") % {
        "number": station.number, "village": station.village.name, "reason": reason}


def tps_format():
    return _("Format: TPS <nomor> BUKA|TUTUP|SELESAI|MASALAH [teks]. Contoh: TPS 3 BUKA")


def tps_no_village():
    return _("Status TPS hanya dari kontak yang terdaftar untuk sebuah kelurahan/desa.")


def tps_unknown(number, village):
    return _("TPS %(number)s tidak ada di %(village)s. Periksa nomornya.") % {"number": number, "village": village.name}
