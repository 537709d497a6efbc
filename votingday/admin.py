"""Voting day and after in the admin: read only (rounds, statuses, recapitulation, disputes and re-votes are
written by the desk's services), with each record's history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import Dispute, RecapProgress, RevoteTps, TpsStatus, VotingRound


@admin.register(VotingRound)
class VotingRoundAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["regency", "round", "tps_opened", "tps_closed", "tps_counted", "turnout_percent", "is_late"]
    list_filter = ["round", "is_late", "election"]
    list_select_related = ["regency"]


@admin.register(TpsStatus)
class TpsStatusAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["tps", "regency", "status", "at", "source"]
    list_filter = ["status", "source"]
    list_select_related = ["tps__village", "regency"]


@admin.register(RecapProgress)
class RecapProgressAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["contest", "level", "region", "status", "started_on", "finished_on"]
    list_filter = ["level", "status"]
    list_select_related = ["contest__election__province", "contest__regency"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["case_number", "contest", "filed_on", "status", "decision", "decided_on"]
    list_filter = ["status", "decision"]
    list_select_related = ["contest__election__province", "contest__regency"]


@admin.register(RevoteTps)
class RevoteTpsAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["tps", "regency", "date", "reason", "created_by"]
    list_filter = ["date"]
    list_select_related = ["tps__village", "regency", "created_by"]
    raw_id_fields = ["tps"]
