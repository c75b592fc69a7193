from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def corrected_at_from_change_notes(apps, schema_editor):
    Release = apps.get_model("news", "Release")
    ChangeNote = apps.get_model("news", "ChangeNote")
    latest = (
        ChangeNote.objects.filter(release=OuterRef("pk"))
        .values("release")
        .annotate(latest=Max("created_at"))
        .values("latest")
    )
    Release.objects.filter(change_notes__isnull=False).update(corrected_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("news", "0022_subscriptions")]

    operations = [
        migrations.AddField(
            model_name="release",
            name="corrected_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="corrected"
            ),
        ),
        migrations.RunPython(corrected_at_from_change_notes, migrations.RunPython.noop),
    ]
