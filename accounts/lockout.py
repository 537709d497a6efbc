"""The refusal shown when django-axes locks a user name out at one address."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .forms import LoginForm

LOCKOUT_STATUS = 429


def lockout_message():
    return _("Terlalu banyak percobaan masuk yang salah. Coba lagi dalam 15 menit.")


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a JSON refusal on the API, the login page with the reason elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=LOCKOUT_STATUS)
    context = {"form": LoginForm(request), "lockout_message": lockout_message()}
    return render(request, "registration/login.html", context, status=LOCKOUT_STATUS)
