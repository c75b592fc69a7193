"""The editors' CMS: releases with their workflow, and the things releases speak of."""

from news.admin import entities, images, releases

__all__ = ["entities", "images", "releases"]
