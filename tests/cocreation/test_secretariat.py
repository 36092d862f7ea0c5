"""The secretariat: CSV import with row-level errors, audited extensions and who is notified, review
and invite the shortlist to round 2 (starting from round-1 answers), the analyst's numbers and the
exports against the database, the results draft, and who may see any of it."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from cms.workflow import roles
from cocreation import analysis, results, secretariat, worksheets
from cocreation.models import (
    Extension,
    Invitation,
    ResultsPage,
    Round,
    Worksheet,
    WorksheetItem,
)
from cocreation.roles import SECRETARIAT
from tests.cocreation.conftest import ITEM, make_invitee

pytestmark = pytest.mark.django_db

GOOD_CSV = "name,email,group\nمریم احمدی,maryam@example.com,ذی‌نفعان\nعلی رضایی,ali@example.com,experts\n"
BAD_CSV = (
    "name,email,group\n"
    "مریم احمدی,maryam@example.com,ذی‌نفعان\n"
    ",nobody@example.com,experts\n"
    "علی,not-an-address,experts\n"
    "سارا,sara@example.com,astronauts\n"
    "مریم دوم,MARYAM@example.com,experts\n"
)


def test_csv_import_reports_each_bad_row_and_imports_nothing(open_round):
    result = secretariat.import_csv(open_round, BAD_CSV)
    assert [row for row, _message in result.errors] == [3, 4, 5, 6]
    messages = dict(result.errors)
    assert "نام خالی است" in messages[3]  # the Persian admin's words
    assert "نشانی رایانامه نیست" in messages[4]
    assert "گروه ناشناخته 'astronauts'" in messages[5]
    assert "دو بار در فایل آمده است" in messages[6]
    assert not Invitation.objects.filter(round=open_round).exists()
    assert mail.outbox == []


def test_csv_import_invites_and_sends_single_use_links(open_round, client):
    result = secretariat.import_csv(open_round, "\ufeff" + GOOD_CSV)
    assert result.errors == [] and len(result.invited) == 2
    assert {m.to[0] for m in mail.outbox} == {"maryam@example.com", "ali@example.com"}
    link = next(line for line in mail.outbox[0].body.splitlines() if "/cocreation/invite/" in line)
    assert client.get(link).status_code == 302
    again = secretariat.import_csv(open_round, GOOD_CSV)
    assert [row for row, _m in again.errors] == [2, 3]  # already invited


def test_csv_missing_columns(open_round):
    assert secretariat.import_csv(open_round, "name;email\nx;y\n").errors[0][0] == 1


def test_round_extension_is_audited_and_notifies_only_those_who_have_not_submitted(
    open_round, django_user_model
):
    user = django_user_model.objects.create_user("sec", password="pw")
    done, _t = make_invitee(open_round, email="done@example.com")
    _pending, _t = make_invitee(open_round, email="pending@example.com")
    sheet = Worksheet.objects.get(invitation=done)
    worksheets.save(sheet, {"version": 0, "items": [ITEM]})
    worksheets.submit(sheet)
    old_end = open_round.ends_at
    new_end = old_end + datetime.timedelta(days=20)
    with pytest.raises(ValidationError):
        secretariat.extend_round(open_round, new_end, "  ", user)
    extension = secretariat.extend_round(open_round, new_end, "درخواست مشارکت‌کنندگان", user)
    assert (extension.old_end, extension.new_end, extension.by, extension.notified) == (
        old_end,
        new_end,
        user,
        1,
    )
    assert [m.to for m in mail.outbox] == [["pending@example.com"]]
    assert Round.objects.get(pk=open_round.pk).ends_at == new_end
    secretariat.extend_round(open_round, new_end + datetime.timedelta(days=1), "همه", user, notify="all")
    assert len(mail.outbox) == 3


def test_personal_extension_is_audited(open_round):
    invite, _token = make_invitee(open_round)
    new_end = open_round.ends_at + datetime.timedelta(days=2)
    secretariat.extend_person(invite, new_end, "درخواست دو روز بیشتر", None)
    extension = Extension.objects.get(invitation=invite)
    assert (extension.old_end, extension.new_end) == (open_round.ends_at, new_end)
    assert Invitation.objects.get(pk=invite.pk).deadline() == new_end
    assert Round.objects.get(pk=open_round.pk).ends_at == open_round.ends_at


def test_the_shortlist_is_invited_to_round_2_with_their_answers(open_round, call):
    chosen, _t = make_invitee(open_round, email="chosen@example.com")
    left, _t = make_invitee(open_round, email="left@example.com")
    for invite, title in ((chosen, "آیندهٔ کار"), (left, "دیگر")):
        sheet = Worksheet.objects.get(invitation=invite)
        worksheets.save(sheet, {"version": 0, "items": [{**ITEM, "title": title}], "commentary": title})
        worksheets.submit(sheet)
    Worksheet.objects.filter(invitation=chosen).update(shortlisted=True, score=9)
    now = timezone.now()
    round2 = Round.objects.create(
        call=call, number=10, previous=open_round, starts_at=now, ends_at=now + datetime.timedelta(days=9)
    )
    created = secretariat.invite_shortlist(open_round, round2)
    assert [i.participant.email for i in created] == ["chosen@example.com"]
    new_sheet = Worksheet.objects.get(invitation__round=round2)
    assert [item.title for item in new_sheet.items.all()] == ["آیندهٔ کار"]
    assert new_sheet.commentary == "آیندهٔ کار" and new_sheet.submitted_at is None
    assert [m.to for m in mail.outbox] == [["chosen@example.com"]]
    assert secretariat.invite_shortlist(open_round, round2) == []  # one action, not twice


def test_analysis_and_exports_match_the_database(call):
    round_ = Round.objects.get(call=call, number=1)  # the demo's round 1
    items = WorksheetItem.objects.filter(worksheet__invitation__round=round_)
    submitted = items.filter(worksheet__submitted_at__isnull=False)
    counts = analysis.status_counts(round_)["all"]
    invitations = Invitation.objects.filter(round=round_)
    assert counts["invited"] == invitations.count()
    assert counts["submitted"] == invitations.filter(worksheet__submitted_at__isnull=False).count()
    assert sum(n for _d, n in analysis.by_domain(round_)) == submitted.count()
    heat = analysis.heat_map(round_)
    assert (
        sum(sum(row) for grid in heat.values() for row in grid)
        == submitted.exclude(impact=None).exclude(likelihood=None).count()
    )
    top_title, top_n = analysis.most_cited(round_)[0]
    assert submitted.filter(title=top_title).count() == top_n

    rows = list(csv.reader(io.StringIO(analysis.export_csv(round_).lstrip("\ufeff"))))
    assert rows[0][:3] == ["participant", "group", "submitted"] and len(rows) - 1 == items.count()
    assert sorted(int(r[8]) for r in rows[1:] if r[8]) == sorted(
        items.exclude(impact=None).values_list("impact", flat=True)
    )
    book = load_workbook(io.BytesIO(analysis.export_xlsx(round_)))
    sheet = book.active
    assert sheet.sheet_view.rightToLeft is True
    assert sheet["A1"].value == "مشارکت‌کننده" and sheet["A2"].value == "participant"
    assert sheet.max_row - 2 == items.count()
    assert sum(1 for r in sheet.iter_rows(min_row=3, values_only=True) if r[2] == "yes") == submitted.count()


def test_exports_are_formula_safe(open_round):
    invite, _t = make_invitee(open_round)
    sheet = Worksheet.objects.get(invitation=invite)
    worksheets.save(
        sheet, {"version": 0, "items": [{**ITEM, "title": '=HYPERLINK("http://x","y")', "analysis": "+1"}]}
    )
    rows = list(csv.reader(io.StringIO(analysis.export_csv(open_round).lstrip("\ufeff"))))
    assert rows[1][6] == '\'=HYPERLINK("http://x","y")' and rows[1][12] == "'+1"
    cell = load_workbook(io.BytesIO(analysis.export_xlsx(open_round))).active["G3"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_results_are_a_draft_without_names(call):
    round_ = Round.objects.get(call=call, number=1)
    page = results.create_draft(call, round_)
    page = ResultsPage.objects.get(pk=page.pk)
    assert page.live is False and page.get_parent().pk == call.pk
    assert page.latest_revision is not None
    assert "ساختگی" not in page.body  # the illustrative names never reach the results
    names = Invitation.objects.filter(round=round_).values_list("participant__name", flat=True)
    assert not any(name in page.body or name in str(page.aggregates) for name in names)


def test_only_the_secretariat_sees_the_admin_views(client, call, django_user_model):
    round_ = Round.objects.get(previous__call=call, number=2)  # the demo's round 2, in its own call
    urls = [
        "/admin/cocreation/",
        f"/admin/cocreation/rounds/{round_.pk}/",
        f"/admin/cocreation/rounds/{round_.pk}/review/",
        f"/admin/cocreation/rounds/{round_.pk}/analysis/",
        f"/admin/cocreation/rounds/{round_.pk}/export.csv",
        f"/admin/cocreation/rounds/{round_.pk}/export.xlsx",
        f"/admin/cocreation/worksheets/{Worksheet.objects.filter(invitation__round=round_).first().pk}/",
    ]
    editor = django_user_model.objects.create_user("ed", password="pw")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    client.force_login(editor)
    for url in urls:
        assert client.get(url).status_code in (302, 403), url
    secretary = django_user_model.objects.create_user("sec", password="pw")
    secretary.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(secretary)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "ساختگی" in client.get(urls[1]).content.decode()  # the demo's people are labelled illustrative
