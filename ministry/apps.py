import axes.apps
import django_otp.plugins.otp_totp.apps as otp_totp
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class MinistryAdminConfig(AdminConfig):
    default_site = "ministry.admin_site.MinistryAdminSite"


class AxesConfig(axes.apps.AppConfig):
    """django-axes under a name editors understand (its own is "Axes")."""

    verbose_name = _("Login attempts")


class TOTPConfig(otp_totp.DefaultConfig):
    """django-otp's authenticator apps under a name editors understand (its own is "Otp_Totp")."""

    verbose_name = _("Two-factor login")
