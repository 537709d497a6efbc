from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import SignatureForm
from .models import DeskProfile


@login_required
def profile(request):
    """The signed-in user's own name, position and NIP for the signature block."""
    profile = DeskProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404
    form = SignatureForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profil disimpan."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form, "profile": profile})
