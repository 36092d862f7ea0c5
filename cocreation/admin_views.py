"""The secretariat's admin views (Wagtail admin, /admin/cocreation/): rounds and invitations, CSV import,
resend/revoke, extensions, review and shortlist, the analyst's view, exports and the results draft.

Every view requires `cocreation.access_secretariat` (cocreation.roles): participants' identities and
answers are personal data.
"""

import datetime
import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.i18n import parse_local_date
from cocreation import analysis, results, secretariat
from cocreation.display import deadline_text, jalali
from cocreation.models import Invitation, Round, StakeholderGroup, Worksheet
from cocreation.roles import is_secretariat


def secretariat_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_secretariat(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def parse_end(text):
    """An end typed as a Jalali or Gregorian day: the round ends when that day ends in Asia/Tehran
    (the stored end is exclusive: midnight after it). "1404/06/20 18:00" ends at that local time."""
    text = (text or "").strip()
    day_text, _sep, time_text = text.partition(" ")
    day = parse_local_date(day_text)
    if time_text:
        hour, minute = (int(part) for part in time_text.split(":"))
        local = datetime.datetime.combine(day, datetime.time(hour, minute))
    else:
        local = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(local)


@secretariat_only
def rounds(request):
    items = Round.objects.select_related("call").order_by("call__path", "number")
    now = timezone.now()
    return render(
        request,
        "cocreation/admin/rounds.html",
        {
            "rounds": [
                (r, r.is_open(now), deadline_text(r.ends_at), analysis.status_counts(r)["all"]) for r in items
            ]
        },
    )


@secretariat_only
def round_detail(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    invitations = (
        Invitation.objects.filter(round=round_)
        .select_related("participant", "worksheet", "round")
        .order_by("participant__name")
    )
    return render(
        request,
        "cocreation/admin/round.html",
        {
            "round": round_,
            "deadline": deadline_text(round_.ends_at),
            "invitations": [(i, deadline_text(i.deadline())) for i in invitations],
            "extensions": [
                (e, jalali(e.at), deadline_text(e.old_end), deadline_text(e.new_end))
                for e in round_.extensions.select_related("invitation__participant", "by")
            ],
            "import_errors": request.session.pop("cocreation_import_errors", None),
        },
    )


@require_POST
@secretariat_only
def import_csv(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV file."))
        return redirect("cocreation_admin:round", pk=pk)
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        messages.error(request, _("The file is not UTF-8 text."))
        return redirect("cocreation_admin:round", pk=pk)
    result = secretariat.import_csv(round_, text, request=request)
    if result.errors:
        request.session["cocreation_import_errors"] = result.errors
        messages.error(request, _("Nothing imported: %(n)s row(s) to fix.") % {"n": len(result.errors)})
    else:
        messages.success(request, _("%(n)s people invited.") % {"n": len(result.invited)})
    return redirect("cocreation_admin:round", pk=pk)


@require_POST
@secretariat_only
def invitation_action(request, pk, action):
    invite = get_object_or_404(Invitation.objects.select_related("round", "participant"), pk=pk)
    try:
        if action == "resend":
            secretariat.resend(invite, request)
            messages.success(request, _("A new link was sent to %(name)s.") % {"name": invite.participant})
        elif action == "revoke":
            secretariat.revoke(invite)
            messages.success(request, _("The link of %(name)s was revoked.") % {"name": invite.participant})
        elif action == "extend":
            secretariat.extend_person(
                invite, parse_end(request.POST.get("new_end")), request.POST.get("reason", ""), request.user
            )
            messages.success(
                request,
                _("%(name)s may edit %(deadline)s.")
                % {"name": invite.participant, "deadline": deadline_text(invite.deadline())},
            )
    except (ValidationError, ValueError) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    return redirect("cocreation_admin:round", pk=invite.round_id)


@require_POST
@secretariat_only
def extend_round(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    try:
        extension = secretariat.extend_round(
            round_,
            parse_end(request.POST.get("new_end")),
            request.POST.get("reason", ""),
            request.user,
            notify=request.POST.get("notify", "unsubmitted"),
            request=request,
        )
        messages.success(
            request,
            _("Extended %(deadline)s; %(n)s notified.")
            % {"deadline": deadline_text(extension.new_end), "n": extension.notified},
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    return redirect("cocreation_admin:round", pk=pk)


@secretariat_only
def review(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    sheets = Worksheet.objects.filter(invitation__round=round_).select_related("invitation__participant")
    if request.GET.get("submitted"):
        sheets = sheets.filter(submitted_at__isnull=False)
    if tag := request.GET.get("tag"):
        sheets = sheets.filter(tags__icontains=tag)
    if request.method == "POST":
        for sheet in sheets:
            score = request.POST.get(f"score-{sheet.pk}", "")
            sheet.score = int(score) if score.isdigit() and int(score) <= 10 else None
            sheet.tags = request.POST.get(f"tags-{sheet.pk}", "")[:300]
            sheet.shortlisted = f"shortlist-{sheet.pk}" in request.POST
            sheet.save(update_fields=["score", "tags", "shortlisted"])
        messages.success(request, _("Review saved."))
        return redirect(request.get_full_path())
    return render(
        request,
        "cocreation/admin/review.html",
        {
            "round": round_,
            "sheets": sheets.order_by("-score", "invitation__participant__name"),
            "next_rounds": round_.next_rounds.all(),
        },
    )


@require_POST
@secretariat_only
def invite_shortlist(request, pk, target):
    source = get_object_or_404(Round, pk=pk)
    target_round = get_object_or_404(Round, pk=target, previous=source)
    created = secretariat.invite_shortlist(source, target_round, request=request)
    invited = _("%(n)s shortlisted people invited to %(round)s.")
    messages.success(request, invited % {"n": len(created), "round": target_round})
    return redirect("cocreation_admin:round", pk=target_round.pk)


@secretariat_only
def worksheet_detail(request, pk):
    sheet = get_object_or_404(
        Worksheet.objects.select_related("invitation__participant", "invitation__round"), pk=pk
    )
    return render(
        request,
        "cocreation/admin/worksheet.html",
        {
            "sheet": sheet,
            "items": sheet.items.select_related("domain"),
            "submissions": sheet.submissions.all(),
        },
    )


@secretariat_only
def analysis_view(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    heat = analysis.heat_map(round_)
    return render(
        request,
        "cocreation/admin/analysis.html",
        {
            "round": round_,
            "counts": analysis.status_counts(round_),
            "by_domain": analysis.by_domain(round_),
            "heat": [
                (domain, list(zip(analysis.IMPACTS, rows, strict=True))) for domain, rows in heat.items()
            ],
            "likelihoods": analysis.LIKELIHOODS,
            "most_cited": analysis.most_cited(round_),
            "impact_distribution": sorted(analysis.distribution(round_, "impact").items()),
            "likelihood_distribution": sorted(analysis.distribution(round_, "likelihood").items()),
            "impacts": analysis.IMPACTS,
            "items": labelled_groups(analysis.item_statistics(round_, limit=30)),
            "min_shown": analysis.MIN_SHOWN,
        },
    )


def labelled_groups(items):
    """item_statistics() with each group's medians under the group's name, in the admin's language."""
    labels = dict(StakeholderGroup.choices)
    return [
        {**item, "groups": [(labels.get(code, code), g) for code, g in item["groups"].items()]}
        for item in items
    ]


@secretariat_only
def export(request, pk, fmt):
    round_ = get_object_or_404(Round, pk=pk)
    name = f"cocreation-round-{round_.pk}"
    if fmt == "xlsx":
        response = HttpResponse(
            analysis.export_xlsx(round_),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(analysis.export_csv(round_), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@secretariat_only
def make_results(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    page = results.create_draft(round_.call.specific, round_, request.user)
    messages.success(request, _("A draft results page was created; submit it for review to publish it."))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


urlpatterns = [
    path("", rounds, name="rounds"),
    path("rounds/<int:pk>/", round_detail, name="round"),
    path("rounds/<int:pk>/import/", import_csv, name="import"),
    path("rounds/<int:pk>/extend/", extend_round, name="extend"),
    path("rounds/<int:pk>/review/", review, name="review"),
    path("rounds/<int:pk>/invite-shortlist/<int:target>/", invite_shortlist, name="invite_shortlist"),
    path("rounds/<int:pk>/analysis/", analysis_view, name="analysis"),
    path("rounds/<int:pk>/export.<str:fmt>", export, name="export"),
    path("rounds/<int:pk>/results/", make_results, name="results"),
    path("invitations/<int:pk>/<str:action>/", invitation_action, name="invitation"),
    path("worksheets/<int:pk>/", worksheet_detail, name="worksheet"),
]
