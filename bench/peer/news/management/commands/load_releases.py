"""manage.py load_releases FILE: the benchmark's synthetic JSON Lines file as Wagtail pages.

The same file the project's benchmark imports (`manage.py generate_releases N --jsonl FILE`):
each line becomes a live NewsPage under one NewsIndexPage, the site's root, with its title,
summary, body, publication time and tags; then Wagtail's search index is built
(`update_index`). The rest of a line (officials, organisations, sources) has no place in a stock
Wagtail news site and is left out.

The pages are written in bulk, their tree paths computed as treebeard's add_child computes them:
add_child, one page at a time, took over a second a page on the shared 2-core machine.
"""

import datetime
import json
from itertools import batched
from pathlib import Path
from zoneinfo import ZoneInfo

from anyascii import anyascii
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, Site

from news.models import NewsIndexPage, NewsPage, NewsPageTag

MINSK = ZoneInfo("Europe/Minsk")
BATCH = 1000


class Command(BaseCommand):
    help = "Load the benchmark's JSON Lines releases as news pages (replacing any loaded before)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        with file.open(encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines]
        with transaction.atomic():
            index = self.fresh_index()
            self.add_pages(index, records)
        call_command("update_index", verbosity=0)
        self.stdout.write(f"{file}: {len(records)} news pages")

    def fresh_index(self) -> NewsIndexPage:
        """An empty NewsIndexPage as the default site's root page, in place of any other."""
        root = Page.get_first_root_node()
        site = Site.objects.get(is_default_site=True)
        index = root.add_child(instance=NewsIndexPage(title="Новости", slug="news-index-new"))
        site.root_page = index
        site.save()
        for old in root.get_children().exclude(pk=index.pk):
            old.delete()
        index.refresh_from_db()
        index.slug = "news"
        index.save()
        return index

    def add_pages(self, index: NewsIndexPage, records: list[dict]) -> None:
        content_type = ContentType.objects.get_for_model(NewsPage)
        names = {name for record in records for name in record["tags"]}
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in names}
        slugs: set[str] = set()
        step = 0
        for batch in batched(records, BATCH):
            pages, news = [], []
            for record in batch:
                step += 1
                date = datetime.datetime.fromisoformat(record["published_at"])
                if date.tzinfo is None:
                    date = date.replace(tzinfo=MINSK)
                slug = base = slugify(anyascii(record["title"]))[:200] or "news"
                while slug in slugs:
                    slug = f"{base}-{len(slugs)}"
                slugs.add(slug)
                pages.append(
                    Page(
                        title=record["title"],
                        draft_title=record["title"],
                        slug=slug,
                        path=Page._get_path(index.path, index.depth + 1, step),
                        depth=index.depth + 1,
                        numchild=0,
                        url_path=f"{index.url_path}{slug}/",
                        content_type=content_type,
                        locale_id=index.locale_id,
                        live=True,
                        first_published_at=date,
                        last_published_at=date,
                    )
                )
                news.append((date, record.get("summary", ""), record.get("body", "")))
            Page.objects.bulk_create(pages)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {NewsPage._meta.db_table} (page_ptr_id, date, intro, body) "
                    "VALUES (%s, %s, %s, %s)",
                    [(page.pk, *fields) for page, fields in zip(pages, news, strict=True)],
                )
            NewsPageTag.objects.bulk_create(
                NewsPageTag(content_object_id=page.pk, tag=tags[name])
                for page, record in zip(pages, batch, strict=True)
                for name in record["tags"]
            )
        Page.objects.filter(pk=index.pk).update(numchild=step)
