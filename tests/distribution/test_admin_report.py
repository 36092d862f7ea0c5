"""The distribution report (Reports → Distribution) through the real admin, as each editorial role.

- every admin user sees rows with status, reason, attempts, attempt history and remote links;
- filters by status, channel, language and page narrow the rows;
- Approvers, Site administrators and superusers retry, cancel and mark as sent (POST, CSRF, audit log);
  editors and reviewers see no buttons and are refused on the server; a wrong state is refused with a message;
- 50 rows a page in the same number of queries as 10.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry

from cms.distribution.models import OutboxEntry, RemotePost, Status
from tests.distribution.admin_helpers import make_channel, make_entry

REPORT = "/admin/distribution/"


@pytest.fixture
def outbox(demo):
    """A Telegram and a Bale channel with rows of the first two Persian plans in several states."""
    telegram, bale = make_channel("Telegram fa"), make_channel("Bale fa")
    first, second = demo.plans_fa[0], demo.plans_fa[1]

    class Outbox:
        channels = (telegram, bale)
        sent = make_entry(telegram, first, Status.SENT, attempts=1, remote_url="https://t.me/revayat_fa/42")
        dead = make_entry(bale, first, Status.DEAD, attempts=3, reason="403 Forbidden: bot was kicked")
        uncertain = make_entry(
            telegram,
            second,
            Status.UNCERTAIN,
            attempts=1,
            reason="The worker stopped while Telegram was answering",
        )
        pending = make_entry(bale, second, Status.PENDING)
        english = make_entry(telegram, demo.plans_en[0], Status.CANCELLED)

    return Outbox


def row_ids(response):
    html = response.content.decode()
    return {entry.pk for entry in OutboxEntry.objects.all() if f'data-entry="{entry.pk}"' in html}


@pytest.mark.parametrize("role", ["editor", "translator", "reviewer", "approver", "admin"])
def test_every_role_sees_the_report(role, login, outbox):
    response = login(role).get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert row_ids(response) == {
        outbox.sent.pk,
        outbox.dead.pk,
        outbox.uncertain.pk,
        outbox.pending.pk,
        outbox.english.pk,
    }
    assert "403 Forbidden: bot was kicked" in html  # the reason
    assert 'href="https://t.me/revayat_fa/42"' in html  # the remote link
    assert "Service unavailable (attempt 3)" in html  # the attempt history
    assert "ارسال‌شده" in html or "Sent" in html


def test_anonymous_users_are_sent_to_the_login(login, outbox):
    response = login("anonymous").get(REPORT)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_report_is_in_the_reports_menu(login, outbox):
    response = login("editor").get("/admin/")
    assert REPORT in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "dead"}, ["dead"]),
        ({"status": "uncertain"}, ["uncertain"]),
        ({"channel": "telegram"}, ["sent", "uncertain", "english"]),
        ({"language": "en"}, ["english"]),
        ({"page": "second"}, ["uncertain", "pending"]),
        ({"status": "pending", "channel": "bale"}, ["pending"]),
    ],
)
def test_filters(query, expected, login, outbox, demo):
    values = {"telegram": outbox.channels[0].pk, "bale": outbox.channels[1].pk, "second": demo.plans_fa[1].pk}
    params = {key: values.get(value, value) for key, value in query.items()}
    response = login("editor").get(REPORT, params)
    assert row_ids(response) == {getattr(outbox, name).pk for name in expected}


def test_bad_filter_values_show_every_row_instead_of_failing(login, outbox):
    for query in ({"page": "9" * 30}, {"page": "-1"}, {"status": "nonsense"}, {"channel": "x"}):
        response = login("editor").get(REPORT, query)
        assert response.status_code == 200 and len(row_ids(response)) == 5


def test_the_page_filter_names_the_page(login, outbox, demo):
    html = login("editor").get(REPORT, {"page": demo.plans_fa[1].pk}).content.decode()
    assert demo.plans_fa[1].title in html
    assert reverse("distribution:page_preview", args=[demo.plans_fa[1].pk]) in html


@pytest.mark.parametrize("role", ["editor", "reviewer", "translator"])
def test_roles_without_publishing_rights_see_no_actions_and_are_refused(role, login, outbox):
    client = login(role)
    html = client.get(REPORT).content.decode()
    assert reverse("distribution:retry", args=[outbox.dead.pk]) not in html
    assert reverse("distribution:cancel", args=[outbox.pending.pk]) not in html
    attempts = (("retry", outbox.dead), ("cancel", outbox.pending), ("mark_sent", outbox.uncertain))
    for action, entry in attempts:
        response = client.post(
            reverse(f"distribution:{action}", args=[entry.pk]), {"remote_url": "https://t.me/revayat_fa/43"}
        )
        assert response.status_code in (302, 403)
        if response.status_code == 302:  # Wagtail turns PermissionDenied into a redirect with a message
            assert "distribution" not in response["Location"]
    assert {e.pk: e.status for e in OutboxEntry.objects.all()} == {
        outbox.sent.pk: Status.SENT,
        outbox.dead.pk: Status.DEAD,
        outbox.uncertain.pk: Status.UNCERTAIN,
        outbox.pending.pk: Status.PENDING,
        outbox.english.pk: Status.CANCELLED,
    }


@pytest.mark.parametrize("role", ["approver", "admin"])
def test_publishing_roles_retry_a_failed_row(role, login, outbox, demo):
    client = login(role)
    html = client.get(REPORT).content.decode()
    assert reverse("distribution:retry", args=[outbox.dead.pk]) in html
    response = client.post(
        reverse("distribution:retry", args=[outbox.dead.pk]), {"next": REPORT + "?status=dead"}, follow=True
    )
    assert response.redirect_chain[-1][0] == REPORT + "?status=dead"
    outbox.dead.refresh_from_db()
    assert outbox.dead.status == Status.PENDING and outbox.dead.reason == ""
    messages = [str(message) for message in response.context["messages"]]
    assert any(demo.plans_fa[0].title in message for message in messages)
    log = PageLogEntry.objects.filter(page=demo.plans_fa[0], action="revayat.distribution_retry").get()
    assert log.data["channel"] == "Bale fa" and log.user.username in ("approver", "siteadmin")


def test_cancel_a_pending_row(login, outbox, demo):
    login("approver").post(reverse("distribution:cancel", args=[outbox.pending.pk]))
    outbox.pending.refresh_from_db()
    assert outbox.pending.status == Status.CANCELLED and "approver" in outbox.pending.reason
    assert PageLogEntry.objects.filter(page=demo.plans_fa[1], action="revayat.distribution_cancel").exists()


def test_mark_an_uncertain_row_as_sent(login, outbox, demo):
    url = "https://t.me/revayat_fa/43"
    login("admin").post(reverse("distribution:mark_sent", args=[outbox.uncertain.pk]), {"remote_url": url})
    outbox.uncertain.refresh_from_db()
    assert outbox.uncertain.status == Status.SENT and outbox.uncertain.remote_url == url
    assert RemotePost.objects.get(channel=outbox.channels[0], page_key=demo.plans_fa[1].pk).remote_url == url
    log = PageLogEntry.objects.get(page=demo.plans_fa[1], action="revayat.distribution_mark_sent")
    assert log.data["remote_url"] == url
    history = login("admin").get(reverse("wagtailadmin_pages:history", args=[demo.plans_fa[1].pk]))
    assert url in history.content.decode()


def test_mark_as_sent_needs_a_valid_address(login, outbox):
    response = login("admin").post(
        reverse("distribution:mark_sent", args=[outbox.uncertain.pk]),
        {"remote_url": "not an address"},
        follow=True,
    )
    outbox.uncertain.refresh_from_db()
    assert outbox.uncertain.status == Status.UNCERTAIN
    assert any("https://" in str(message) for message in response.context["messages"])


@pytest.mark.parametrize(
    "action, name",
    [
        ("retry", "sent"),
        ("retry", "pending"),
        ("cancel", "sent"),
        ("cancel", "english"),
        ("mark_sent", "dead"),
    ],
)
def test_actions_in_the_wrong_state_are_refused_with_a_message(action, name, login, outbox):
    entry = getattr(outbox, name)
    response = login("admin").post(
        reverse(f"distribution:{action}", args=[entry.pk]),
        {"remote_url": "https://t.me/revayat_fa/44"},
        follow=True,
    )
    assert response.status_code == 200
    before = entry.status
    entry.refresh_from_db()
    assert entry.status == before
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert not PageLogEntry.objects.filter(action__startswith="revayat.distribution").exists()


def test_actions_need_csrf_and_post(users, outbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    url = reverse("distribution:retry", args=[outbox.dead.pk])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    outbox.dead.refresh_from_db()
    assert outbox.dead.status == Status.DEAD


def test_an_outside_next_address_is_ignored(login, outbox):
    response = login("admin").post(
        reverse("distribution:retry", args=[outbox.dead.pk]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == REPORT


def test_the_page_header_summarises_and_links_to_the_report(login, outbox, demo):
    edit_url = reverse("wagtailadmin_pages:edit", args=[demo.plans_fa[0].pk])
    html = login("editor").get(edit_url).content.decode()
    assert f"{REPORT}?page={demo.plans_fa[0].pk}" in html
    assert reverse("distribution:page_preview", args=[demo.plans_fa[0].pk]) in html
    assert "توزیع: ۱ ارسال‌شده، ۱ ناموفق" in html


def test_fifty_rows_a_page_in_constant_queries(login, demo):
    channel = make_channel("Telegram fa")
    client = login("admin")

    def queries_for(count):
        for _number in range(count - OutboxEntry.objects.count()):
            make_entry(channel, demo.plans_fa[0], Status.DEAD, attempts=2, reason="500")
        with CaptureQueriesContext(connection) as context:
            response = client.get(REPORT)
        assert response.status_code == 200
        assert len(row_ids(response)) == min(count, 50)
        return len(context.captured_queries)

    assert queries_for(10) == queries_for(60)


def test_the_export_holds_the_filtered_rows_the_viewer_sees(login, outbox):
    client = login("editor")
    response = client.get(REPORT, {"status": "dead", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 2 and "403 Forbidden: bot was kicked" in lines[1] and "Bale fa" in lines[1]
    assert login("anonymous").get(REPORT, {"export": "csv"}).status_code == 302
