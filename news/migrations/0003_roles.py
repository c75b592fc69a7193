"""The three editorial roles as groups, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_ENTITIES = [
    "view_official",
    "view_organisation",
    "view_country",
    "view_delegation",
    "view_appointment",
]
WRITE_RELEASES = [
    "add_release",
    "change_release",
    "view_release",
    "add_sourceurl",
    "change_sourceurl",
    "delete_sourceurl",
    "view_sourceurl",
]

ROLES = {
    "Author": [*WRITE_RELEASES, *READ_ENTITIES, "submit_release", "preview_release"],
    "Editor": [
        *WRITE_RELEASES,
        *READ_ENTITIES,
        "submit_release",
        "review_release",
        "edit_any_release",
        "delete_release",
        "preview_release",
        "view_auditentry",
    ],
    "Publisher": [
        *WRITE_RELEASES,
        *READ_ENTITIES,
        "edit_any_release",
        "publish_release",
        "force_publish_release",
        "withdraw_release",
        "unpublish_release",
        "preview_release",
        "view_auditentry",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="news", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
