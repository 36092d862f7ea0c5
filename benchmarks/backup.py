"""Backup and restore drill: the database (pg_dump) and the object store (every object of both buckets),
restored into an empty PostgreSQL database and an empty SeaweedFS, timed and checked.

1. Builds the production stack's data as `benchmarks/two_nodes.py` does: a fresh PostgreSQL database,
   SeaweedFS (S3) for every file, `migrate` and `load_demo` (its images, documents and media go to S3).
2. Records what a restore must give back: the rows of every model, and every object (key, size, ETag).
3. Backs up: `pg_dump --format=custom` and a copy of each bucket's objects to a folder.
4. The disaster: the database is dropped, SeaweedFS stopped and its data deleted.
5. Restores into a new database (`pg_restore --jobs 2`) and a new, empty SeaweedFS, and times it.
6. Checks the restored site: the same rows, the same objects, every document's and image's file read back
   through Django's storage with the same SHA-256 as before, and a Persian plan served by the API.

Run: `.venv/bin/python benchmarks/backup.py` (PostgreSQL on TEST_POSTGRES_URL's server, as two_nodes.py).
Prints the backup and restore times and sizes; exits non-zero when a check fails.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from benchmarks.two_nodes import check, drop_database, failures, fresh_database, shell, stack_environment  # noqa: E402
from tests.demo_server import manage  # noqa: E402
from tests.media.s3server import BUCKET, PUBLIC_BUCKET, SeaweedS3  # noqa: E402

DATABASE, RESTORED = "revayat_backup", "revayat_restored"
REDIS_DATABASE = 13

# Run in `manage.py shell` on the stack: what a restore must give back, as JSON.
INVENTORY = """
import hashlib, json
from django.apps import apps
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from plans.models import PlanPage

def digest(item):
    with item.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()

plan = PlanPage.objects.live().filter(locale__language_code="fa").first()
response = Client(HTTP_HOST="127.0.0.1").get(f"/api/v2/pages/{plan.pk}/")  # first: it may make renditions
served = [response.status_code, response.json()["title"] == plan.title]
rows = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
files = {
    f"{model._meta.label}:{item.pk}": digest(item)
    for model in (get_document_model(), get_image_model())
    for item in model.objects.all()
}
print(json.dumps({"rows": rows, "files": files, "page": served}))
"""


def objects(client):
    """{bucket/key: (size, ETag)} of both buckets."""
    found = {}
    for bucket in (BUCKET, PUBLIC_BUCKET):
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                found[f"{bucket}/{item['Key']}"] = (item["Size"], item["ETag"])
    return found


def inventory(env):
    return json.loads(shell(INVENTORY, env).splitlines()[-1])


def timed(label, action):
    started = time.monotonic()
    result = action()
    seconds = time.monotonic() - started
    print(f"  {label:<34} {seconds:7.1f} s", flush=True)
    return result, seconds


def download(client, keys, folder):
    for name in keys:
        bucket, key = name.split("/", 1)
        target = folder / bucket / key
        target.parent.mkdir(parents=True, exist_ok=True)
        client.download_file(bucket, key, str(target))


def upload(client, keys, folder):
    for name in keys:
        bucket, key = name.split("/", 1)
        client.upload_file(str(folder / bucket / key), bucket, key)


def main():
    folder = Path(tempfile.mkdtemp(prefix="revayat-backup-"))
    s3, restored_s3 = SeaweedS3(), SeaweedS3()
    try:
        print("Building the stack's data (PostgreSQL, SeaweedFS, migrate, load_demo) …", flush=True)
        s3.start()
        env = stack_environment(fresh_database(DATABASE), s3, folder, "http://127.0.0.1", REDIS_DATABASE)
        env["DEMO_MEDIA"] = "0"  # the demo's own files; the narrated media would only lengthen the drill
        manage("migrate", "--noinput", env=env)
        manage("load_demo", "--no-admin", env=env)
        before = inventory(env)
        stored = objects(s3.client())
        print(f"  {sum(before['rows'].values())} rows, {len(stored)} objects", flush=True)

        print("Backup:", flush=True)
        dump = folder / "revayat.dump"
        timed(
            "pg_dump (custom format)",
            lambda: subprocess.run(
                ["pg_dump", "--format=custom", f"--file={dump}", env["DATABASE_URL"]], check=True
            ),
        )
        timed("object store copied", lambda: download(s3.client(), stored, folder / "objects"))
        size = sum(size for size, _etag in stored.values())
        print(f"  database dump {dump.stat().st_size / 1e6:.1f} MB, objects {size / 1e6:.1f} MB", flush=True)

        print("Disaster: database dropped, SeaweedFS stopped and its data deleted.", flush=True)
        drop_database(DATABASE)
        s3.stop()
        shutil.rmtree(s3.folder, ignore_errors=True)

        print("Restore into a new database and an empty SeaweedFS:", flush=True)
        restored_s3.start()
        restored_url = fresh_database(RESTORED)
        _, database_seconds = timed(
            "pg_restore --jobs 2",
            lambda: subprocess.run(
                ["pg_restore", "--jobs=2", "--no-owner", f"--dbname={restored_url}", str(dump)], check=True
            ),
        )
        _, objects_seconds = timed(
            "objects uploaded", lambda: upload(restored_s3.client(), stored, folder / "objects")
        )
        print(f"  restore time: {database_seconds + objects_seconds:.1f} s", flush=True)

        print("Checks:", flush=True)
        restored_env = {**env, "DATABASE_URL": restored_url, "S3_ENDPOINT_URL": restored_s3.endpoint}
        after = inventory(restored_env)
        changed = {label for label, count in before["rows"].items() if after["rows"].get(label) != count}
        differing = f" (differ: {', '.join(sorted(changed))})" if changed else ""
        check(not changed, f"the same rows in all {len(before['rows'])} models{differing}")
        check(objects(restored_s3.client()) == stored, f"the same {len(stored)} objects (size, ETag)")
        check(
            after["files"] == before["files"] and before["files"],
            f"{len(before['files'])} documents and images read back with the same SHA-256",
        )
        check(after["page"] == [200, True], "the API serves a Persian plan from the restored stack")
    finally:
        s3.stop()
        restored_s3.stop()
        for name in (DATABASE, RESTORED):
            drop_database(name)
        shutil.rmtree(folder, ignore_errors=True)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed: {', '.join(failures)}")
    print("All checks passed.")


if __name__ == "__main__":
    main()
