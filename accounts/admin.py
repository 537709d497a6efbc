from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import User

from .models import DeskProfile


class DeskProfileInline(admin.StackedInline):
    model = DeskProfile
    can_delete = False
    autocomplete_fields = ["regency", "province"]


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [DeskProfileInline]
    list_display = ["username", "email", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff"]
