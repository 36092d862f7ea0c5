"""Fixtures of the co-creation tests: an open round of the demo call, and invitees holding links."""

import datetime

import pytest
from django.utils import timezone

from cocreation.models import CallPage, Invitation, Participant, Round, StakeholderGroup, Worksheet

LIFETIME = datetime.timedelta(days=7)


@pytest.fixture
def call(db):
    return CallPage.objects.get(locale__language_code="fa", slug="co-creation")  # the demo's round-1 call


@pytest.fixture
def open_round(call):
    now = timezone.now()
    return Round.objects.create(
        call=call,
        number=9,
        title="دور آزمون",
        access=Round.Access.INVITE,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=3),
    )


def make_invitee(round_, name="کارشناس آزمون", email="expert@example.com", group=StakeholderGroup.EXPERTS):
    participant = Participant.objects.create(name=name, email=email, group=group)
    invite = Invitation.objects.create(participant=participant, round=round_)
    token = invite.issue_token(LIFETIME)
    invite.save()
    Worksheet.objects.create(invitation=invite)
    return invite, token


@pytest.fixture
def invitee(open_round):
    return make_invitee(open_round)


@pytest.fixture
def signed_in(client, invitee):
    """A client whose session owns the invitee's worksheet (the link exchanged)."""
    invite, token = invitee
    response = client.get(f"/fa/cocreation/invite/{token}/")
    assert response.status_code == 302
    invite.refresh_from_db()
    return client, invite.worksheet


def save(client, sheet, version, items=(), commentary=""):
    return client.post(
        f"/fa/cocreation/worksheet/{sheet.public_id}/save",
        {"version": version, "items": list(items), "commentary": commentary},
        content_type="application/json",
    )


ITEM = {
    "kind": "trend",
    "domain": None,
    "title": "سالمندی جمعیت",
    "description": "",
    "impact": -2,
    "likelihood": 5,
    "horizon": "1410-1415",
    "confidence": "high",
    "analysis": "فشار بر تعهدات بلندمدت",
}
