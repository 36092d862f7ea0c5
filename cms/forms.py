"""Admin forms: malformed posted data as a field error, publish readiness on publish/submit, copies made
as drafts, and date and amount fields editors can type in Persian (Jalali dates, Persian digits,
thousands separators)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm

from cms import i18n

PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")
# What a widget's value_from_datadict raises on data no browser of ours posts: rich text that is not
# Draftail JSON, a StreamField count missing or not a number, an id or an order of the wrong type.
MALFORMED_DATA_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
    ValidationError,
)


class MalformedDataFormMixin:
    """A field whose posted data its widget cannot read is a field error, not a 500.

    Django reads widget data both when cleaning and when rendering the form again; for such a field
    both get the field's initial (saved) value, and the field is marked with an error.
    """

    malformed_fields = frozenset()  # html names

    def _widget_data_value(self, widget, html_name):
        try:
            return super()._widget_data_value(widget, html_name)
        except MALFORMED_DATA_ERRORS:
            self.malformed_fields = self.malformed_fields | {html_name}
            name = next(name for name in self.fields if self.add_prefix(name) == html_name)
            return self.get_initial_for_field(self.fields[name], name)

    def _clean_fields(self):
        super()._clean_fields()
        for name in self.fields:
            if self.add_prefix(name) in self.malformed_fields:
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "The data sent for this field is malformed, so the saved version is shown. "
                            "Edit it again and save."
                        ),
                        code="malformed",
                    ),
                )


class RevayatPageForm(MalformedDataFormMixin, WagtailAdminPageForm):
    """The base form of every Revayat page type (BasePage.base_form_class)."""


class ReadinessPageForm(RevayatPageForm):
    """Refuses 'publish' and 'submit for review' while mandatory elements are missing.

    Saving a draft is always allowed: an editor keeps work in progress without losing anything.
    """

    def _post_clean(self):
        super()._post_clean()
        if not any(action in self.data for action in PUBLISHING_ACTIONS):
            return
        missing = self.instance.missing_for_publication()
        if missing:
            self.add_error(
                None,
                ValidationError(
                    [_("This page cannot be published yet. Missing:")] + [item.label for item in missing]
                ),
            )


class DraftCopyForm(CopyForm):
    """ "Copy" without "publish copies" or "alias": a copy (or an alias, which shows its source live at
    once in a new place) would be public without its own review; a copy is a draft that goes live
    through the publication workflow."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)
        self.fields.pop("alias", None)


class JalaliDateInput(forms.DateInput):
    """A text input showing the date in the admin's calendar: ۱۴۰۲/۰۸/۰۱ (fa) or 2023-10-23 (en)."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "dir": "ltr",
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 12,
            "placeholder": gettext_lazy("YYYY-MM-DD"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return i18n.format_date_input(value)
        return value


class JalaliDateField(forms.DateField):
    """Accepts Jalali (۱۴۰۳/۰۱/۱۵, 1403-1-15) and Gregorian (2024-04-03) dates, in any digits."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": gettext_lazy(
            "Enter a valid date: Jalali such as 1403/01/15 or Gregorian such as 2024-04-03."
        ),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return i18n.parse_local_date(value)
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class LocalizedIntegerField(forms.IntegerField):
    """An integer typed with Persian or ASCII digits and thousands separators (۳۲۰٬۰۰۰ or 320,000)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = i18n.to_ascii_digits(value)
            for separator in (",", "\u066c", "\u060c", " ", "\u00a0", "_"):
                value = value.replace(separator, "")
        return super().to_python(value)


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed with Persian or ASCII digits, ٬/, thousands and ٫/. decimal separators
    (۹٫۴ or 1,250.5), in a text input with a numeric keyboard rather than type=number (which refuses
    Persian digits in some browsers)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {}  # no min/max/step: they belong to type=number

    def to_python(self, value):
        if isinstance(value, str):
            value = i18n.to_ascii_digits(value).strip()
            for separator in (",", "\u066c", "\u060c", " ", "\u00a0", "_"):
                value = value.replace(separator, "")
            value = value.replace("\u066b", ".").replace("\u2212", "-")
        return super().to_python(value)
