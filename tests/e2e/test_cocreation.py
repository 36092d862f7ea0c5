"""In Chromium, in Persian: an invited expert opens their personal link, fills three items, loses the
connection and comes back (the draft kept in the browser is saved), submits, edits after submitting,
and is refused once the deadline has passed; another expert, whose personal extension is still
running, can save after the round's end.
"""

import json
import textwrap

import pytest

from tests.demo_server import manage
from tests.e2e.conftest import site_env

SAVED = "ذخیره شد"


@pytest.fixture(scope="module")
def site(portal_site):
    """The demo site with an invite-only round of the demo call open now, and two invitees' links."""
    base, folder = portal_site
    env = site_env(folder)
    tokens = folder / "cocreation-tokens.json"
    code = textwrap.dedent(
        f"""
        import datetime, json
        from django.utils import timezone
        from cocreation.models import CallPage, Invitation, Participant, Round, Worksheet
        now = timezone.now()
        call = CallPage.objects.filter(locale__language_code="fa").order_by("pk").first()  # the demo's
        round_ = Round.objects.create(call=call, number=3, title="دور آزمون مرورگر", access="invite",
                                      starts_at=now - datetime.timedelta(hours=1),
                                      ends_at=now + datetime.timedelta(hours=2))
        links = {{}}
        for key, extended in (("expert", None), ("late", now + datetime.timedelta(days=2))):
            person = Participant.objects.create(name=key, email=key + "@example.com", group="experts")
            invite = Invitation.objects.create(participant=person, round=round_, extended_until=extended)
            Worksheet.objects.create(invitation=invite)
            links[key] = invite.issue_token(datetime.timedelta(days=1))
            invite.save()
        links["round"] = round_.pk
        open({str(tokens)!r}, "w").write(json.dumps(links))
        """
    )
    manage("shell", "-c", code, env=env)
    return base, env, json.loads(tokens.read_text())


def close_round(env, round_pk):
    manage(
        "shell",
        "-c",
        "import datetime; from django.utils import timezone; from cocreation.models import Round; "
        f"Round.objects.filter(pk={round_pk}).update(ends_at=timezone.now() - datetime.timedelta(seconds=1))",
        env=env,
    )


def wait_saved(page):
    page.wait_for_function(
        "text => document.querySelector('[data-status]').textContent.includes(text)", arg=SAVED, timeout=15000
    )


def fill_item(page, index, title, impact, likelihood):
    item = page.locator(".ws-item").nth(index)
    item.locator("[name=title]").fill(title)
    item.locator("[name=impact]").select_option(str(impact))
    item.locator("[name=likelihood]").select_option(str(likelihood))
    item.locator("[name=horizon]").select_option("1410-1415")


def server_copy(page):
    return page.evaluate(
        "async () => (await fetch(location.pathname + 'data', {credentials: 'same-origin'})).json()"
    )


def test_an_invited_expert_fills_the_worksheet_in_persian(site, browser, screenshots):
    base, env, links = site
    context = browser.new_context(locale="fa-IR", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/fa/cocreation/invite/{links['expert']}/")
    assert "/fa/cocreation/worksheet/" in page.url and links["expert"] not in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "کاربرگ" in page.locator("h1").inner_text()

    for index, (title, impact, likelihood) in enumerate(
        [("سالمندی جمعیت", -2, 5), ("کار سکویی", -1, 4), ("هوش مصنوعی در درمان", 2, 3)]
    ):
        page.click("[data-add]")
        fill_item(page, index, title, impact, likelihood)
    wait_saved(page)
    assert "۳" in page.locator(".ws-item").nth(2).locator("legend").inner_text()  # Persian digits
    assert [item["title"] for item in server_copy(page)["items"]] == [
        "سالمندی جمعیت",
        "کار سکویی",
        "هوش مصنوعی در درمان",
    ]

    # The connection drops while they type: the edit stays in the browser and is saved on return.
    context.set_offline(True)
    page.locator(".ws-item").nth(2).locator("[name=title]").fill("هوش مصنوعی در ارزیابی درمان")
    page.wait_for_function("() => document.querySelector('[data-status]').textContent.includes('اتصال')")
    draft = page.evaluate("() => JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]))")
    assert draft["dirty"] and draft["data"]["items"][2]["title"] == "هوش مصنوعی در ارزیابی درمان"
    page.screenshot(path=screenshots / "cocreation-offline.png")
    context.set_offline(False)
    wait_saved(page)
    assert server_copy(page)["items"][2]["title"] == "هوش مصنوعی در ارزیابی درمان"

    page.click("[data-submit]")
    page.wait_for_function(
        "() => document.querySelector('[data-submitted]').textContent.includes('فرستاده شد')"
    )
    assert server_copy(page)["submitted"] is True

    # After submitting, they may still edit until the deadline.
    page.fill("#ws-commentary", "پس از ارسال کامل‌تر شد.")
    wait_saved(page)
    assert server_copy(page)["commentary"] == "پس از ارسال کامل‌تر شد."
    page.screenshot(path=screenshots / "cocreation-worksheet.png", full_page=True)

    # The deadline passes: the next save is refused and the worksheet turns read-only.
    close_round(env, links["round"])
    page.fill("#ws-commentary", "پس از مهلت")
    page.wait_for_function(
        "() => document.querySelector('[data-status]').textContent.includes('مهلت این دور به پایان رسیده')"
    )
    assert page.locator("#ws-commentary").is_disabled()
    page.reload()
    assert page.locator("#ws-commentary").is_disabled()
    assert server_copy(page)["commentary"] == "پس از ارسال کامل‌تر شد."
    context.close()

    # Another expert's personal extension still runs: they can save after the round's end.
    context = browser.new_context(locale="fa-IR")
    page = context.new_page()
    page.goto(f"{base}/fa/cocreation/invite/{links['late']}/")
    page.click("[data-add]")
    fill_item(page, 0, "مهاجرت نیروی کار ماهر", -1, 4)
    wait_saved(page)
    assert server_copy(page)["items"][0]["title"] == "مهاجرت نیروی کار ماهر"
    context.close()
