"""The personal link: single use, hashed at rest, expiring, revocable, rate-limited against guessing,
exchanged for a session and a redirect to a token-free URL."""

import datetime

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from cocreation import access, checks, sms
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


@pytest.mark.parametrize(
    "typed",
    ["09121234567", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "+98 912 123 4567", "0098-912-123-4567", "9121234567"],
)
def test_iranian_mobile_numbers_in_any_usual_writing(typed):
    assert sms.normalize_mobile(typed) == "+989121234567"


@pytest.mark.parametrize("typed", ["0912123456", "02188776655", "+44 7911 123456", "۰۹۱۲", "mobile"])
def test_not_an_iranian_mobile_number(typed):
    with pytest.raises(ValidationError):
        sms.normalize_mobile(typed)


def test_signing_up_with_a_mobile_number_texts_the_link(client, open_round, settings, mailoutbox):
    settings.COCREATION_SMS_BACKEND = "cocreation.sms.memory"
    sms.outbox.clear()
    Round.objects.filter(pk=open_round.pk).update(access=Round.Access.OPEN)
    url = f"/fa/cocreation/rounds/{open_round.pk}/signup/"
    refused = client.post(url, {"name": "رضا", "mobile": "۰۲۱ ۸۸۷۷ ۶۶۵۵", "group": "insiders"})
    assert "شمارهٔ تلفن همراه درست نیست" in refused.content.decode() and sms.outbox == []
    nothing = client.post(url, {"name": "رضا", "group": "insiders"}).content.decode()
    assert "نشانی رایانامه یا شمارهٔ تلفن همراه را بنویسید" in nothing
    done = client.post(url, {"name": "رضا", "mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷", "group": "insiders"})
    assert "فرستاده شد" in done.content.decode()
    ((number, text),) = sms.outbox
    assert number == "+989121234567" and mailoutbox == []
    invite = Invitation.objects.get(round=open_round, participant__mobile="+989121234567")
    link = text.split(": ", 1)[1]
    assert client.__class__().get(link).status_code == 302
    assert Invitation.objects.get(pk=invite.pk).opened_at is not None
    # The same number again: the same person, a fresh link.
    client.post(url, {"name": "رضا", "mobile": "+989121234567", "group": "insiders"})
    assert len(sms.outbox) == 2 and Invitation.objects.filter(round=open_round).count() == 1


def test_signing_up_on_the_english_page_sends_an_english_link(client, open_round, mailoutbox):
    Round.objects.filter(pk=open_round.pk).update(access=Round.Access.OPEN)
    url = f"/en/cocreation/rounds/{open_round.pk}/signup/"
    form = client.get(url).content.decode()
    assert "Mobile number" in form and "تلفن همراه" not in form
    client.post(url, {"name": "Sam", "email": "sam@example.com", "group": "experts"})
    (message,) = mailoutbox
    assert message.subject == "The link to your Vision 1430 worksheet" and "(Tehran time)" in message.body
    link = next(line for line in message.body.splitlines() if "/cocreation/invite/" in line)
    assert "/en/cocreation/invite/" in link
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith("/en/cocreation/worksheet/")


def test_the_guess_limit_is_shared_by_every_process_through_redis(client, invitee, settings, monkeypatch):
    """Two server processes have two cache clients: with CACHE_URL (Redis) they count the same guesses."""
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.redis_cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
            "KEY_PREFIX": "cocreation18-test",
        }
    }
    key = access._guess_key(RequestFactory().get("/"))  # the test client's address
    caches["default"].delete(key)
    _invite, token = invitee
    for n in range(access.GUESS_LIMIT):  # guessed against the first process
        assert client.get(f"/fa/cocreation/invite/guess-{n}-{'x' * 20}/").status_code == 404
    other_process = caches.create_connection("default")  # its own client and connection pool
    monkeypatch.setattr(access, "cache", other_process)
    assert other_process.get(key) == access.GUESS_LIMIT
    assert client.get(f"/fa/cocreation/invite/{token}/").status_code == 429  # refused by the second
    other_process.delete(key)


def test_a_per_process_cache_is_flagged_by_the_deploy_check(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in checks.guess_limit_is_shared()] == ["cocreation.W001"]
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.redis_cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
        }
    }
    assert checks.guess_limit_is_shared() == []
