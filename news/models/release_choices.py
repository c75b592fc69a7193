"""What a release is (Kind), its Language, and its State in the editorial workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEWS = "news", _("news")
    PRESS_RELEASE = "press_release", _("press release")
    ANNOUNCEMENT = "announcement", _("announcement")
    STATEMENT = "statement", _("statement")
    INTERVIEW = "interview", _("interview")
    VISIT = "visit", _("visit")
    AGREEMENT = "agreement", _("agreement")


class Language(models.TextChoices):
    RU = "ru", _("Russian")
    BE = "be", _("Belarusian")
    EN = "en", _("English")


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")
    UNPUBLISHED = "unpublished", _("unpublished")
