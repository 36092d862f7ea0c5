"""`manage.py load_demo`: the demo site (four plans in Persian and English) and a demo admin."""

import secrets
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.users.models import UserProfile

from cms.workflow.demo import ensure_role_users
from plans.demo.loader import DemoLoader
from plans.demo.tasks import generate_demo_media

MEDIA_DELAY_SECONDS = 20


class Command(BaseCommand):
    help = "Load the demo content of the four plans in Persian and English (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo admin.")
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="Keep the placeholder audio and video (no narrated podcasts and films; also DEMO_MEDIA=0).",
        )

    def handle(self, *args, **options):
        self.stdout.write("Loading the demo content…")
        created = DemoLoader(stdout=self.stdout).run()
        # Domain apps beside plans (co-creation …) add their demo through their AppConfig.load_demo():
        # found in the app registry, not imported, as the layout wants (docs/architecture.md).
        for app_config in apps.get_app_configs():
            if callable(getattr(app_config, "load_demo", None)):
                created += app_config.load_demo(stdout=self.stdout) or 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready ({created} objects created; 0 means it was already loaded)."
            )
        )
        if settings.REVAYAT_DEMO_MEDIA and not options["no_media"]:
            # minutes of synthesis and encoding: the worker does it once the portal is up (`make run`
            # starts the server beside the worker: the delay leaves it the CPU for its first pages)
            task = generate_demo_media
            if default_task_backend.supports_defer:
                task = task.using(run_after=timezone.now() + timedelta(seconds=MEDIA_DELAY_SECONDS))
            task.enqueue()
            self.stdout.write(
                "Narrated podcasts and films are being made in the background (media library shows progress)."
            )
        if not options["no_admin"]:
            self.ensure_admin()
            self.ensure_role_users()

    def ensure_admin(self):
        users = get_user_model()
        if users.objects.filter(username="admin").exists():
            self.stdout.write(
                "Demo admin 'admin' already exists (reset its password with: manage.py changepassword admin)."
            )
            return
        password = secrets.token_urlsafe(12)
        admin = users.objects.create_superuser("admin", "admin@revayat.local", password)
        profile = UserProfile.get_for_user(admin)
        profile.preferred_language = "fa"  # the admin in Persian, whatever the browser says
        profile.save()
        self.stdout.write(
            self.style.WARNING(
                "Demo admin created — shown once, write it down:\n"
                f"  username: admin\n  password: {password}\n  login:    /admin/"
            )
        )

    def ensure_role_users(self):
        """One demo user per editorial role (Editors, Translators, Reviewers, Approvers, administrators)."""
        for username, role, password in ensure_role_users():
            self.stdout.write(
                self.style.WARNING(
                    f"Demo {role} user created — shown once: username: {username}  password: {password}"
                )
            )
