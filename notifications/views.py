from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from notifications.forms import MailPreferencesForm
from notifications.models import MailPreferences


@login_required
def preferences(request):
    """The signed-in user's own mail preferences: no user id in the address."""
    form = MailPreferencesForm(
        request.POST or None,
        instance=MailPreferences.of(request.user),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
