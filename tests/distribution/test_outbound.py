"""Channels never point the worker into Revayat's own machine or network (issue 13 §3).

Scenarios: loopback, link-local (with the metadata address), private, unique-local, unspecified and
IPv4-mapped addresses, and names resolving to them, are refused, unless the allow-list names them; the
site administrator gets a form error when saving such a channel; a channel stored with such an address
anyway (or a name that now resolves there) is refused at send time, nothing reaches the server; a redirect
hop is checked too. Only loopback servers and unresolvable names are used: no traffic leaves the machine.
"""

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_httpserver import HTTPServer

from cms.distribution.channels.base import Permanent
from cms.distribution.models import Channel, OutboxEntry, Status
from cms.distribution.outbound import GuardedTransport, refused_address, validate_outbound_url

LOCAL = [
    "http://127.0.0.1/",
    "http://127.8.9.10:8080/x",
    "http://[::1]/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.1.1/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::]/",
    "https://LocalHost/hook",
    "http://2130706433/",
    "http://0x7f.1/",
]


@pytest.fixture(autouse=True)
def nothing_allowed(settings):
    settings.REVAYAT_OUTBOUND_ALLOWLIST = []


@pytest.mark.parametrize("url", LOCAL)
def test_local_and_private_addresses_are_refused(url):
    assert refused_address(url) is not None
    with pytest.raises(ValidationError) as refused:
        validate_outbound_url(url)
    assert refused.value.code == "private_address"


@pytest.mark.parametrize("url", ["https://93.184.215.14/api", "https://[2606:4700::1111]/"])
def test_public_addresses_are_allowed(url):
    assert refused_address(url) is None  # a numeric address: no look-up, no request


def test_the_allow_list_names_hosts_and_networks(settings):
    settings.REVAYAT_OUTBOUND_ALLOWLIST = ["relay.internal", "127.0.0.1", "10.20.0.0/16"]
    assert refused_address("http://127.0.0.1:9/") is None
    assert refused_address("http://10.20.3.4/") is None
    assert refused_address("http://RELAY.internal/") is None  # named: not even looked up
    assert refused_address("http://10.21.0.1/") is not None
    assert refused_address("http://[::1]/") is not None


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/", "file:///etc/passwd", "http:///x", "https://no-such-host.invalid/"]
)
def test_other_addresses_are_form_errors(url):
    with pytest.raises(ValidationError):
        validate_outbound_url(url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,url",
    [
        ("base_url", "http://169.254.169.254/"),
        ("base_url", "http://localhost:8000/"),
        ("target", "http://10.0.0.5/webhook"),
    ],
)
def test_the_admin_refuses_a_channel_pointing_into_the_network(login, field, url):
    browser = login("admin")
    data = {
        "name": "local",
        "kind": "portal_webhook" if field == "target" else "telegram",
        "target": "@sso",
        "base_url": "",
        "credentials_name": "local",
        "enabled": "on",
        field: url,
    }
    response = browser.post("/admin/snippets/distribution/channel/add/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "محلی" in str(response.context["form"].errors[field])
    assert not Channel.objects.filter(name="local").exists()


@pytest.fixture
def server():
    with HTTPServer(host="127.0.0.1", port=0) as http_server:
        yield http_server


def test_the_worker_client_refuses_at_send_time(server):
    server.expect_request("/hook").respond_with_data("ok")
    with (
        httpx.Client(transport=GuardedTransport(), timeout=2) as client,
        pytest.raises(Permanent, match=r"نشانی محلی یا خصوصی 127\.0\.0\.1"),
    ):
        client.post(server.url_for("/hook"), content=b"{}")
    assert server.log == []


def test_a_redirect_hop_is_checked_too(server, settings):
    settings.REVAYAT_OUTBOUND_ALLOWLIST = ["127.0.0.1"]
    server.expect_request("/hook").respond_with_data(
        "", status=307, headers={"Location": "http://[::1]:9/metadata"}
    )
    with (
        httpx.Client(transport=GuardedTransport(), timeout=2, follow_redirects=True) as client,
        pytest.raises(Permanent, match="::1"),
    ):
        client.post(server.url_for("/hook"), content=b"{}")
    assert len(server.log) == 1


@pytest.mark.django_db
def test_a_stored_local_channel_is_dead_lettered_without_a_request(demo, server, monkeypatch):
    from cms.distribution.tasks import deliver_now

    server.expect_request("/hook").respond_with_data("ok")
    channel = Channel.objects.create(
        name="stored", kind="portal_webhook", target=server.url_for("/hook"), credentials_name="stored"
    )
    monkeypatch.setenv("REVAYAT_CHANNEL_STORED", "secret")
    page = demo.plans_fa[0]
    entry = OutboxEntry.objects.create(
        channel=channel,
        page=page,
        page_key=page.pk,
        page_title=page.title,
        language_code="fa",
        revision=page.live_revision,
        event="publish",
        status=Status.QUEUED,
        idempotency_key="stored-1",
        next_attempt_at=timezone.now(),
    )
    status = deliver_now(entry.pk)
    assert status == Status.DEAD, list(entry.attempt_history.values("outcome", "detail"))
    assert "نشانی محلی یا خصوصی 127.0.0.1" in entry.attempt_history.get().detail
    assert server.log == []


class RebindingResolver:
    """A resolver that answers a public address to the first look-up of `name` and the local server's
    address to every later one (DNS rebinding); other names resolve as usual."""

    def __init__(self, name, first, then, real):
        self.name, self.answers, self.real, self.lookups = name, [first, then], real, 0

    def __call__(self, host, port, *args, **kwargs):
        if host != self.name:
            return self.real(host, port, *args, **kwargs)
        self.lookups += 1
        address = self.answers[min(self.lookups, 2) - 1]
        return self.real(address, port, *args, **kwargs)


def test_a_rebinding_resolver_gets_no_second_look_up(server, monkeypatch):
    """Checked public, then resolved again to the local server: the worker connects to the address it
    checked, or refuses; it never connects to what a second look-up answers."""
    import socket

    server.expect_request("/hook").respond_with_data("ok")
    resolver = RebindingResolver("rebind.test", "93.184.215.14", "127.0.0.1", socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    url = f"http://rebind.test:{server.port}/hook"
    with (
        httpx.Client(transport=GuardedTransport(), timeout=0.5) as client,
        pytest.raises((Permanent, httpx.TransportError)),
    ):
        client.post(url, content=b"{}")
    assert server.log == []  # the second answer (the local server) was never connected to


def test_the_worker_connects_to_the_address_it_checked_and_keeps_the_host(server, monkeypatch, settings):
    """An allowed name: one look-up per connection, the request reaches the checked address with the
    name in its Host header."""
    import socket

    settings.REVAYAT_OUTBOUND_ALLOWLIST = ["127.0.0.0/8"]
    server.expect_request("/hook").respond_with_data("ok")
    resolver = RebindingResolver("pinned.test", "127.0.0.1", "93.184.215.14", socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with httpx.Client(transport=GuardedTransport(), timeout=2) as client:
        response = client.post(f"http://pinned.test:{server.port}/hook", content=b"{}")
    assert response.text == "ok"
    assert resolver.lookups == 1
    request, _response = server.log[0]
    assert request.headers["Host"] == f"pinned.test:{server.port}"
