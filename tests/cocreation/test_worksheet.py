"""The worksheet door: deadline edges in Asia/Tehran, optimistic locking (409), owner-only access (404),
editing after submit, read-only after the close, a personal extension, and submission versions."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from cocreation import worksheets
from cocreation.demo import tehran_midnight
from cocreation.display import deadline_in, deadline_text
from cocreation.models import Domain, Invitation, Round, Submission, Worksheet
from tests.cocreation.conftest import ITEM, make_invitee, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def at(monkeypatch):
    """at(instant): the clock every request and save reads."""

    def move(instant):
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return move


def test_deadline_edges_in_tehran(signed_in, at):
    """The round ends at the start of 21 Shahrivar 1404 in Tehran (the end of 20 Shahrivar): a save
    one second before is accepted, at the end or one second after it is refused."""
    client, sheet = signed_in
    round_ = sheet.invitation.round
    end = tehran_midnight(1404, 6, 21)
    assert end == datetime.datetime(2025, 9, 11, 20, 30, tzinfo=datetime.UTC)  # UTC+03:30, no DST
    Round.objects.filter(pk=round_.pk).update(starts_at=end - datetime.timedelta(days=40), ends_at=end)
    assert deadline_text(end) == "تا پایان ۲۰ شهریور ۱۴۰۴"
    at(end - datetime.timedelta(seconds=1))
    response = save(client, sheet, 0, [ITEM])
    assert response.status_code == 200, response.content
    assert response.json() == {"version": 1}
    at(end)
    assert save(client, sheet, 1, [ITEM, ITEM]).status_code == 403
    at(end + datetime.timedelta(seconds=1))
    response = save(client, sheet, 1, [ITEM, ITEM])
    assert response.status_code == 403 and response.json() == {"error": "closed"}
    assert client.post(f"/fa/cocreation/worksheet/{sheet.public_id}/submit").status_code == 403
    assert Worksheet.objects.get(pk=sheet.pk).items.count() == 1  # nothing changed after the end
    page = client.get(f"/fa/cocreation/worksheet/{sheet.public_id}/").content.decode()
    assert "فقط‌خواندنی" in page
    assert (
        json.loads(page.split('id="cocreation-config" type="application/json">')[1].split("</script>")[0])[
            "editable"
        ]
        is False
    )


def test_a_personal_extension_lets_one_person_save(open_round, client, at):
    invite, token = make_invitee(open_round, email="late@example.com")
    other, other_token = make_invitee(open_round, email="ontime@example.com")
    end = open_round.ends_at
    Invitation.objects.filter(pk=invite.pk).update(extended_until=end + datetime.timedelta(days=2))
    client.get(f"/fa/cocreation/invite/{token}/")
    second = client.__class__()
    second.get(f"/fa/cocreation/invite/{other_token}/")
    at(end + datetime.timedelta(days=1))
    sheet = Worksheet.objects.get(invitation=invite)
    assert save(client, sheet, 0, [ITEM]).status_code == 200
    assert save(second, Worksheet.objects.get(invitation=other), 0, [ITEM]).status_code == 403
    at(end + datetime.timedelta(days=2))
    assert save(client, sheet, 1, []).status_code == 403


def test_a_stale_version_gets_409_with_the_server_copy(signed_in):
    client, sheet = signed_in
    assert save(client, sheet, 0, [ITEM], "از زبانهٔ نخست").json() == {"version": 1}
    # A second tab still edits version 0.
    response = save(client, sheet, 0, [], "از زبانهٔ دوم")
    assert response.status_code == 409
    server = response.json()["server"]
    assert server["version"] == 1 and server["commentary"] == "از زبانهٔ نخست"
    assert server["items"][0]["title"] == ITEM["title"]
    sheet.refresh_from_db()
    assert sheet.commentary == "از زبانهٔ نخست" and sheet.items.count() == 1  # nothing overwritten
    # Choosing to keep their copy, the second tab saves on top of the version it was shown.
    assert save(client, sheet, 1, [], "از زبانهٔ دوم").json() == {"version": 2}


def test_bad_values_are_refused(signed_in):
    client, sheet = signed_in
    for bad in ({"impact": 3}, {"likelihood": 0}, {"horizon": "1430-1440"}, {"kind": "fad"}):
        response = save(client, sheet, 0, [{**ITEM, **bad}])
        assert response.status_code == 400, bad
    assert Worksheet.objects.get(pk=sheet.pk).version == 0


def test_another_participants_worksheet_answers_404(signed_in, open_round):
    client, sheet = signed_in
    other, _token = make_invitee(open_round, email="other@example.com")
    other_sheet = Worksheet.objects.get(invitation=other)
    base = f"/fa/cocreation/worksheet/{other_sheet.public_id}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "data").status_code == 404
    assert save(client, other_sheet, 0, [ITEM]).status_code == 404
    assert client.post(base + "submit").status_code == 404
    anonymous = client.__class__()
    assert anonymous.get(f"/fa/cocreation/worksheet/{sheet.public_id}/").status_code == 404
    assert client.get(f"/fa/cocreation/worksheet/{sheet.public_id}/data").json()["version"] == 0


def test_submit_then_edit_until_the_deadline_with_versions(signed_in):
    client, sheet = signed_in
    save(client, sheet, 0, [ITEM])
    assert client.post(f"/fa/cocreation/worksheet/{sheet.public_id}/submit").json() == {"submission": 1}
    assert sheet.invitation.__class__.objects.get(pk=sheet.invitation_id).state == "submitted"
    assert save(client, sheet, 1, [ITEM, {**ITEM, "title": "کار سکویی"}]).status_code == 200
    assert client.post(f"/fa/cocreation/worksheet/{sheet.public_id}/submit").json() == {"submission": 2}
    first, second = Submission.objects.filter(worksheet=sheet).order_by("number")
    assert len(first.data["items"]) == 1 and len(second.data["items"]) == 2


def test_the_conditional_update_lets_one_of_two_concurrent_saves_win(open_round):
    invite, _token = make_invitee(open_round, email="race@example.com")
    a = Worksheet.objects.get(invitation=invite)
    b = Worksheet.objects.get(invitation=invite)
    worksheets.save(a, {"version": 0, "items": [ITEM]})
    with pytest.raises(worksheets.Conflict):
        worksheets.save(b, {"version": 0, "items": []})
    assert Worksheet.objects.get(pk=a.pk).items.count() == 1


def test_an_autosave_is_three_round_trips_on_postgresql(signed_in, django_assert_num_queries):
    """The hot path of benchmarks/cocreation.py: the session, the worksheet, then one statement that
    claims, clears and rewrites (elsewhere: a transaction of UPDATE, DELETE, INSERT, here inside the
    test's savepoints). Domains and scales come from the cache."""
    client, sheet = signed_in
    assert save(client, sheet, 0, [ITEM]).status_code == 200  # warms the cached choices
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 7):
        assert save(client, sheet, 1, [ITEM, ITEM], "دوباره").json() == {"version": 2}
    stored = Worksheet.objects.get(pk=sheet.pk)
    assert stored.version == 2 and stored.commentary == "دوباره" and stored.items.count() == 2


