from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import DeskProfile

# Django's own sentence inserts the field's name into a translation that already says it
# ("Masukkan nama pengguna nama pengguna dan sandi yang benar"): the login forms say it themselves.
WRONG_CREDENTIALS = _("Nama pengguna atau sandi salah. Periksa keduanya; huruf besar dan kecil dibedakan.")
INACTIVE_ACCOUNT = _("Akun ini tidak aktif. Hubungi admin desk untuk mengaktifkannya kembali.")


class LoginForm(AuthenticationForm):
    """The desk's sign-in: user name and password, refused with one plain sentence."""

    error_messages = {"invalid_login": WRONG_CREDENTIALS, "inactive": INACTIVE_ACCOUNT}


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: the same sentences, and which accounts the admin admits."""

    error_messages = {
        "invalid_login": _("Nama pengguna atau sandi salah, atau akun ini bukan akun admin. "
                           "Huruf besar dan kecil dibedakan."),
        "inactive": INACTIVE_ACCOUNT,
    }


class SignatureForm(forms.ModelForm):
    """The name, position and NIP printed under the documents a user signs."""

    class Meta:
        model = DeskProfile
        fields = ["full_name", "position", "nip"]
