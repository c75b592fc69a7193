from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from news.demo import load_demo

CHANGE_PASSWORD = ".venv/bin/python manage.py changepassword admin"


class Command(BaseCommand):
    help = "Load the demo content (the seed release and all it mentions) and a demo admin account."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create the demo admin account."
        )

    def handle(self, *args, no_admin: bool = False, **options) -> None:
        release = load_demo()
        self.stdout.write(
            f"Demo release: {release.title} ({settings.SITE_URL}{release.get_absolute_url()})"
        )
        lines = [f"The site:   {settings.SITE_URL}/"]
        if not no_admin:
            lines += [f"The admin:  {settings.SITE_URL}/admin/", *self._ensure_admin()]
        # Last, framed: `make run` starts the server right after this.
        rule = "=" * 72
        self.stdout.write("\n".join(["", rule, *(f"  {line}" for line in lines), rule, ""]))

    def _ensure_admin(self) -> list[str]:
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            return [
                "Account:    admin (the password printed when it was made)",
                f"Forgot it?  {CHANGE_PASSWORD}",
            ]
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password)
        return [
            self.style.SUCCESS(f"Account:    admin / {password}   (shown only this once)"),
            f"New password: {CHANGE_PASSWORD}",
        ]