def test_a_new_domain_is_accepted_at_once(signed_in):
    client, sheet = signed_in
    assert save(client, sheet, 0, [ITEM]).status_code == 200
    domain = Domain.objects.create(name_fa="حوزهٔ تازه", name_en="New domain")
    assert save(client, sheet, 1, [{**ITEM, "domain": domain.pk}]).status_code == 200
    gone = domain.pk
    domain.delete()
    assert save(client, sheet, 2, [{**ITEM, "domain": gone}]).status_code == 400


def page_config(page):
    return json.loads(page.split('id="cocreation-config" type="application/json">')[1].split("</script>")[0])


def test_the_worksheet_in_english(signed_in):
    client, sheet = signed_in
    save(client, sheet, 0, [ITEM])
    page = client.get(f"/en/cocreation/worksheet/{sheet.public_id}/").content.decode()
    config = json.loads(
        page.split('id="cocreation-config" type="application/json">')[1].split("</script>")[0]
    )
    assert config["numberLocale"] == "en" and config["messages"]["saved"] == "Saved (version %(n)s)"
    assert config["saveUrl"].startswith("/en/") and config["kinds"][0] == ["trend", "trend"]
    assert ["high", "high"] in config["confidences"]
    form = page.split("<main")[-1]
    for label in ("Add a row", "Impact on SSO", "Qualitative analysis", "Editable", "(Tehran time)"):
        assert label in form, label
    assert "افزودن ردیف" not in form
    assert "Analysis and impact assessment of trends" in form.split("</h1>")[0]  # the English call's
    assert f'href="/fa/cocreation/worksheet/{sheet.public_id}/"' in page  # back to Persian
    fa = client.get(f"/fa/cocreation/worksheet/{sheet.public_id}/").content.decode()
    fa_config = json.loads(
        fa.split('id="cocreation-config" type="application/json">')[1].split("</script>")[0]
    )
    assert fa_config["messages"]["saved"] == "ذخیره شد (نسخهٔ %(n)s)" and "افزودن ردیف" in fa
    assert "کاربرگ تجزیه، تحلیل" in fa.split("<main")[-1].split("</h1>")[0]
    assert ["high", "زیاد"] in fa_config["confidences"]


def test_the_english_deadline_names_tehran_time():
    end = tehran_midnight(1404, 6, 21)
    assert deadline_in(end, "en") == "until the end of 11 September 2025 (Tehran time)"
    evening = end + datetime.timedelta(hours=18)
    assert deadline_in(evening, "en") == "before 12 September 2025, 18:00 (Tehran time)"
    assert deadline_in(end, "fa") == "تا پایان ۲۰ شهریور ۱۴۰۴"
