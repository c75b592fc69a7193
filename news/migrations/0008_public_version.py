from django.db import migrations, models


def create_the_row(apps, schema_editor):
    PublicVersion = apps.get_model("news", "PublicVersion")
    PublicVersion.objects.using(schema_editor.connection.alias).get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0007_source_primary_url_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("pk", 1)), name="public_version_single_row"
                    )
                ],
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
