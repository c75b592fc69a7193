"""manage.py load_releases FILE: the benchmark's synthetic JSON Lines file as Wagtail pages.

The same file the project's benchmark imports (`manage.py generate_releases N --jsonl FILE`):
each line becomes a live NewsPage under one NewsIndexPage, the site's root, with its title,
summary, body, publication time and tags. The rest of a line (officials, organisations,
sources) has no place in a stock Wagtail news site and is left out.
"""

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from anyascii import anyascii
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from news.models import NewsIndexPage, NewsPage

MINSK = ZoneInfo("Europe/Minsk")


class Command(BaseCommand):
    help = "Load the benchmark's JSON Lines releases as news pages (replacing any loaded before)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        with transaction.atomic():
            index = self.fresh_index()
            slugs = set()
            with file.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    record = json.loads(line)
                    date = datetime.datetime.fromisoformat(record["published_at"])
                    if date.tzinfo is None:
                        date = date.replace(tzinfo=MINSK)
                    slug = base = slugify(anyascii(record["title"]))[:200] or "news"
                    while slug in slugs:
                        slug = f"{base}-{len(slugs)}"
                    slugs.add(slug)
                    page = NewsPage(
                        title=record["title"],
                        slug=slug,
                        date=date,
                        intro=record.get("summary", ""),
                        body=record.get("body", ""),
                        first_published_at=date,
                        last_published_at=date,
                    )
                    page.tags.add(*record.get("tags", []))
                    index.add_child(instance=page)
                    if number % 1000 == 0:
                        self.stdout.write(f"  {number} pages")
        self.stdout.write(f"{file}: {len(slugs)} news pages")

    def fresh_index(self) -> NewsIndexPage:
        """An empty NewsIndexPage as the default site's root page, in place of any other."""
        root = Page.get_first_root_node()
        site = Site.objects.get(is_default_site=True)
        index = root.add_child(instance=NewsIndexPage(title="Новости", slug="news-index-new"))
        site.root_page = index
        site.save()
        for old in root.get_children().exclude(pk=index.pk):
            old.delete()
        index.slug = "news"
        index.save()
        return index
