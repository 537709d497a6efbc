from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ReasonActionMixin

from .dismissal import flag_dismiss
from .forms import FlagDismissForm
from .models import Flag, Notice


@admin.register(Flag)
class FlagAdmin(ReasonActionMixin, admin.ModelAdmin):
    """Flags are raised and resolved by the compliance job; an admin closes an open one here, saying why.

    A closed flag keeps who closed it, when and why in its own fields; the
    admin's history of the flag records the action too.
    """

    list_display = ["date", "regency", "kind", "raised_at", "resolved_at", "resolution", "resolved_by"]
    list_filter = ["kind", "resolution", "election"]
    search_fields = ["regency__code", "regency__name"]
    list_select_related = ["regency", "resolved_by"]
    actions = ["close"]

    @admin.action(description=_("Tutup tanda terbuka yang dipilih"), permissions=["correct"])
    def close(self, request, queryset):
        def apply(flag, data):
            closed = flag_dismiss(flag=flag, by=request.user, note=data["note"], now=timezone.now())
            if closed:
                self.log_change(request, flag, gettext("Ditutup: %(note)s") % {"note": data["note"]})
            return closed

        return self.action_with_reason(
            request, queryset.select_related("regency"), form_class=FlagDismissForm,
            title=_("Tutup tanda kepatuhan"), submit=_("Tutup tanda"), apply=apply,
            done=lambda count: ngettext(
                "%(n)s tanda ditutup (tanda yang sudah selesai tidak berubah).",
                "%(n)s tanda ditutup (tanda yang sudah selesai tidak berubah).",
                count,
            ) % {"n": count},
        )


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["key", "kind", "channel", "phone", "created_at", "sent_at", "attempts"]
    list_filter = ["kind", "channel"]
    search_fields = ["key", "phone"]
