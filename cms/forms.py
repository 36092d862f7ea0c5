"""Admin forms: malformed posted data as a field error, publish readiness on publish/submit, copies made
as drafts, and date and amount fields editors can type in Persian (Jalali dates, Persian digits,
thousands separators)."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.widgets import AdminDateInput

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
    """Refuses 'publish' and 'submit for review' while the page's readiness checklist has missing items
    (`BasePage.readiness_checklist`, the list the edit screen shows).

    Saving a draft is always allowed: an editor keeps work in progress without losing anything. A saved
    draft whose fields or blocks Submit would refuse opens with their messages at the field or block,
    as Submit would show them, beside the checklist item that names them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            incomplete = self.instance.incomplete_fields()
            self._errors = ErrorDict(
                {name: self.error_class(error.error_list) for name, error in incomplete.items()}
            )

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


class JalaliDateInput(AdminDateInput):
    """Wagtail's admin date input, which `cms.jalali` makes Jalali on fa (۱۴۰۲/۰۸/۰۱ and the Jalali picker);
    2023-10-23 and Wagtail's picker on en."""

    def __init__(self, attrs=None, format=None):
        defaults = {"dir": "ltr", "autocomplete": "off", "size": 16}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format)

    def format_value(self, value):
        if isinstance(value, datetime.date) and not i18n.is_persian():
            return i18n.format_date_input(value)
        return super().format_value(value)


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


THOUSANDS_SEPARATORS = (",", "\u066c", "\u060c", "\u2019", "'", " ", "\u00a0", "\u202f", "_")


def normalize_number_text(value):
    """What an editor typed as a number, as ASCII: Persian/Arabic digits, no thousands separators (٬ , ، and
    spaces), ٫ or a single dot as the decimal point, a Persian minus sign. Not a number: returned as is
    (with ASCII digits) for the field to refuse."""
    if not isinstance(value, str):
        return value
    text = i18n.to_ascii_digits(value).strip().replace("\u066b", ".").replace("\u2212", "-")
    text = text.replace("\u200e", "").replace("\u200f", "")
    for separator in THOUSANDS_SEPARATORS:
        text = text.replace(separator, "")
    return text


class LocalizedNumberInput(forms.TextInput):
    """A number typed as text: browsers drop Persian digits and ٬ from `type=number`, so a text input with
    `inputmode` for the phone keypad, showing the value formatted (۳۲۰٬۰۰۰٬۰۰۰ on fa, 320,000,000 on en).

    Reusable for any amount, count or KPI field (`LocalizedIntegerField`, `LocalizedDecimalField` and
    the NumberBlock/WholeNumberBlock of cms.blocks use it)."""

    def __init__(self, attrs=None, decimal=False):
        self.decimal = decimal
        defaults = {
            "inputmode": "decimal" if decimal else "numeric",
            "dir": "ltr",
            "autocomplete": "off",
            "class": "revayat-number",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        try:
            number = Decimal(normalize_number_text(str(value)))
        except (InvalidOperation, ValueError):
            return str(value)  # what the editor typed, shown back with its error
        if not number.is_finite():
            return str(value)
        return i18n.format_number(number)


class LocalizedIntegerField(forms.IntegerField):
    """An integer typed with Persian or ASCII digits and thousands separators (۳۲۰٬۰۰۰ or 320,000)."""

    widget = LocalizedNumberInput

    def to_python(self, value):
        return super().to_python(normalize_number_text(value))

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)  # no min/max/step: they only suit type=number


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed with Persian or ASCII digits, ٬/, for thousands and ٫/. for the decimal point."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", LocalizedNumberInput(decimal=True))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return super().to_python(normalize_number_text(value))

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)
