"""manage.py rebuild_related: every published release's related list computed again.

Publishing through the application keeps the lists current by itself (news.related); run this
after a bulk import, a restore or links changed outside the services.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from news.related import rebuild_related


class Command(BaseCommand):
    help = "Compute again the stored related releases of every published release."

    def handle(self, *args, **options) -> None:
        def progress(done: int, total: int) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(f"{done}/{total}")

        count = rebuild_related(progress)
        self.stdout.write(f"Related releases computed for {count} releases.")
