"""The read-only JSON API, /api/v1/: public releases and what they mention (django-ninja)."""

from news.api.views import api

__all__ = ["api"]
