"""Region and TPS imports from the admin: a dry run shows the plan, a confirm writes exactly that plan.

The uploaded file waits in the private media storage (the local disk, or object
storage shared by every web host, so the confirm may reach another host than the
dry run) under a random name kept in the admin's session (never a path from the
browser). On confirm the file is read
and validated again; nothing is written when it turned invalid or when the
writes differ from the dry run the admin saw (the data changed meanwhile).
A file with refused rows writes nothing, so its dry run shows the refusals
and no counts; a file that would change nothing offers nothing to confirm.
"""

import datetime as dt
import io
import secrets
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import Level
from .importing import ImportPlan, ImportRejected, errors_summary, plan_apply, regions_plan, tps_plan

PLANNERS = {"regions": regions_plan, "tps": tps_plan}
MAX_IMPORT_BYTES = 64 * 1024 * 1024
STALE_AFTER = dt.timedelta(days=1)


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV"),
        help_text=gettext_lazy(
            "UTF-8 (boleh dengan BOM, seperti \"CSV UTF-8\" dari Excel), dipisah koma atau titik koma."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Berkas lebih besar dari %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // 2**20})
        return upload


IMPORTS_DIR = "imports"


def _stored_name(token):
    # The token is ours (hex from the session), so this never leaves the folder.
    return f"{IMPORTS_DIR}/{token}.csv"


def _stored_bytes(token):
    name = _stored_name(token)
    if not default_storage.exists(name):
        return b""
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def _remove_stale_files(now):
    try:
        _folders, names = default_storage.listdir(IMPORTS_DIR)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{IMPORTS_DIR}/{name}"
        if name.endswith(".csv") and default_storage.get_modified_time(path) < now - STALE_AFTER:
            default_storage.delete(path)


def _plan_bytes(kind, raw):
    """The plan for a file's bytes; a file that is not UTF-8 is one error."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return ImportPlan(errors=[_("Berkas bukan teks UTF-8 (bita ke-%(at)d).") % {"at": error.start + 1}])
    try:
        return PLANNERS[kind](io.StringIO(text, newline=""))
    except ImportRejected as rejected:  # header or empty-file problems: the file as a whole
        return ImportPlan(errors=rejected.errors)


def _level_label(level):
    return Level(level).label if level in Level.values else _("TPS")


class CsvImportAdminMixin:
    """Adds `import/` (dry run, then confirm) to a ModelAdmin, and a button to its change list."""

    import_kind = None  # "regions" or "tps"
    change_list_template = "admin/regions/change_list_import.html"

    def _import_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_import"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name=self._import_url_name()), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {})}
        if self._may_import(request):
            extra_context["csv_import_url"] = reverse(f"admin:{self._import_url_name()}")
        return super().changelist_view(request, extra_context)

    def _may_import(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        if not self._may_import(request):
            raise PermissionDenied
        session_key = f"csv_import:{self.import_kind}"
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "kind": self.import_kind,
            "title": _("Impor wilayah dari CSV") if self.import_kind == "regions" else _("Impor TPS dari CSV"),
            "changelist_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"),
        }
        form = CsvImportForm()
        if request.method == "POST" and "confirm" in request.POST:
            pending = request.session.get(session_key)
            if not pending or request.POST.get("token") != pending["token"]:
                messages.error(request, _("Uji coba ini sudah tidak berlaku; unggah berkasnya lagi."))
                return redirect(request.path)
            raw = _stored_bytes(pending["token"])
            with transaction.atomic():
                plan = _plan_bytes(self.import_kind, raw)
                if plan.is_valid and plan.fingerprint() == pending["fingerprint"]:
                    result = plan_apply(plan)
                    default_storage.delete(_stored_name(pending["token"]))
                    del request.session[session_key]
                    summary = "; ".join(
                        _("%(level)s: %(created)d dibuat, %(updated)d diubah, %(unchanged)d tetap")
                        % {"level": _level_label(level), "created": c, "updated": u, "unchanged": n}
                        for level, c, u, n in result.as_rows()
                    )
                    messages.success(request, _("Impor %(name)s selesai. %(summary)s") % {
                        "name": pending["name"], "summary": summary})
                    return redirect(context["changelist_url"])
            if plan.is_valid and plan.has_changes:
                messages.warning(request, _(
                    "Data berubah sejak uji coba; tidak ada yang disimpan. Periksa hasil uji coba baru ini."))
                pending["fingerprint"] = plan.fingerprint()
                request.session[session_key] = pending
            elif plan.is_valid:
                messages.warning(request, _(
                    "Data berubah sejak uji coba: berkas ini kini sama dengan data tersimpan, tidak ada yang perlu "
                    "disimpan."))
                default_storage.delete(_stored_name(pending["token"]))
                del request.session[session_key]
            else:
                messages.error(request, _("Berkas tidak lagi valid; tidak ada yang disimpan."))
            context.update(self._plan_context(plan, pending))
        elif request.method == "POST":
            form = CsvImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                raw = b"".join(upload.chunks())
                plan = _plan_bytes(self.import_kind, raw)
                _remove_stale_files(timezone.now())
                pending = {"token": secrets.token_hex(16), "fingerprint": plan.fingerprint(),
                           "name": Path(upload.name).name[:100]}
                if plan.is_valid and plan.has_changes:
                    default_storage.save(_stored_name(pending["token"]), ContentFile(raw))
                    request.session[session_key] = pending
                else:
                    request.session.pop(session_key, None)
                context.update(self._plan_context(plan, pending))
        context["form"] = form
        return TemplateResponse(request, "admin/regions/import.html", context)

    def _plan_context(self, plan, pending):
        return {
            "plan": plan,
            "file_name": pending["name"],
            # Something to confirm only when the file is valid and would change something.
            "confirmable": plan.is_valid and plan.has_changes,
            "token": pending["token"] if plan.is_valid and plan.has_changes else "",
            "rows": [(_level_label(level), c, u, n) for level, c, u, n in plan.result.as_rows()],
            "errors": errors_summary(plan.errors),
            "error_count": len(plan.errors),
        }
