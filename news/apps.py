from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from news import roles, security_log

        security_log.connect()
        # auth's receiver of the same signal, connected before, has made news's permissions.
        post_migrate.connect(roles.sync_roles, sender=self, dispatch_uid="news-sync-roles")
