"""Bodies saved before images from other sites were refused: clean them once with today's rules."""

from django.db import migrations

from news.html import sanitize


def resanitize(apps, schema_editor):
    Release = apps.get_model("news", "Release")
    releases = Release.objects.using(schema_editor.connection.alias)
    for pk, body in releases.filter(body__icontains="<img").values_list("pk", "body").iterator():
        clean = sanitize(body)
        if clean != body:
            releases.filter(pk=pk).update(body=clean)


class Migration(migrations.Migration):
    dependencies = [("news", "0013_preview_link_audit")]

    operations = [migrations.RunPython(resanitize, migrations.RunPython.noop)]
