"""In Chromium: the distribution preview of a Persian podcast episode, as an editor sees it.

The demo's channels are enabled for this module (and disabled again after it). By the demo's default
rules the episode goes to Telegram fa, Bale fa and the organization portal; its draft gives Bale its
own text. Each post is right-to-left with a Persian length counter. The screenshot is saved under
test-artifacts/screenshots/.
"""

import os
import re
import subprocess
import sys

import pytest

from cms.i18n import JALALI_MONTHS
from tests.demo_server import ROOT
from tests.e2e.conftest import PASSWORD, log_in

BALE_TEXT = "قسمت تازهٔ پادکست روایت: گفت‌وگو دربارهٔ طرح‌های تحول 🎧 #روایت"
CHANNELS = ["تلگرام (فارسی)", "بله (فارسی)", "درگاه سازمان"]

SETUP = """
import json
from django.utils import timezone
from cms.distribution.models import Attempt, Channel, OutboxEntry, Status


def make_rows(page, telegram, bale):
    rows = [(telegram, Status.SENT, "", "https://t.me/revayat_fa/42"),
            (bale, Status.DEAD, "403: the bot is not a member of the channel", ""),
            (telegram, Status.UNCERTAIN, "The worker stopped while Telegram was answering", ""),
            (bale, Status.PENDING, "", "")]
    for number, (channel, status, reason, remote_url) in enumerate(rows):
        entry = OutboxEntry.objects.create(
            channel=channel, page=page, page_key=page.pk, page_title=page.title, language_code="fa",
            event="publish", idempotency_key=f"e2e:{{number}}", status=status, reason=reason,
            remote_url=remote_url, attempts=2, next_attempt_at=timezone.now())
        for attempt in (1, 2):
            Attempt.objects.create(entry=entry, number=attempt, outcome="retry", http_status=503,
                                   detail="Service Unavailable", retry_after=30, finished_at=timezone.now())


from cms.workflow.demo import ensure_role_users
from plans.models import PodcastEpisodePage
ensure_role_users(password={password!r})
Channel.objects.filter(name__in={channels!r}).update(enabled={enabled!r})
if {enabled!r}:
    episode = PodcastEpisodePage.objects.filter(locale__language_code="fa").order_by("path").first()
    bale = Channel.objects.get(name="بله (فارسی)")
    episode.distribution = json.dumps([{{"type": "channel", "value": {{
        "channel": bale.pk, "send": True, "text": {text!r}, "crop": "portrait"}}}}])
    episode.save_revision()
    make_rows(episode, Channel.objects.get(name="تلگرام (فارسی)"), bale)
    print(episode.pk)
else:
    OutboxEntry.objects.filter(idempotency_key__startswith="e2e:").delete()
"""


def shell(folder, enabled):
    """Turn the channels on (with the episode's Bale text; prints the episode's id) or off."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.dev",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
        "MEDIA_ROOT": f"{folder}/media",
    }
    script = SETUP.format(password=PASSWORD, channels=CHANNELS, enabled=enabled, text=BALE_TEXT)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1] if enabled else ""


@pytest.fixture(scope="module")
def episode_preview(portal_site):
    """(base URL, URL of the preview) with the demo's channels enabled for the module."""
    base, folder = portal_site
    episode_id = shell(folder, True)
    yield base, f"{base}/admin/distribution/page/{episode_id}/preview/"
    shell(folder, False)


def test_the_preview_in_persian(episode_preview, browser, screenshots):
    base, url = episode_preview
    page = log_in(browser, base, "editor", height=1400)
    assert page.goto(url).ok
    posts = page.locator("section.revayat-post")
    assert posts.count() == 3
    for index in range(3):
        text = posts.nth(index).locator(".revayat-post__text")
        assert text.get_attribute("dir") == "rtl" and text.get_attribute("lang") == "fa"
        assert text.evaluate("element => getComputedStyle(element).direction") == "rtl"
        counter = posts.nth(index).locator(".revayat-post__counter").inner_text()
        assert re.match(r"[۰-۹٬]+ / [۰-۹٬]+ \S", counter.strip()), counter  # «۱۱۴ / ۴۰۹۶ نویسه»
    bale = page.locator("section.revayat-post", has_text="بله (فارسی)")
    assert BALE_TEXT in bale.locator(".revayat-post__text").inner_text()
    page.screenshot(path=screenshots / "distribution-preview-fa.png", full_page=True)
    assert page.goto(f"{base}/admin/snippets/distribution/channel/").ok  # what to set, never a value
    assert "REVAYAT_CHANNEL_TELEGRAM_FA" in page.locator("table.listing").inner_text()
    page.screenshot(path=screenshots / "distribution-channels-fa.png", full_page=True)
    page.context.close()


def test_the_report_in_persian(episode_preview, browser, screenshots):
    """An approver retries the failed row from the report; the row is pending again."""
    base, _url = episode_preview
    page = log_in(browser, base, "approver", height=1400)
    assert page.goto(f"{base}/admin/distribution/").ok
    rows = page.locator("table.revayat-distribution-report > tbody > tr")
    assert rows.count() == 4
    pending = page.locator('tr[data-status="pending"]')
    months = "|".join(JALALI_MONTHS)
    assert re.search(f"({months}) ۱۴[۰-۹]{{2}}، [۰-۹]{{2}}:[۰-۹]{{2}}", pending.inner_text())  # next attempt
    page.locator('tr[data-status="dead"] details summary').click()
    page.screenshot(path=screenshots / "distribution-report-fa.png", full_page=True)
    with page.expect_navigation():
        page.locator('tr[data-status="dead"] button', has_text="تلاش دوباره").click()
    assert "دوباره فرستاده می‌شود" in page.locator(".messages").inner_text()
    page.context.close()
