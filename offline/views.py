"""The service worker (served from the site root so it may control every page) and the web app manifest.

Both are public: the browser fetches them outside any session (the manifest
without cookies), and they hold no data, only the shape of the app.
"""

import hashlib
import json
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from votingday.constants import Round

# Static files every officer page needs: cached when the worker installs.
SHELL_ASSETS = ("css/desk.min.css", "offline/desk.js", "offline/outbox.js", "offline/icon-192.png",
                "reports/report_form.js", "violations/incident_form.js", "violations/photos.js")


# How old a kept page may get while the officer is online before the worker fetches it again.
PAGES_REFRESH_AFTER_MINUTES = 30


def round_pages():
    """The voting-day round forms, one per round, in the day's order."""
    return [reverse("votingday:round", args=[code]) for code in Round.values]


def offline_pages():
    """The pages that open with no connection once opened online."""
    return [reverse("home"), reverse("reports:new"), reverse("logistics:index"), reverse("violations:create"),
            *round_pages()]


def offline_lists():
    """Path patterns (regular expressions) of the lists kept as last seen: violations, reports, Rakor."""
    return [f"^{reverse('violations:list')}$", f"^{reverse('reports:list')}$", f"^{reverse('rakor:list')}$",
            f"^{reverse('rakor:list')}[0-9]+/$"]


def queueable_posts():
    """Path patterns (regular expressions) of the creates the worker keeps on the phone when the network fails."""
    rounds = "|".join(re.escape(page) for page in round_pages())
    return [f"^{reverse('reports:new')}$", r"^/logistics/[0-9.]+/receipts/$", f"^{reverse('violations:create')}$",
            f"^({rounds})$"]


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    assets = [static(name) for name in SHELL_ASSETS]
    config = {
        "assets": assets,
        "pages": offline_pages(),
        "posts": queueable_posts(),
        "static": settings.STATIC_URL,
        "lists": offline_lists(),
        "places": [reverse("violations:places"), reverse("violations:places-regency")],
        # Kept at install: the regency's villages and TPS, for the incident form's pickers offline.
        "prefetch": [reverse("violations:places-regency")],
        # Kept pages older than this are fetched again when a page opens online (milliseconds).
        "refreshAfter": PAGES_REFRESH_AFTER_MINUTES * 60 * 1000,
        "offline": reverse("offline:page"),
        "login": reverse("login"),
        "outbox": static("offline/outbox.js"),
        "offlineTitle": _("Tidak ada koneksi"),
        "offlineText": _(
            "Halaman ini belum pernah dibuka di ponsel ini saat online, jadi belum tersedia tanpa koneksi."
        ),
    }
    # A new version of any asset is a new worker, which replaces the old caches.
    config["version"] = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]
    body = render_to_string("offline/sw.js", {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline_page(request):
    """The app's page for a page not kept on the phone; the service worker keeps it (fetched without a session)."""
    return render(request, "offline/offline.html", {"pages": [
        (reverse("home"), _("Beranda")), (reverse("reports:new"), _("Laporan harian")),
        (reverse("logistics:index"), _("Penerimaan logistik")), (reverse("violations:create"), _("Catat insiden")),
        *((page, _("Laporan tahap: %(round)s") % {"round": label}) for page, label in zip(
            round_pages(), Round.labels, strict=True)),
    ]}, status=200)


@require_GET
@cache_control(max_age=86400)
def manifest(request):
    return JsonResponse({
        "name": "Desk Pilkada",
        "short_name": "Desk Pilkada",
        "description": _("Laporan harian, logistik dan pelanggaran desk kabupaten/kota, juga saat sinyal lemah."),
        "lang": "id",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f8f9fa",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("offline/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
