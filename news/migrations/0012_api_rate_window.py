from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0011_topic_slugs"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiRateWindow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ident", models.CharField(max_length=100, verbose_name="client")),
                ("window_start", models.DateTimeField(verbose_name="window start")),
                ("count", models.PositiveIntegerField(default=0, verbose_name="requests")),
            ],
            options={
                "verbose_name": "API rate window",
                "verbose_name_plural": "API rate windows",
                "indexes": [
                    models.Index(fields=["window_start"], name="api_rate_window_start_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("ident", "window_start"),
                        name="api_rate_window_unique_ident_start",
                    )
                ],
            },
        ),
    ]
