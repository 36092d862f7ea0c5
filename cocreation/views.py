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
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocreation import access, worksheets
from cocreation.display import deadline_text
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
    with translation.override("fa"):
        try:
            found = access.exchange(request, token)
        except access.Refused as refused:
            status, message = REFUSALS[refused.reason]
            response = render(request, "cocreation/refused.html", {"message": message}, status=status)
            return _no_referrer(response)
        return _no_referrer(HttpResponseRedirect(worksheet_url(found.worksheet)))


def worksheet_url(worksheet):
    with translation.override("fa"):  # the worksheet is Persian-first
        return reverse("cocreation:worksheet", args=[worksheet.public_id])


@never_cache
@ensure_csrf_cookie  # the autosave script sends it back in X-CSRFToken
@require_GET
def worksheet(request, public_id):
    sheet = access.owned_worksheet(request, public_id)
    scales = WorksheetScales.load()
    invitation = sheet.invitation
    now = timezone.now()
    call = invitation.round.call.specific
    with translation.override("fa"):
        response = render(
            request,
            "cocreation/worksheet.html",
            {
                "sheet": sheet,
                "call": call,
                "round": invitation.round,
                "status": sheet.status(now),
                "deadline": deadline_text(invitation.deadline()),
                "config": {
                    "id": str(sheet.public_id),
                    "saveUrl": reverse("cocreation:save", args=[sheet.public_id]),
                    "submitUrl": reverse("cocreation:submit", args=[sheet.public_id]),
                    "dataUrl": reverse("cocreation:data", args=[sheet.public_id]),
                    "editable": invitation.may_edit(now),
                    "server": sheet.as_data(),
                    "kinds": [[value, str(label)] for value, label in Kind.choices],
                    "domains": [[d.pk, d.name_fa] for d in Domain.objects.filter(active=True)],
                    "horizons": scales.horizons(),
                    "confidences": scales.confidences(),
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
    """Sign-up to an open round: the personal link goes to the e-mail given (proof the address is theirs)."""
    round_ = get_object_or_404(Round, pk=round_id, access=Round.Access.OPEN)
    if not round_.is_open():
        raise Http404("round closed")
    errors, sent = [], False
    values = {key: request.POST.get(key, "").strip() for key in ("name", "email", "mobile", "group")}
    if request.method == "POST":
        if not values["name"]:
            errors.append("نام را بنویسید.")
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append("نشانی رایانامه درست نیست.")
        if values["group"] not in StakeholderGroup.values:
            errors.append("گروه ذی‌نفع را برگزینید.")
        if not errors:
            participant = Participant.objects.filter(email__iexact=values["email"]).first()
            if participant is None:
                participant = Participant.objects.create(
                    name=values["name"], email=values["email"], mobile=values["mobile"], group=values["group"]
                )
            invite, _created = Invitation.objects.get_or_create(participant=participant, round=round_)
            send_link(request, invite)
            sent = True
    with translation.override("fa"):
        return render(
            request,
            "cocreation/signup.html",
            {
                "round": round_,
                "groups": StakeholderGroup.choices,
                "errors": errors,
                "sent": sent,
                "values": values,
                "deadline": deadline_text(round_.ends_at),
            },
        )


def send_link(request, invite):
    """A fresh personal link by e-mail (the previous one stops working)."""
    token = invite.issue_token(LINK_LIFETIME)
    invite.sent_at = timezone.now()
    invite.send_count += 1
    invite.save(update_fields=["token_hash", "expires_at", "revoked_at", "sent_at", "send_count"])
    with translation.override("fa"):
        url = reverse("cocreation:invitation", args=[token])
    if request is not None:
        url = request.build_absolute_uri(url)
    send_mail(
        "پیوند کاربرگ چشم‌انداز ۱۴۳۰",
        f"{invite.participant.name} گرامی،\n\nپیوند شخصی شما برای کاربرگ:\n{url}\n\n"
        f"مهلت: {deadline_text(invite.deadline())}\nاین پیوند فقط یک بار کار می‌کند.",
        None,
        [invite.participant.email],
    )
    return token


def worksheet_for(invite):
    sheet, _created = Worksheet.objects.get_or_create(invitation=invite)
    return sheet
