"""The editors' CMS: releases with their workflow, and the things releases speak of."""

from news.admin import audit, entities, images, pages, releases, security, subscribers

__all__ = ["audit", "entities", "images", "pages", "releases", "security", "subscribers"]
