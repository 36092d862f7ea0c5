"""The personal link: single use, hashed at rest, expiring, revocable, rate-limited against guessing,
exchanged for a session and a redirect to a token-free URL."""

import datetime

import pytest
from django.utils import timezone

from cocreation import access
from cocreation.models import Invitation, Round, hash_token
from tests.cocreation.conftest import make_invitee

pytestmark = pytest.mark.django_db


def test_the_link_is_exchanged_for_a_session_and_a_token_free_url(client, invitee):
    invite, token = invitee
    assert Invitation.objects.get(pk=invite.pk).token_hash == hash_token(token)  # only the hash is stored
    assert not Invitation.objects.filter(token_hash=token).exists()
    response = client.get(f"/fa/cocreation/invite/{token}/")
    assert response.status_code == 302
    assert response["Referrer-Policy"] == "no-referrer"
    invite.refresh_from_db()
    assert response["Location"] == f"/fa/cocreation/worksheet/{invite.worksheet.public_id}/"
    assert token not in response["Location"]
    assert invite.opened_at is not None and invite.state == "opened"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert 'dir="rtl"' in page.content.decode()


def test_a_used_link_does_not_work_again(client, invitee):
    _invite, token = invitee
    assert client.get(f"/fa/cocreation/invite/{token}/").status_code == 302
    other = client.__class__()
    response = other.get(f"/fa/cocreation/invite/{token}/")
    assert response.status_code == 404
    assert "پیش‌تر به کار رفته" in response.content.decode()


def test_an_expired_or_revoked_link_is_refused(client, open_round):
    expired, token = make_invitee(open_round, email="a@example.com")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(f"/fa/cocreation/invite/{token}/").status_code == 410
    revoked, token = make_invitee(open_round, email="b@example.com")
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    assert client.get(f"/fa/cocreation/invite/{token}/").status_code == 410


def test_guessing_is_rate_limited_even_for_a_right_token(client, invitee):
    _invite, token = invitee
    for n in range(access.GUESS_LIMIT):
        assert client.get(f"/fa/cocreation/invite/guess-{n}-{'x' * 20}/").status_code == 404
    assert client.get(f"/fa/cocreation/invite/{token}/").status_code == 429
    # Another address is not throttled by these guesses.
    assert client.get(f"/fa/cocreation/invite/{token}/", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_a_revoked_invitation_loses_its_session_access(signed_in):
    client, sheet = signed_in
    assert client.get(f"/fa/cocreation/worksheet/{sheet.public_id}/").status_code == 200
    Invitation.objects.filter(pk=sheet.invitation_id).update(revoked_at=timezone.now())
    assert client.get(f"/fa/cocreation/worksheet/{sheet.public_id}/").status_code == 404


def test_signing_up_to_an_open_round_mails_a_personal_link(client, open_round, mailoutbox):
    Round.objects.filter(pk=open_round.pk).update(access=Round.Access.OPEN)
    url = f"/fa/cocreation/rounds/{open_round.pk}/signup/"
    refused = client.post(url, {"name": "", "email": "nope", "group": "martians"})
    assert "رایانامه درست نیست" in refused.content.decode() and mailoutbox == []
    done = client.post(url, {"name": "نگار", "email": "negar@example.com", "group": "stakeholders"})
    assert "فرستاده شد" in done.content.decode()
    invite = Invitation.objects.get(round=open_round, participant__email="negar@example.com")
    link = next(line for line in mailoutbox[0].body.splitlines() if "/cocreation/invite/" in line)
    assert client.__class__().get(link).status_code == 302
    assert Invitation.objects.get(pk=invite.pk).opened_at is not None
    # An invite-only round has no sign-up.
    Round.objects.filter(pk=open_round.pk).update(access=Round.Access.INVITE)
    assert client.get(url).status_code == 404
