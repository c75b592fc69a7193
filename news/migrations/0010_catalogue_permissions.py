"""Who keeps the catalogue of officials, organisations and visits.

Authors may add an official, a position, an organisation or a visit while writing a release:
a new entry is private until a reviewed release that mentions it is published. Editors and
publishers may also change existing entries, which readers see at once.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOGUE = ["official", "appointment", "organisation", "delegation"]
ADD = [f"add_{model}" for model in CATALOGUE]
CHANGE = [f"change_{model}" for model in CATALOGUE]
GRANTS = {"Author": ADD, "Editor": ADD + CHANGE, "Publisher": ADD + CHANGE}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("news", "0009_release_published_index")]

    operations = [migrations.RunPython(grant, revoke)]
