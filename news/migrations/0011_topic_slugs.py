"""Topics as Topic (taggit's tag with a slug that is always a slug), and the stored tags' slugs
repaired: an empty slug (a name of punctuation or emoji) or a non-Latin one (taggit kept
Cyrillic) becomes a Latin one, unique, as Topic.slugify() now makes them."""

import re

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models

from news.slugs import SUFFIX_ROOM, slug_for

URL_SAFE = re.compile(r"[-a-zA-Z0-9_]+")
TAG_SLUG_MAX_LENGTH = 100


def repair_topic_slugs(apps, schema_editor):
    """Give every tag whose slug no URL can carry a valid unique one; leave the others be."""
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.order_by("pk"):
        if URL_SAFE.fullmatch(tag.slug):
            continue
        base = slug_for(tag.name, "topic", TAG_SLUG_MAX_LENGTH - SUFFIX_ROOM)
        slug, n = base, 0
        while slug in taken:
            n += 1
            slug = f"{base}_{n}"
        taken.discard(tag.slug)
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0010_catalogue_permissions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="Topic",
            fields=[],
            options={
                "verbose_name": "topic",
                "verbose_name_plural": "topics",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("taggit.tag",),
        ),
        migrations.RemoveField(
            model_name="release",
            name="tags",
        ),
        migrations.AlterField(
            model_name="taggedrelease",
            name="tag",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="news_taggedrelease_items",
                to="news.topic",
            ),
        ),
        migrations.AddField(
            model_name="release",
            name="tags",
            field=taggit.managers.TaggableManager(
                blank=True,
                help_text="A comma-separated list of tags.",
                through="news.TaggedRelease",
                to="news.Topic",
                verbose_name="topics",
            ),
        ),
        migrations.RunPython(repair_topic_slugs, migrations.RunPython.noop, elidable=True),
    ]
