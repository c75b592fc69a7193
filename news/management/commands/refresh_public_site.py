"""manage.py refresh_public_site: every cached page and feed is built afresh from now on.

Changes made through the application do this by themselves; this is for changes made around
it, such as an UPDATE typed into psql.
"""

from django.core.management.base import BaseCommand

from news.models import PublicVersion


class Command(BaseCommand):
    help = "Make every cached public page and feed stale (after changing data outside the app)."

    def handle(self, *args, **options) -> None:
        PublicVersion.objects.advance()
        self.stdout.write("Cached pages and feeds will be built afresh.")
