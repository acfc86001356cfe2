from django import forms

from notifications.models import MailPreferences


class MailPreferencesForm(forms.ModelForm):
    """Offers each user only the mails their role can receive."""

    class Meta:
        model = MailPreferences
        fields = ["review_requests", "sent_back", "published_issues"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_perm("issues.approve_issue"):
            del self.fields["review_requests"]
        if not user.has_perm("issues.change_issue"):
            del self.fields["sent_back"]
