from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_FAILED_LOGINS = 10
LOCKOUT_SECONDS = 15 * 60


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing a user name after too many wrong passwords in a row from one address."""

    def _failures_key(self):
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return f"login-failures:{address}:{(self.data.get('username') or '').lower()}"

    def clean(self):
        key = self._failures_key()
        if cache.get(key, 0) >= MAX_FAILED_LOGINS:
            raise ValidationError(
                _("Terlalu banyak percobaan masuk yang salah. Coba lagi dalam 15 menit."), code="throttled"
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            cache.set(key, cache.get(key, 0) + 1, LOCKOUT_SECONDS)
            raise
        cache.delete(key)
        return cleaned
