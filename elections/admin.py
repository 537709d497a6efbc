from django.contrib import admin

from .models import CandidatePair, Contest, Election


class ContestInline(admin.TabularInline):
    model = Contest
    extra = 0
    autocomplete_fields = ["regency"]


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "voting_day", "time_zone", "is_active"]
    list_filter = ["is_active", "province"]
    search_fields = ["name"]
    autocomplete_fields = ["province"]
    inlines = [ContestInline]


class CandidatePairInline(admin.TabularInline):
    model = CandidatePair
    extra = 0


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "election", "kind", "regency"]
    list_filter = ["kind", "election"]
    search_fields = ["regency__name", "regency__code"]
    autocomplete_fields = ["regency"]
    list_select_related = ["election__province", "regency"]
    inlines = [CandidatePairInline]


@admin.register(CandidatePair)
class CandidatePairAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contest", "number"]
    list_filter = ["contest__kind", "contest__election"]
    search_fields = ["names"]
    list_select_related = ["contest__election__province", "contest__regency"]
