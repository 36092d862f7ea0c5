"""Where the distribution worker may send requests: never back into Revayat's own machine or network.

A channel's API address or webhook target is refused when its host is, or resolves to, a loopback,
link-local (including the cloud metadata address 169.254.169.254), private, unique-local, unspecified,
multicast or otherwise non-global address, unless `settings.REVAYAT_OUTBOUND_ALLOWLIST` names the host
or a network holding the address (the tests name their loopback fakes). It is checked when a channel is
saved (a form error) and again for every request the worker sends, since a name may resolve elsewhere
by then (DNS rebinding); the worker follows no redirects, and a hop would be checked the same way.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.distribution.channels.base import Permanent


class Unresolvable(Exception):
    """The host name has no address (now)."""


def _allowlist():
    names, networks = set(), []
    for entry in settings.REVAYAT_OUTBOUND_ALLOWLIST:
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            names.add(entry.lower())
    return names, networks


def _addresses(host, port):
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolvable(host) from error
    addresses = set()
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        addresses.add(getattr(address, "ipv4_mapped", None) or address)
    return addresses


def refused_address(url):
    """The local or private address `url` leads to, or None when Revayat may send to it.

    Raises Unresolvable when the host has no address, ValueError when `url` is not an http(s) URL.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(url)
    names, networks = _allowlist()
    if parts.hostname.lower() in names:
        return None
    for address in _addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)):
        if not address.is_global and not any(address in network for network in networks):
            return address
    return None


def validate_outbound_url(url):
    """For forms: a ValidationError in the editor's language when `url` may not be used."""
    try:
        address = refused_address(url)
    except ValueError as error:
        raise ValidationError(_("Enter an http:// or https:// address."), code="scheme") from error
    except Unresolvable as error:
        raise ValidationError(_("The host of this address cannot be found."), code="unresolvable") from error
    if address is not None:
        raise ValidationError(
            _(
                "This address leads to a local or private network address (%(address)s); Revayat does not "
                "send there unless REVAYAT_OUTBOUND_ALLOWLIST names it."
            )
            % {"address": address},
            code="private_address",
        )


class GuardedTransport(httpx.HTTPTransport):
    """The worker's transport: each request (and each redirect hop) is checked just before it is sent."""

    def handle_request(self, request):
        try:
            address = refused_address(str(request.url))
        except Unresolvable:
            address = None  # connecting fails the usual way (a transport error, retried)
        except ValueError as error:
            raise Permanent(_("Not an http(s) address: %(url)s") % {"url": request.url}) from error
        if address is not None:
            raise Permanent(
                _(
                    "Refused to send to %(host)s: it resolves to the local or private address %(address)s "
                    "(see REVAYAT_OUTBOUND_ALLOWLIST)"
                )
                % {"host": request.url.host, "address": address}
            )
        return super().handle_request(request)
