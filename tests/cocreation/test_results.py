"""Per-item distributions and group medians: their numbers against hand counts, shown to the secretariat,
to a participant only after their own first submission (and only where three or more answered), and in
the results draft that goes through the approval workflow."""

import pytest
from django.contrib.auth.models import Group

from cocreation import analysis, results, worksheets
from cocreation.models import ResultsPage, StakeholderGroup, Worksheet
from cocreation.roles import SECRETARIAT
from tests.cocreation.conftest import ITEM, make_invitee

pytestmark = pytest.mark.django_db

AGEING, GIG, RARE = "سالمندی جمعیت", "کار سکویی", "موردی کم‌تکرار"
# (group, [(title, impact, likelihood)]) of four people who submit
ANSWERS = [
    (StakeholderGroup.EXPERTS, [(AGEING, -2, 5), (GIG, 1, 3), (RARE, 2, 1)]),
    (StakeholderGroup.EXPERTS, [(AGEING, -1, 4), (GIG, 2, 4)]),
    (StakeholderGroup.EXPERTS, [(AGEING, -2, 3), (GIG, 1, 2)]),
    (StakeholderGroup.INSIDERS, [(AGEING + " ", 0, 5)]),  # the same title, written a little differently
]


def fill(round_, n, group, rows, submit=True):
    invite, token = make_invitee(round_, name=f"نفر {n}", email=f"p{n}@example.com", group=group)
    sheet = Worksheet.objects.get(invitation=invite)
    items = [{**ITEM, "title": t, "impact": i, "likelihood": lk} for t, i, lk in rows]
    worksheets.save(sheet, {"version": 0, "items": items})
    if submit:
        worksheets.submit(sheet)
    return invite, token


@pytest.fixture
def answered(open_round):
    for n, (group, rows) in enumerate(ANSWERS):
        fill(open_round, n, group, rows)
    fill(open_round, 9, StakeholderGroup.EXPERTS, [(AGEING, 2, 1)], submit=False)  # a draft counts nowhere
    return open_round


def test_item_statistics_against_hand_counts(answered):
    stats = {item["title"]: item for item in analysis.item_statistics(answered)}
    ageing = stats[AGEING]
    assert ageing["n"] == 4
    assert ageing["impact_distribution"] == [2, 1, 1, 0, 0]  # −2 −1 0 +1 +2
    assert ageing["likelihood_distribution"] == [0, 0, 1, 1, 2]
    assert ageing["impact_median"] == -1.5 and ageing["likelihood_median"] == 4.5
    assert ageing["groups"]["experts"]["impact_median"] == -2 and ageing["groups"]["experts"]["n"] == 3
    assert ageing["groups"]["insiders"]["likelihood_median"] == 5
    assert stats[GIG]["impact_median"] == 1 and stats[GIG]["likelihood_median"] == 3
    # Fewer answers than the threshold: the item, and a group, are left out.
    shown = analysis.item_statistics(answered, min_answers=analysis.MIN_SHOWN)
    shown = {item["title"]: item for item in shown}
    assert set(shown) == {AGEING, GIG} and set(shown[AGEING]["groups"]) == {"experts"}


def test_a_participant_sees_the_medians_only_after_their_first_submission(answered, client):
    invite, token = fill(answered, 5, StakeholderGroup.EXPERTS, [(GIG, 0, 3)], submit=False)
    response = client.get(f"/fa/cocreation/invite/{token}/")
    url = response["Location"]
    page = client.get(url).content.decode()
    assert "data-feedback" not in page and "میانهٔ اثر" not in page
    worksheets.submit(Worksheet.objects.get(invitation=invite))
    page = client.get(url).content.decode()
    assert "data-feedback" in page and "پاسخ دیگران" in page
    table = page.split("data-feedback")[1].split("</section>")[0]
    assert AGEING in table and GIG in table and RARE not in table  # RARE: one answer only
    assert "−۱٫۵" in table or "-۱٫۵" in table  # the ageing median impact, Persian digits
    assert "نفر" not in table  # no names


def test_the_secretariat_and_the_results_draft_get_the_distributions(answered, client, django_user_model):
    secretary = django_user_model.objects.create_user("sec", password="pw")
    secretary.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(secretary)
    page = client.get(f"/admin/cocreation/rounds/{answered.pk}/analysis/").content.decode()
    table = page.split("data-item-statistics")[1].split("</table>")[0]
    assert AGEING in table and RARE in table and "2 · 1 · 1 · 0 · 0" in table
    assert "به تفکیک مورد: توزیع‌ها و میانهٔ گروه‌ها" in page  # the Persian admin
    draft = ResultsPage.objects.get(pk=results.create_draft(answered.call.specific, answered).pk)
    assert [item["title"] for item in draft.aggregates["items"]] == [AGEING, GIG]
    medians = draft.body.split("<h2>میانه‌ها و توزیع پاسخ‌ها</h2>")[1]
    assert "میانهٔ اثر −۱٫۵" in medians and RARE not in medians
    assert not any(f"نفر {n}" in draft.body + str(draft.aggregates) for n in range(10))
    assert draft.live is False
