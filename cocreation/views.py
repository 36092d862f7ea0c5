"""The participant's doors: the personal link, the worksheet page and its JSON save/submit endpoints,
and sign-up to an open round. All are personal (cms.visibility registers them as doors; the privacy
matrix checks that nobody else gets anything out of them).
"""

import datetime
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms import visibility
from cocreation import access, analysis, sms, worksheets
from cocreation.display import deadline_in
from cocreation.models import (
    Domain,
    Invitation,
    Kind,
    Participant,
    Round,
    StakeholderGroup,
    Worksheet,
    WorksheetScales,
)

LINK_LIFETIME = datetime.timedelta(days=getattr(settings, "COCREATION_LINK_DAYS", 30))
REFUSALS = {
    "unknown": (
        404,
        "این پیوند معتبر نیست یا پیش‌تر به کار رفته است. برای پیوند تازه با دبیرخانه تماس بگیرید.",
    ),
    "expired": (410, "زمان این پیوند گذشته است. برای پیوند تازه با دبیرخانه تماس بگیرید."),
    "revoked": (410, "این پیوند باطل شده است."),
    "throttled": (429, "تلاش‌های نادرست زیاد بود. چند دقیقه بعد دوباره امتحان کنید."),
}


def _no_referrer(response):
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def invitation(request, token):
    """The personal link: exchanged once for a session, then a redirect to the token-free worksheet."""
    language = page_language()
    with translation.override("fa"):
        try:
            found = access.exchange(request, token)
        except access.Refused as refused:
            status, message = REFUSALS[refused.reason]
            response = render(request, "cocreation/refused.html", {"message": message}, status=status)
            return _no_referrer(response)
        # The worksheet in the link's language (/fa/… or /en/…): the session works in both.
        return _no_referrer(HttpResponseRedirect(worksheet_url(found.worksheet, language)))


def page_language():
    """The language of this request's URL prefix: "en" or "fa" (Persian-first otherwise)."""
    return "en" if translation.get_language() == "en" else "fa"


def worksheet_url(worksheet, language="fa"):
    with translation.override(language):
        return reverse("cocreation:worksheet", args=[worksheet.public_id])


def worksheet_messages():
    """The autosave script's words in the active language ("%(n)s": a number it fills in)."""
    return {
        "typing": _("Typing…"),
        "offline": _("No connection; the draft is kept in this browser."),
        "wentOffline": _("Connection lost; the draft is kept in this browser."),
        "saved": _("Saved (version %(n)s)"),
        "conflict": _("Version conflict: your version is kept in this browser."),
        "closed": _("This round has ended; the worksheet is read-only."),
        "closedUnsaved": _(
            "This round has ended; the worksheet is read-only and the last change was not saved."
        ),
        "session": _("Your session has ended; the draft is kept in this browser. Come back with a new link."),
        "failed": _("Not saved (%(n)s); the draft is kept in this browser."),
        "submitted": _("Submitted; you can edit it until the deadline."),
        "submittedVersion": _("Submitted (version %(n)s). You can edit it until the deadline."),
        "serverLoaded": _("The saved version was loaded."),
        "restored": _("An unsaved draft from this browser was restored; saving…"),
    }


def call_in(call, language):
    """The call page in the worksheet's language when that translation is public, else the source."""
    found = visibility.public_translation(call, language)
    return found.specific if found is not None else call


def feedback(sheet):
    """Delphi-style feedback: after their own first submission, a participant sees the medians of the
    most cited items, overall and of their own group (only where at least MIN_SHOWN people answered)."""
    if sheet.submitted_at is None:
        return None
    group = sheet.invitation.participant.group
    return [
        {**item, "own_group": item["groups"].get(group)}
        for item in analysis.item_statistics(sheet.invitation.round, min_answers=analysis.MIN_SHOWN)
    ]


@never_cache
@ensure_csrf_cookie  # the autosave script sends it back in X-CSRFToken
@require_GET
def worksheet(request, public_id):
    sheet = access.owned_worksheet(request, public_id)
    scales = WorksheetScales.load()
    invitation = sheet.invitation
    now = timezone.now()
    language = page_language()
    english = language == "en"
    call = call_in(invitation.round.call.specific, language)
    other = "fa" if english else "en"
    with translation.override(language):
        response = render(
            request,
            "cocreation/worksheet.html",
            {
                "sheet": sheet,
                "call": call,
                "round": invitation.round,
                "status": sheet.status(now),
                "deadline": deadline_in(invitation.deadline(), language),
                "feedback": feedback(sheet),
                "other_language": (other, worksheet_url(sheet, other)),
                "config": {
                    "numberLocale": "en" if english else "fa-IR",
                    "messages": worksheet_messages(),
                    "id": str(sheet.public_id),
                    "saveUrl": reverse("cocreation:save", args=[sheet.public_id]),
                    "submitUrl": reverse("cocreation:submit", args=[sheet.public_id]),
                    "dataUrl": reverse("cocreation:data", args=[sheet.public_id]),
                    "editable": invitation.may_edit(now),
                    "server": sheet.as_data(),
                    "kinds": [[value, str(label)] for value, label in Kind.choices],
                    "domains": [
                        [d.pk, (d.name_en or d.name_fa) if english else d.name_fa]
                        for d in Domain.objects.filter(active=True)
                    ],
                    "horizons": scales.horizons(),
                    # The labels are the secretariat's Persian; the English page shows the codes.
                    "confidences": [
                        [code, code if english else label] for code, label in scales.confidences()
                    ],
                },
            },
        )
    return _no_referrer(response)


