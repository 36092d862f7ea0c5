"""Rebuild the search passages of every live page and every document."""

from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search passages (pages, chapters, subtitle cues, PDF pages) and their index."

    def handle(self, *args, **options):
        self.stdout.write(f"{rebuild()} pages and documents indexed")
