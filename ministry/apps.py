import axes.apps
import django_otp.plugins.otp_totp.apps as otp_totp
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

BOOLEAN_ICONS = {True: ("yes", "Yes"), False: ("no", "No"), None: ("unknown", "Unknown")}


def boolean_icon(value: bool | None) -> str:
    """Django's yes/no icon, its text in the admin's language (Django's own says "False")."""
    icon, word = BOOLEAN_ICONS[value]
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), gettext(word)
    )


class MinistryAdminConfig(AdminConfig):
    default_site = "ministry.admin_site.MinistryAdminSite"

    def ready(self) -> None:
        super().ready()
        # Read-only fields and change-list columns look the function up here when they render.
        admin_list._boolean_icon = boolean_icon


class AxesConfig(axes.apps.AppConfig):
    """django-axes under a name editors understand (its own is "Axes")."""

    verbose_name = _("Login attempts")


class TOTPConfig(otp_totp.DefaultConfig):
    """django-otp's authenticator apps under a name editors understand (its own is "Otp_Totp")."""

    verbose_name = _("Two-factor login")