@never_cache
@require_GET
def worksheet_data(request, public_id):
    sheet = access.owned_worksheet(request, public_id)
    return JsonResponse(sheet.as_data())


def _body(request):
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None


@never_cache
@require_POST
def save(request, public_id):
    """Autosave: 200 {version}; 409 {server} on a stale version; 403 {closed} after the deadline."""
    sheet = access.owned_worksheet(request, public_id)
    data = _body(request)
    if not isinstance(data, dict):
        return JsonResponse({"error": "invalid JSON"}, status=400)
    try:
        version = worksheets.save(sheet, data)
    except worksheets.Closed:
        return JsonResponse({"error": "closed"}, status=403)
    except worksheets.Conflict as conflict:
        return JsonResponse({"error": "conflict", "server": conflict.server}, status=409)
    except ValidationError as error:
        return JsonResponse({"error": "invalid", "messages": error.messages}, status=400)
    if sheet.invitation.opened_at is None:
        Invitation.objects.filter(pk=sheet.invitation_id).update(opened_at=timezone.now())
    return JsonResponse({"version": version})


@never_cache
@require_POST
def submit(request, public_id):
    sheet = access.owned_worksheet(request, public_id)
    try:
        number = worksheets.submit(sheet)
    except worksheets.Closed:
        return JsonResponse({"error": "closed"}, status=403)
    return JsonResponse({"submission": number})


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request, round_id):
    """Sign-up to an open round with an e-mail address or an Iranian mobile number: the personal link
    goes to the address or number given (proof it is theirs), in the page's language."""
    round_ = get_object_or_404(Round, pk=round_id, access=Round.Access.OPEN)
    if not round_.is_open():
        raise Http404("round closed")
    language = page_language()
    errors, sent = [], False
    values = {key: request.POST.get(key, "").strip() for key in ("name", "email", "mobile", "group")}
    if request.method == "POST":
        email = mobile = ""
        if not values["name"]:
            errors.append(_("Write your name."))
        if values["email"]:
            try:
                validate_email(values["email"])
                email = values["email"]
            except ValidationError:
                errors.append(_("The e-mail address is not valid."))
        if values["mobile"]:
            try:
                mobile = sms.normalize_mobile(values["mobile"])
            except ValidationError as error:
                errors.extend(error.messages)
        if not values["email"] and not values["mobile"]:
            errors.append(_("Give an e-mail address or a mobile number."))
        if values["group"] not in StakeholderGroup.values:
            errors.append(_("Choose your stakeholder group."))
        if not errors:
            participant = (
                Participant.objects.filter(email__iexact=email).first()
                if email
                else Participant.objects.filter(mobile=mobile).first()
            )
            if participant is None:
                participant = Participant.objects.create(
                    name=values["name"], email=email, mobile=mobile, group=values["group"]
                )
            invite, _created = Invitation.objects.get_or_create(participant=participant, round=round_)
            send_link(request, invite, language, by_sms=not email)
            sent = True
    return render(
        request,
        "cocreation/signup.html",
        {
            "round": round_,
            "groups": StakeholderGroup.choices,
            "errors": errors,
            "sent": sent,
            "values": values,
            "deadline": deadline_in(round_.ends_at, language),
        },
    )


def send_link(request, invite, language="fa", by_sms=False):
    """A fresh personal link by e-mail, or by text message to those who gave only a mobile number
    (the previous link stops working)."""
    token = invite.issue_token(LINK_LIFETIME)
    invite.sent_at = timezone.now()
    invite.send_count += 1
    invite.save(update_fields=["token_hash", "expires_at", "revoked_at", "sent_at", "send_count"])
    participant = invite.participant
    with translation.override(language):
        url = reverse("cocreation:invitation", args=[token])
        if request is not None:
            url = request.build_absolute_uri(url)
        deadline = deadline_in(invite.deadline(), language)
        if by_sms or not participant.email:
            sms.send(participant.mobile, _("Your Vision 1430 worksheet (single use): %(url)s") % {"url": url})
            return token
        send_mail(
            _("The link to your Vision 1430 worksheet"),
            _(
                "Dear %(name)s,\n\nYour personal link to the worksheet:\n%(url)s\n\n"
                "Deadline: %(deadline)s\nThe link works only once."
            )
            % {"name": participant.name, "url": url, "deadline": deadline},
            None,
            [participant.email],
        )
    return token


def worksheet_for(invite):
    sheet, _created = Worksheet.objects.get_or_create(invitation=invite)
    return sheet
