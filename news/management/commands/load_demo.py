from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from news.demo import load_demo


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
        if not no_admin:
            self._ensure_admin()

    def _ensure_admin(self) -> None:
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write(
                "Admin account: admin (password as printed when it was made; "
                "to set a new one: .venv/bin/python manage.py changepassword admin)"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password)
        self.stdout.write(f"Admin account created: admin / {password}  (shown once)")
