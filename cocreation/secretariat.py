"""What the secretariat does, as functions the admin views and the demo both call: invite (one person or
a CSV), resend and revoke links, extend deadlines (audited), and invite a round's shortlist to the next
round in one action (their worksheets start from their answers)."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocreation import views, worksheets
from cocreation.models import (
    Extension,
    Invitation,
    Participant,
    StakeholderGroup,
    Worksheet,
)

GROUP_NAMES = {
    **{value: value for value in StakeholderGroup.values},
    "ذی‌مدخلان": StakeholderGroup.INSIDERS,
    "ذی‌ربطان": StakeholderGroup.RELATED_BODIES,
    "ذی‌نفعان": StakeholderGroup.STAKEHOLDERS,
    "خبرگان": StakeholderGroup.EXPERTS,
    "experts": StakeholderGroup.EXPERTS,
}


@dataclass
class ImportResult:
    invited: list = field(default_factory=list)  # invitations created
    errors: list = field(default_factory=list)  # (row number, message)


def _normal_group(text):
    text = (text or "").strip().replace(" ", "\u200c").lower()
    return GROUP_NAMES.get(text) or GROUP_NAMES.get(text.replace("\u200c", ""))


def import_csv(round_, text, request=None, send=True):
    """Invite the people of a CSV (name, email, group; a header row): every row is checked first, and
    nothing is imported while any row is wrong, so the secretariat fixes the file and imports it again."""
    result = ImportResult()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows:
        result.errors.append((0, _("the file is empty")))
        return result
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [name for name in ("name", "email", "group") if name not in header]
    if missing:
        result.errors.append((1, _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)}))
        return result
    at = {name: header.index(name) for name in ("name", "email", "group")}
    seen, people = set(), []
    already = set(Invitation.objects.filter(round=round_).values_list("participant__email", flat=True))
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[index].strip() if index < len(row) else "") for name, index in at.items()}
        problems = []
        if not cells["name"]:
            problems.append(_("name is empty"))
        email = cells["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("not an e-mail address: %(value)r") % {"value": cells["email"]})
        group = _normal_group(cells["group"])
        if group is None:
            problems.append(
                _("unknown group %(value)r (one of %(groups)s)")
                % {"value": cells["group"], "groups": ", ".join(StakeholderGroup.values)}
            )
        if email in seen:
            problems.append(_("%(email)s appears twice in the file") % {"email": email})
        elif email in already:
            problems.append(_("%(email)s is already invited to this round") % {"email": email})
        seen.add(email)
        if problems:
            result.errors.append((number, "; ".join(problems)))
        else:
            people.append((cells["name"], email, group))
    if result.errors:
        return result
    with transaction.atomic():
        for name, email, group in people:
            participant = Participant.objects.filter(
                email__iexact=email
            ).first() or Participant.objects.create(name=name, email=email, group=group)
            invite = Invitation.objects.create(participant=participant, round=round_)
            Worksheet.objects.create(invitation=invite)
            result.invited.append(invite)
    if send:
        for invite in result.invited:
            views.send_link(request, invite)
    return result


def resend(invite, request=None):
    return views.send_link(request, invite)


def revoke(invite):
    invite.revoked_at = timezone.now()
    invite.token_hash = None
    invite.save(update_fields=["revoked_at", "token_hash"])


def extend_round(round_, new_end, reason, user, notify="unsubmitted", request=None):
    """Move the round's end (audited). Notify the invitees who have not submitted (default), all, or none."""
    if not reason.strip():
        raise ValidationError(_("an extension needs a reason"))
    if new_end <= round_.ends_at:
        raise ValidationError(_("the new end must be later than the current end"))
    with transaction.atomic():
        extension = Extension.objects.create(
            round=round_, old_end=round_.ends_at, new_end=new_end, reason=reason, by=user
        )
        round_.ends_at = new_end
        round_.save(update_fields=["ends_at"])
    targets = round_.invitations.filter(revoked_at__isnull=True)
    if notify == "unsubmitted":
        targets = targets.exclude(worksheet__submitted_at__isnull=False)
    elif notify != "all":
        targets = targets.none()
    count = 0
    for invite in targets.select_related("participant", "round"):
        if invite.participant.email:
            views.send_link(request, invite)
            count += 1
    extension.notified = count
    extension.save(update_fields=["notified"])
    return extension


def extend_person(invite, new_end, reason, user):
    """Give one invitee more time (audited); the round's end stays."""
    if not reason.strip():
        raise ValidationError(_("an extension needs a reason"))
    old = invite.deadline()
    if new_end <= old:
        raise ValidationError(_("the new end must be later than the person's current end"))
    with transaction.atomic():
        extension = Extension.objects.create(
            round=invite.round, invitation=invite, old_end=old, new_end=new_end, reason=reason, by=user
        )
        invite.extended_until = new_end
        invite.save(update_fields=["extended_until"])
    return extension


def invite_shortlist(source_round, target_round, request=None, send=True):
    """Invite everyone shortlisted in `source_round` to `target_round` (one action); each new worksheet
    starts from the person's answers in the source round. People already invited are skipped."""
    created = []
    shortlisted = Worksheet.objects.filter(invitation__round=source_round, shortlisted=True).select_related(
        "invitation__participant"
    )
    with transaction.atomic():
        for previous in shortlisted:
            participant = previous.invitation.participant
            invite, new = Invitation.objects.get_or_create(participant=participant, round=target_round)
            if not new:
                continue
            sheet = Worksheet.objects.create(invitation=invite)
            worksheets.start_from(sheet, previous)
            created.append(invite)
    if send:
        for invite in created:
            if invite.participant.email:
                views.send_link(request, invite)
    return created
