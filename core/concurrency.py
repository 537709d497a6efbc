"""Optimistic concurrency for the desk's edits: nobody silently overwrites someone else's saved version.

Reports, receipts and incidents carry a `version` number. An edit says which
version it started from; `version_claim` moves the row to the next version
with a guarded `UPDATE ... SET version = version + 1 WHERE id = %s AND
version = %s`, so of two edits of the same version exactly one passes and
the other gets `StaleEdit` with the row as it is saved now. The API answers
that with 412 (ETag / If-Match), a page with both versions side by side.
"""

import datetime as dt

from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response


class StaleEdit(Exception):
    """The edited version is no longer the saved one; `current` is the row as saved now."""

    def __init__(self, current):
        super().__init__(f"stale edit of {current!r}: saved version is {current.version}")
        self.current = current


def version_claim(queryset, *, pk, version):
    """Lock the row and move it to its next version; the locked row (with that version) is returned.

    `version` None: the caller did not say which version it edited (an API
    client without If-Match), the edit is applied to whatever is saved. Call
    inside a transaction: the row stays locked until it commits.
    """
    rows = queryset.filter(pk=pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        raise StaleEdit(queryset.get(pk=pk))
    return queryset.get(pk=pk)


def etag(instance):
    return f'"{instance.version}"'


def if_match_version(request):
    """The version an API client edited, from `If-Match: "7"` (None without the header; 0 when unreadable)."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isdigit() else 0


# -- the page that shows a stale edit


def _shown(field, value):
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return str(value)


def _same(a, b):
    def plain(value):
        value = getattr(value, "pk", value)
        return None if value in ("", [], {}) else value
    return plain(a) == plain(b)


def latest_version(current):
    """The history record of the version saved now (who saved it and when), or None without history."""
    return current.history.select_related("history_user").order_by("-history_date", "-history_id").first()


def saved_by(version) -> str:
    """The user name of whoever saved `version` ("" when unknown)."""
    return version.history_user.get_username() if version and version.history_user else ""


def stale_conflict(*, form, saved_initial, current):
    """What a page shows next to a stale form: who saved the other version, when, and each field that differs.

    `form`: the user's bound (and cleaned) form; `saved_initial`: the saved
    row in the form's field names; `current`: the row as saved now.
    """
    latest = latest_version(current)
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in saved_initial:
            continue
        yours = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else form.data.get(name)
        if not _same(saved_initial[name], yours):
            rows.append({"label": field.label, "saved": _shown(field, saved_initial[name]),
                         "yours": _shown(field, yours)})
    return {
        "by": saved_by(latest),
        "at": timezone.localtime(latest.history_date) if latest else None,
        "version": current.version,
        "rows": rows,
    }


def form_data_at_version(data, version):
    """The submitted data, now based on the saved `version`: sending it again overwrites knowingly."""
    data = data.copy()
    data["version"] = str(version)
    return data


# -- the API: ETag out, If-Match in


class VersionedRecordMixin:
    """For a ModelViewSet of versioned records: GET of one record and a PATCH answer carry its ETag
    (the version); `edited_version()` is the client's If-Match for the service."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag(instance)
        return response

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = etag(self.get_queryset().get(pk=kwargs[self.lookup_field]))
        return response

    def edited_version(self):
        return if_match_version(self.request)


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description=gettext_lazy('ETag dari GET rekaman ini, mis. "3": perubahan ditolak (412) bila rekaman sudah diubah '
                   "orang lain."),
)


class StaleEditSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text=gettext_lazy("Versi yang tersimpan sekarang (juga di header ETag)."))


def stale_edit_response(exc):
    """412 Precondition Failed with the saved version: the answer to an If-Match that is no longer current."""
    return Response(
        {"detail": _("Rekaman ini sudah diubah orang lain (versi tersimpan %(version)s). Ambil lagi, periksa, "
                     "lalu kirim perubahan Anda dengan If-Match versi itu.") % {"version": exc.current.version},
         "version": exc.current.version},
        status=412, headers={"ETag": etag(exc.current)},
    )
