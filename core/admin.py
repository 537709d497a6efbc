"""What the Django admin does with desk records: shows them with their history, and lets admins correct them.

Desk records are created and removed only by the desk's own forms and
services. An admin corrects the content of a report, receipt or incident in
its change form, and closes a flag or withdraws an excuse with an action; each
goes through the record's service, so the desk's rules, the version check and
the history (the admin as its user, the reason as its change reason) apply.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import StaleEdit, latest_version, saved_by
from core.corrections import CORRECTION_REASON_MAX_LENGTH, may_correct
from core.errors import form_add_service_errors
from core.fields import ParsedCharField


def showing_past_version(request):
    """Whether the request is for simple-history's page of one past version of a record."""
    match = request.resolver_match
    return bool(match and match.url_name and match.url_name.endswith("_simple_history"))


class NoAddDeleteAdminMixin:
    """Desk records are created and removed by the desk's own forms and services, never in the admin.

    Nor are they reverted to a past version: simple-history's page of a past
    version would save it with a plain model form, around the services, so it
    is shown read-only and refuses a POST.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if showing_past_version(request):
            return [field.name for field in self.model._meta.fields if not field.primary_key]
        return super().get_readonly_fields(request, obj)


class ReadOnlyAdminMixin(NoAddDeleteAdminMixin):
    """Desk records are written by the desk's own forms and services: the admin only shows them."""

    def has_change_permission(self, request, obj=None):
        return False


def _stale_message(current):
    by = saved_by(latest_version(current)) or "—"
    return _(
        "Rekaman ini sudah diubah oleh %(by)s sejak halaman ini dibuka (versi tersimpan sekarang %(version)s). "
        "Koreksi Anda tidak disimpan: muat ulang halaman, periksa perubahan itu, lalu koreksi lagi."
    ) % {"by": by, "version": current.version}


class CorrectionForm(forms.ModelForm):
    """An admin's correction of a desk record: its content fields, the version it was opened at, and why.

    The record's service checks and stores a correction in one step (the
    desk's rules, the version claim, the history with the admin and the
    reason), so the form calls it as the last step of its own validation:
    every refusal, a stale version included, becomes an error on this form and
    nothing is stored. The form sets no model field itself.
    """

    reason = ParsedCharField(
        label=gettext_lazy("Alasan koreksi"), max_length=CORRECTION_REASON_MAX_LENGTH,
        help_text=gettext_lazy("Disimpan di riwayat rekaman ini bersama nama Anda dan waktunya."),
    )
    # The version the admin opened; a correction of an older one is refused.
    version = forms.CharField(label=gettext_lazy("versi"), widget=forms.HiddenInput, required=False)

    # The model fields the correction may change (everything else is shown read-only).
    content_fields: tuple[str, ...] = ()
    # The admin making the correction (set by CorrectionAdminMixin.get_form).
    corrector = None

    class Meta:
        # Subclasses name their model in a Meta(CorrectionForm.Meta).
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(self.initial_content(), version=self.instance.version)

    @classmethod
    def field_names(cls, obj):
        """The form's content fields for `obj`, in order."""
        return [name for name in cls.base_fields if name not in ("reason", "version")]

    def initial_content(self):
        return {name: getattr(self.instance, name) for name in self.content_fields}

    def correct(self, *, by, version, reason, now):
        """Hand the cleaned content to the record's service (which raises its refusals)."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        version = (cleaned.get("version") or "").strip()
        if not version.isdigit():
            self.add_error(None, _("Versi rekaman tidak terbaca: muat ulang halaman ini, lalu koreksi lagi."))
            return cleaned
        try:
            self.correct(by=self.corrector, version=int(version), reason=cleaned.get("reason"), now=timezone.now())
        except StaleEdit as stale:
            self.add_error(None, _stale_message(stale.current))
        except ValidationError as error:
            form_add_service_errors(self, error)
        return cleaned

    def _post_clean(self):
        """No model validation here: the form sets no model field, and the service has validated the correction."""


class CorrectionAdminMixin(NoAddDeleteAdminMixin):
    """An admin corrects a desk record's content in its change form; its keys stay as recorded.

    `correction_form` (a CorrectionForm) holds the content fields and calls the
    record's service; every other field is shown read-only. A user without the
    change permission sees the whole record read-only.
    """

    correction_form: type[CorrectionForm]

    def _correcting(self, request, obj):
        return obj is not None and not showing_past_version(request) and self.has_change_permission(request, obj)

    def _key_fields(self):
        content = {*self.correction_form.content_fields, "id", "version"}
        return [field.name for field in self.model._meta.fields if field.name not in content]

    def get_fieldsets(self, request, obj=None):
        if not self._correcting(request, obj):
            return super().get_fieldsets(request, obj)
        return [
            (None, {"fields": self._key_fields()}),
            (_("Koreksi"), {
                "fields": [*self.correction_form.field_names(obj), "reason", "version"],
                "description": _("Diperiksa dengan aturan yang sama seperti formulir desk. Data lain di atas "
                                 "tidak dapat diubah."),
            }),
        ]

    def get_readonly_fields(self, request, obj=None):
        if not self._correcting(request, obj):
            return super().get_readonly_fields(request, obj)
        return self._key_fields()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self._correcting(request, obj):
            return super().get_form(request, obj, change, **kwargs)
        return type(self.correction_form.__name__, (self.correction_form,), {"corrector": request.user})

    def get_formsets_with_inlines(self, request, obj=None):
        """Inlines are shown, never posted: a correction carries the record's own fields only."""
        if request.method == "POST":
            return
        yield from super().get_formsets_with_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        """Nothing left to store: the correction form's service call stored it (no other form saves here)."""
        if not isinstance(form, CorrectionForm):
            raise PermissionDenied


class ReasonActionMixin(ReadOnlyAdminMixin):
    """Admin actions that change a desk record through its service only after asking why.

    An action declared with `permissions=["correct"]` is offered to admins
    allowed to correct the model (`core.corrections.may_correct`).
    """

    def has_correct_permission(self, request):
        return may_correct(request.user, self.model)

    def action_with_reason(self, request, queryset, *, form_class, title, submit, apply, done):
        """Ask for the reason on an intermediate page, then `apply(obj, cleaned_data)` to each selected record.

        `apply` returns whether it changed the record (False: nothing was left
        to do); a ValidationError it raises is shown for that record, and the
        others go on. `done(count)` is the message for the records changed.
        Returns the page, or None (back to the list) once applied.
        """
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            changed = 0
            for obj in queryset:
                try:
                    changed += bool(apply(obj, form.cleaned_data))
                except ValidationError as error:
                    self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            self.message_user(request, done(changed), messages.SUCCESS if changed else messages.WARNING)
            return None
        return TemplateResponse(request, "admin/action_with_reason.html", {
            **self.admin_site.each_context(request),
            "title": title, "submit": submit, "form": form, "objects": list(queryset), "opts": self.model._meta,
            "action": request.POST.get("action", ""), "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })
