"""Benchmark the media pipeline: upload memory, transcode speed and rendition throughput.

1. Upload: serves a fresh (migrated, empty) site with `manage.py runserver --noreload` on a free loopback
   port, logs in as a throw-away superuser and streams a SIZE-MB WAV file (a valid header and silence,
   never held in memory by this script) to the wagtailmedia add view; reports how much the server's peak
   resident memory (VmHWM) grew. The bar: under 100 MB for a 1 GB upload.
2. Transcode: a generated 1280×720 clip through the real video and audio jobs, reported as × real time
   (seconds of media per second of work).
3. Renditions: WebP, AVIF and JPEG renditions of a 1600×2000 image at three widths through Willow (the
   library Wagtail's renditions use), reported as renditions per second.
4. Demo media: on a freshly loaded demo (placeholder media), each plan's narrated podcast episode and
   motion-graphic film in Persian and English made from scratch (empty cache) and processed by the
   pipeline by `generate_all` as the background task runs it (plans overlap: each step is printed when
   it is ready). The goal: all four plans in both languages under 5 minutes.

Run: `.venv/bin/python benchmarks/media.py [--upload-mb 1024] [--seconds 20] [--demo-plans 12,14,15,18]`.
See benchmarks/README.md.
"""

import argparse
import http.client
import http.cookiejar
import io
import os
import re
import secrets
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from tests.demo_server import free_port, manage, wait_for  # noqa: E402

CHUNK = 1024 * 1024


def wav_header(data_bytes, rate=44100, channels=2, bits=16):
    block = channels * bits // 8
    fmt = struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, bits)
    riff = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVEfmt "
    return riff + fmt + b"data" + struct.pack("<I", data_bytes)


def peak_memory_kb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))


def login(base, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(f"{base}/admin/login/", data=data, headers={"Referer": base}))
    add = opener.open(f"{base}/admin/media/audio/add/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', add).group(1)
    return "; ".join(f"{c.name}={c.value}" for c in jar), token


def stream_upload(base, cookies, token, size_mb):
    """POST a multipart form whose file part is generated chunk by chunk; returns the HTTP status."""
    boundary = secrets.token_hex(16)
    data_bytes = size_mb * CHUNK
    head = (
        "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (("csrfmiddlewaretoken", token), ("title", "benchmark"), ("collection", "1"))
        ).encode()
        + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n'
            "Content-Type: audio/wav\r\n\r\n"
        ).encode()
        + wav_header(data_bytes)
    )
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        zeros = bytes(CHUNK)
        for _ in range(size_mb):
            yield zeros
        yield tail

    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=3600)
    connection.request(
        "POST",
        "/admin/media/audio/add/",
        body=body(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": cookies,
            "Content-Length": str(len(head) + data_bytes + len(tail)),
            "Referer": base,
            "X-CSRFToken": token,
        },
    )
    response = connection.getresponse()
    response.read()
    return response.status


def bench_upload(size_mb):
    with tempfile.TemporaryDirectory(prefix="revayat-bench-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "DJANGO_SETTINGS_MODULE": "settings.dev",
            "DEBUG": "1",
            "MEDIA_MAX_UPLOAD_BYTES": str((size_mb + 1) * CHUNK),
        }
        manage("migrate", "--noinput", env=env)
        password = secrets.token_urlsafe(12)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.contrib.auth import get_user_model; get_user_model().objects."
                f"create_superuser('bench', 'b@example.com', '{password}')",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        port = free_port()
        log_path = Path(tmp, "server.log")
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/healthz", server, log_path)
            cookies, token = login(base, "bench", password)
            before = peak_memory_kb(server.pid)
            started = time.perf_counter()
            status = stream_upload(base, cookies, token, size_mb)
            elapsed = time.perf_counter() - started
            growth_mb = (peak_memory_kb(server.pid) - before) / 1024
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        f"upload: {size_mb} MB in {elapsed:.1f} s ({size_mb / elapsed:.0f} MB/s), HTTP {status}; "
        f"server peak memory grew by {growth_mb:.1f} MB (bar: < 100 MB) -> "
        f"{'PASS' if growth_mb < 100 and status == 302 else 'FAIL'}"
    )
    return growth_mb


def bench_transcode(seconds):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    django.setup()
    from media_pipeline import generate, processing

    with tempfile.TemporaryDirectory(prefix="revayat-bench-") as tmp:
        source = generate.video(Path(tmp, "source.mp4"), seconds=seconds, size="1280x720")
        out = Path(tmp, "video")
        out.mkdir()
        started = time.perf_counter()
        processing.video_outputs(source, out, seconds, 1280, 720, 25, True, lambda fraction: None)
        video_time = time.perf_counter() - started
        out = Path(tmp, "audio")
        out.mkdir()
        started = time.perf_counter()
        processing.audio_outputs(source, out, seconds, lambda fraction: None)
        audio_time = time.perf_counter() - started
    print(
        f"transcode: {seconds} s of 720p video -> 360p+720p MP4, HLS, poster in {video_time:.1f} s "
        f"= {seconds / video_time:.2f}x real time; audio -> MP3+AAC at -16 LUFS in {audio_time:.1f} s "
        f"= {seconds / audio_time:.1f}x real time"
    )


def bench_renditions():
    from PIL import Image, ImageDraw
    from willow.image import Image as WillowImage

    picture = Image.new("RGB", (1600, 2000), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    for index in range(40):
        draw.rectangle(
            [index * 40, index * 50, index * 40 + 300, index * 50 + 200], fill=(index * 6, 79, 138)
        )
    source = io.BytesIO()
    picture.save(source, format="PNG")
    for format_name in ("webp", "avif", "jpeg"):
        count, started = 0, time.perf_counter()
        for width in (480, 960, 1440):
            source.seek(0)
            image = WillowImage.open(source)
            resized = image.resize((width, width * 2000 // 1600))
            getattr(resized, f"save_as_{format_name}")(io.BytesIO())
            count += 1
        elapsed = time.perf_counter() - started
        print(f"renditions: {format_name}: {count / elapsed:.1f} renditions/s (widths 480, 960, 1440)")


DEMO_TIMING = """
import time
from plans.demo import generated
started = last = time.perf_counter()
def step(name):
    global last
    now = time.perf_counter()
    print(f"demo media: {{name}} ready at {{now - started:.1f}} s (+{{now - last:.1f}} s)", flush=True)
    last = now
generated.generate_all({numbers}, progress=step)
total = time.perf_counter() - started
count = len({numbers})
print(f"demo media: {{count}} plans x 2 languages in {{total:.1f}} s, {{total / count:.1f}} s per plan "
      f"(goal for 4 plans: < 300 s) -> {{'PASS' if total < 300 * count / 4 else 'FAIL'}}")
"""


def bench_demo_media(numbers):
    """Load the demo without its media, then time the generation as the background task runs it
    (`generate_all`: plans overlap, so each step is printed as it is ready; the cache starts empty)."""
    with tempfile.TemporaryDirectory(prefix="revayat-bench-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "DEMO_MEDIA_CACHE": f"{tmp}/cache",
            "DJANGO_SETTINGS_MODULE": "settings.test",  # tasks run at once, as in the worker
        }
        manage("migrate", "--noinput", env=env)
        manage("load_demo", "--no-admin", "--no-media", env=env)
        code = DEMO_TIMING.format(numbers=sorted(numbers))
        subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upload-mb", type=int, default=1024)
    parser.add_argument("--seconds", type=int, default=20, help="length of the transcode test clip")
    parser.add_argument("--skip-upload", action="store_true")
    parser.add_argument(
        "--demo-plans", default="12,14,15,18", help="plans whose demo media to time ('' skips it)"
    )
    options = parser.parse_args()
    os.chdir(ROOT)
    if options.demo_plans:
        bench_demo_media({int(number) for number in options.demo_plans.split(",")})
    bench_transcode(options.seconds)
    bench_renditions()
    if not options.skip_upload:
        bench_upload(options.upload_mb)


if __name__ == "__main__":
    main()
