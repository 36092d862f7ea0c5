"""Text messages for participants who signed up with a mobile number only (their personal link).

Which gateway sends them is configuration: `COCREATION_SMS_BACKEND` names a callable
`send(number, text)` (number in E.164, +98…). The default writes to the log, as Django's console e-mail
backend does, so a site without a gateway still runs; `memory` keeps them in `outbox` for tests.
"""

import logging

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
outbox = []


def normalize_mobile(text):
    """An Iranian mobile number as +989XXXXXXXXX, from any usual way of writing it: 0912 123 4567,
    +98 912…, 0098…, 912…, in Persian, Arabic or Latin digits. Raises ValidationError otherwise."""
    try:
        number = phonenumbers.parse(text or "", "IR")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("The mobile number is not valid.")) from None
    if (
        number.country_code != 98
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(_("The mobile number is not valid."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def log(number, text):
    logger.info("SMS to %s: %s", number, text)


def memory(number, text):
    outbox.append((number, text))


def send(number, text):
    import_string(getattr(settings, "COCREATION_SMS_BACKEND", "cocreation.sms.log"))(number, text)
