"""Form behaviour the apps share."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _


class ReportsUnshownFields:
    """For a ModelForm that shows some of a model's fields (a row of a list):
    the model's own checks may name a field the form does not show (a book's
    title), which Django would fail on; the form reports it, naming that field."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            shown = {}
            for name, field_errors in errors.error_dict.items():
                if name in self.fields or name == NON_FIELD_ERRORS:
                    shown.setdefault(name, []).extend(field_errors)
                    continue
                label = self._meta.model._meta.get_field(name).verbose_name
                shown.setdefault(NON_FIELD_ERRORS, []).extend(
                    _("%(field)s: %(error)s") % {"field": label, "error": message}
                    for message in ValidationError(field_errors).messages
                )
            errors = ValidationError(shown)
        super()._update_errors(errors)
