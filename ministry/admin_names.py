"""How the admin names a model inside a sentence. Russian and Belarusian decline the name
("Добавить публикацию"), which Django's "Add %s" with the name as it stands cannot do."""

from __future__ import annotations

from django.contrib import admin
from django.db.models.options import Options
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext, pgettext_lazy

# The name as the object of "add", "change", "view": every model in the admin (a test checks).
ACCUSATIVE = {
    "news.release": pgettext_lazy("accusative", "release"),
    "news.official": pgettext_lazy("accusative", "official"),
    "news.organisation": pgettext_lazy("accusative", "organisation"),
    "news.country": pgettext_lazy("accusative", "country"),
    "news.delegation": pgettext_lazy("accusative", "delegation"),
    "news.contact": pgettext_lazy("accusative", "press contact"),
    "news.image": pgettext_lazy("accusative", "image"),
    "news.auditentry": pgettext_lazy("accusative", "audit entry"),
    "taggit.tag": pgettext_lazy("accusative", "topic"),
    "auth.user": pgettext_lazy("accusative", "user"),
    "auth.group": pgettext_lazy("accusative", "group"),
    "otp_totp.totpdevice": pgettext_lazy("accusative", "authenticator app"),
    "axes.accessattempt": pgettext_lazy("accusative", "login attempt record"),
    "axes.accesslog": pgettext_lazy("accusative", "login record"),
    "axes.accessfailurelog": pgettext_lazy("accusative", "failed login record"),
    "news.subscriber": pgettext_lazy("accusative", "subscriber"),
    "news.page": pgettext_lazy("accusative", "press service page"),
    "django_tasks_database.dbtaskresult": pgettext_lazy("accusative", "task result"),
}


def accusative(opts: Options) -> str:
    return str(ACCUSATIVE.get(opts.label_lower, opts.verbose_name))


class NamedInCaseMixin:
    """Titles of the list ("Публикации") and of the forms ("Изменить публикацию")."""

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.title = capfirst(self.opts.verbose_name_plural)
        changelist.add_label = pgettext("admin", "Add %s") % accusative(self.opts)
        return changelist

    def render_change_form(self, request, context, **kwargs):
        name = self.opts.verbose_name
        for django_title, ours in [
            (gettext("Add %s"), pgettext("admin", "Add %s")),
            (gettext("Change %s"), pgettext("admin", "Change %s")),
            (gettext("View %s"), pgettext("admin", "View %s")),
        ]:
            if context.get("title") == django_title % name:
                context["title"] = ours % accusative(self.opts)
        return super().render_change_form(request, context, **kwargs)


def named_in_case(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    return type(admin_class.__name__, (NamedInCaseMixin, admin_class), {})
