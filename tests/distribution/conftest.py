"""Fixtures for the channel tests: one loopback fake per channel, real media files, and a delivery context
that keeps the adapter's state in memory and records when the posting request was made."""

import io
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from PIL import Image

from cms.distribution.channels.base import DeliveryContext, MediaFile, Post
from tests.distribution import fakes
from tests.workflow.conftest import users  # noqa: F401  (fixture: one user per editorial role)

PERSIAN_TEXT = (
    "سامانهٔ «روایت» گزارش‌های برنامه‌های تحول سازمان تأمین اجتماعی را منتشر می‌کند؛ "
    "Revayat 2.0 با پشتیبانی از پادکست و ویدئو 🎙️🇮🇷 برای بیمه‌شدگان و کارفرمایان."
)


@pytest.fixture(autouse=True)
def loopback_fakes_allowed(settings):
    """The fakes listen on 127.0.0.1, which channels may not send to unless the allow-list names it."""
    settings.REVAYAT_OUTBOUND_ALLOWLIST = ["127.0.0.1"]


def check_contract(fake):
    assert fake.errors == [], f"{fake.service} saw requests outside its documented API: {fake.errors}"


@pytest.fixture
def fake_servers():
    """Start fakes made for one test; stop them after it and check none saw a request outside its API."""
    started = []

    def start(fake):
        started.append(fake.start())
        return fake

    yield start
    for fake in started:
        fake.stop()
    for fake in started:
        check_contract(fake)


@pytest.fixture(scope="session")
def fake_pool():
    """One started fake per channel for the whole session (starting and stopping a server takes ~0.5 s)."""
    pool = {
        "telegram": fakes.TelegramFake(),
        "bale": fakes.BaleFake(token="bale-token", chats={"@revayat_bale": 5550001}),
        "eitaa": fakes.EitaaFake(),
        "instagram": fakes.InstagramFake(),
        "aparat": fakes.AparatFake(),
        "x": fakes.XFake(),
        "portal": fakes.PortalFake(),
        "media_host": fakes.MediaHost(),
    }
    for fake in pool.values():
        fake.start()
    yield pool
    for fake in pool.values():
        fake.stop()


def pooled(name):
    @pytest.fixture
    def fixture(fake_pool):
        fake = fake_pool[name]
        fake.reset()
        yield fake
        check_contract(fake)
        fake.reset()

    return fixture


telegram = pooled("telegram")
bale = pooled("bale")
eitaa = pooled("eitaa")
instagram = pooled("instagram")
aparat = pooled("aparat")
x_api = pooled("x")
portal = pooled("portal")
media_host = pooled("media_host")


@pytest.fixture
def http():
    """An HTTP client like the delivery worker's: explicit, short timeouts. (Not `client`: that is
    pytest-django's test client, which the admin and feed tests use.)"""
    with httpx.Client(timeout=httpx.Timeout(2.0, connect=2.0)) as client:
        yield client


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def media_file(tmp_path, name, content, content_type, url=""):
    path = Path(tmp_path) / name
    path.write_bytes(content)
    return MediaFile(
        url=url or f"https://revayat.example/media/{name}",
        filename=name,
        content_type=content_type,
        size=len(content),
        open=lambda: path.open("rb"),
    )


@pytest.fixture
def files(tmp_path):
    """Real small files: a JPEG made with Pillow, and MP4/MP3 byte strings (the fakes do not decode them)."""

    class Files:
        jpeg = jpeg_bytes()
        mp4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
        mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 20

        def image(self, url=""):
            return media_file(tmp_path, "social-crop.jpg", self.jpeg, "image/jpeg", url)

        def video(self, url=""):
            return media_file(tmp_path, "film-720p.mp4", self.mp4, "video/mp4", url)

        def audio(self):
            return media_file(tmp_path, "episode.mp3", self.mp3, "audio/mpeg")

    return Files()


@pytest.fixture
def make_post():
    def make(**fields):
        values = {
            "event": "publish",
            "idempotency_key": "outbox-1:publish",
            "page_id": 42,
            "language": "fa",
            "title": "گزارش پیشرفت برنامهٔ تحول دیجیتال",
            "text": PERSIAN_TEXT,
            "url": "https://revayat.example/fa/plans/digital/",
            "hashtags": ["برنامه تحول", "بیمه‌شدگان"],
            "api_url": "https://revayat.example/api/v2/pages/42/",
        }
        values.update(fields)
        return Post(**values)

    return make


class Context(DeliveryContext):
    """State in memory; `saved` is what was persisted, `posted` counts the posting requests."""

    def __init__(self, state=None):
        self.saved, self.posted = [], 0
        super().__init__(dict(state or {}), self.saved.append, self._posting_marker)

    @contextmanager
    def _posting_marker(self):
        self.posted += 1
        yield

    def save_state(self):
        self.saved.append(dict(self.state))


@pytest.fixture
def ctx():
    return Context()


@pytest.fixture
def login(users):  # noqa: F811
    """login(role) → a Django test client logged in as that role (anonymous for "anonymous") for the admin
    tests (`client` here is the channels' HTTP client)."""
    from django.test import Client

    def log_in(role):
        browser = Client()
        if role != "anonymous":
            browser.force_login(users[role])
        return browser

    return log_in
