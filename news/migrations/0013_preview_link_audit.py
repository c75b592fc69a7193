"""Preview links in the audit log, and links made for a live release's unpublished changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0012_api_rate_window"),
    ]

    operations = [
        migrations.AddField(
            model_name="previewlink",
            name="pending_revision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="news.revision",
                verbose_name="unpublished changes",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "submitted for review"),
                    ("send_back", "sent back to the author"),
                    ("approve", "approved"),
                    ("publish", "published"),
                    ("schedule", "scheduled"),
                    ("force_publish", "published without review"),
                    ("post_review", "reviewed after publication"),
                    ("unschedule", "schedule cancelled"),
                    ("withdraw", "withdrawn"),
                    ("unpublish", "unpublished"),
                    ("publish_changes", "changes published"),
                    ("discard_changes", "changes discarded"),
                    ("restore_revision", "revision restored"),
                    ("reopen", "returned to review after an edit"),
                    ("trash", "moved to the bin"),
                    ("untrash", "restored from the bin"),
                    ("preview_create", "preview link created"),
                    ("preview_revoke", "preview link revoked"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
    ]
