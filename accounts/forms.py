from django import forms

from .models import DeskProfile


class SignatureForm(forms.ModelForm):
    """The name, position and NIP printed under the documents a user signs."""

    class Meta:
        model = DeskProfile
        fields = ["full_name", "position", "nip"]
