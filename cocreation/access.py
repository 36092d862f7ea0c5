"""Who may open a worksheet: the personal link, exchanged once for a session, and the session's rights.

The raw token is never stored (SHA-256 only) and works once: it is exchanged for a session holding the
invitation's id, the session key is rotated, and the browser is redirected to a token-free URL (so the
token stays out of history, logs and `Referer`). Failed guesses are counted per client address in the
cache; past the limit the door answers 429 for a while, whether the next guess is right or not. The cache
is Django's default: Redis when CACHE_URL is set, so every server process counts the same guesses
(`check --deploy` warns when it is a per-process cache).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from cocreation.models import Invitation, Worksheet, hash_token

SESSION_KEY = "cocreation_invitations"
GUESS_LIMIT = getattr(settings, "COCREATION_GUESS_LIMIT", 10)
GUESS_WINDOW = 15 * 60  # seconds


class Refused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason  # "unknown", "used", "expired", "revoked", "throttled"


def _client(request):
    return request.META.get("REMOTE_ADDR", "unknown")


def _guess_key(request):
    return f"cocreation:guesses:{_client(request)}"


def throttled(request):
    return cache.get(_guess_key(request), 0) >= GUESS_LIMIT


def _count_guess(request):
    key = _guess_key(request)
    if cache.add(key, 1, GUESS_WINDOW) is False:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, GUESS_WINDOW)


def exchange(request, token):
    """Trade a personal link for a session; returns the invitation or raises Refused."""
    if throttled(request):
        raise Refused("throttled")
    invitation = (
        Invitation.objects.select_related("round").filter(token_hash=hash_token(token)).first()
        if token
        else None
    )
    if invitation is None:
        _count_guess(request)
        # A used link has no hash left: it is as unknown as a guess.
        raise Refused("unknown")
    now = timezone.now()
    if invitation.revoked_at:
        raise Refused("revoked")
    if invitation.expires_at and invitation.expires_at <= now:
        raise Refused("expired")
    invitation.token_hash = None  # single use
    invitation.opened_at = invitation.opened_at or now
    invitation.save(update_fields=["token_hash", "opened_at"])
    Worksheet.objects.get_or_create(invitation=invitation)
    grant(request, invitation)
    return invitation


def grant(request, invitation):
    """Let this browser session act for the invitation (a new session key against fixation)."""
    owned = list(request.session.get(SESSION_KEY, []))
    request.session.cycle_key()
    if invitation.pk not in owned:
        owned.append(invitation.pk)
    request.session[SESSION_KEY] = owned


def owned_worksheet(request, public_id):
    """The worksheet with this id if this session owns it; Http404 otherwise (never 403: an id of
    someone else's worksheet must not be told apart from no worksheet)."""
    owned = request.session.get(SESSION_KEY, [])
    worksheet = (
        Worksheet.objects.select_related("invitation__round", "invitation__participant")
        .filter(public_id=public_id, invitation_id__in=owned, invitation__revoked_at__isnull=True)
        .first()
    )
    if worksheet is None:
        raise Http404("no such worksheet")
    return worksheet
