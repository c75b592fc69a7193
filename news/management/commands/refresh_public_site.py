"""manage.py refresh_public_site: every cached page and feed is built afresh from now on.

Changes made through the application's services do this by themselves (site_changed); this is
for changes made around them, such as an UPDATE typed into psql.
"""

from django.core.management.base import BaseCommand

from news.models.public_version import site_changed


class Command(BaseCommand):
    help = "Make every cached public page and feed stale (after changing data outside the app)."

    def handle(self, *args, **options) -> None:
        site_changed()
        self.stdout.write("Cached pages and feeds will be built afresh.")
