"""Where the distribution worker may send requests: never back into Revayat's own machine or network.

A channel's API address or webhook target is refused when its host is, or resolves to, a loopback,
link-local (including the cloud metadata address 169.254.169.254), private, unique-local, unspecified,
multicast or otherwise non-global address, unless `settings.REVAYAT_OUTBOUND_ALLOWLIST` names the host
or a network holding the address (the tests name their loopback fakes). It is checked when a channel is
saved (a form error) and again for every connection the worker opens, since a name may resolve elsewhere
by then (DNS rebinding); the worker follows no redirects, and a hop would be checked the same way.

At send time the name is resolved once: the worker's transport connects to the very address it checked
(`PinnedBackend`), so a resolver that answers a public address to the check and a local one to the
connection has no second answer to give. TLS still names the host (SNI, certificate check) and the
request keeps its Host header: only the TCP connection is pinned.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import httpcore
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
    """The addresses `host` resolves to now, in the resolver's order, without repeats."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolvable(host) from error
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        address = getattr(address, "ipv4_mapped", None) or address
        if address not in addresses:
            addresses.append(address)
    return addresses


def _refused(host, addresses):
    """The first of `addresses` (of `host`) Revayat may not send to, or None."""
    names, networks = _allowlist()
    if host.lower() in names:
        return None
    for address in addresses:
        if not address.is_global and not any(address in network for network in networks):
            return address
    return None


def checked_addresses(host, port):
    """The addresses of `host` (resolved once) when Revayat may send to all of them.

    Raises Unresolvable when the host has no address, Permanent when one of them is local or private.
    """
    addresses = _addresses(host.strip("[]"), port)
    address = _refused(host, addresses)
    if address is not None:
        raise Permanent(
            _(
                "Refused to send to %(host)s: it resolves to the local or private address %(address)s "
                "(see REVAYAT_OUTBOUND_ALLOWLIST)"
            )
            % {"host": host, "address": address}
        )
    return addresses


def refused_address(url):
    """The local or private address `url` leads to, or None when Revayat may send to it.

    Raises Unresolvable when the host has no address, ValueError when `url` is not an http(s) URL.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(url)
    names, _networks = _allowlist()
    if parts.hostname.lower() in names:
        return None  # named: not even looked up
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return _refused(parts.hostname, _addresses(parts.hostname, port))


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


class PinnedBackend(httpcore.NetworkBackend):
    """httpcore's network backend that resolves a host once, checks every address, and connects to the
    checked addresses themselves (never to the name, which the operating system would resolve again)."""

    def __init__(self):
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = checked_addresses(host, port)
        except Unresolvable as error:
            raise httpcore.ConnectError(f"The host {host} cannot be found") from error
        failure = None
        for address in addresses:
            try:
                return self._backend.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise Permanent(_("The worker does not connect to local sockets"))

    def sleep(self, seconds):
        self._backend.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """The worker's transport: each connection (each redirect hop's too) goes only to the addresses
    checked for it (`PinnedBackend`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not isinstance(self._pool, httpcore.ConnectionPool) or isinstance(
            self._pool, (httpcore.HTTPProxy, httpcore.SOCKSProxy)
        ):
            raise ValueError("GuardedTransport does not send through a proxy")
        self._pool._network_backend = PinnedBackend()

    def handle_request(self, request):
        if request.url.scheme not in ("http", "https") or not request.url.host:
            raise Permanent(_("Not an http(s) address: %(url)s") % {"url": request.url})
        return super().handle_request(request)
