from news.models.attachments import Attachment
from news.models.contacts import Contact
from news.models.countries import Country
from news.models.delegations import Delegation, ProgrammeItem
from news.models.images import Image, Licence, ReleaseImage
from news.models.organisations import Organisation
from news.models.pages import Page
from news.models.people import Appointment, Official
from news.models.public_version import PublicVersion
from news.models.ratelimit import ApiRateWindow
from news.models.related import RelatedRelease
from news.models.release_choices import Kind, Language, State
from news.models.release_queries import ReleaseQuerySet
from news.models.releases import Release, TaggedRelease
from news.models.sources import SourceURL
from news.models.subscriptions import Delivery, DigestRun, Subscriber, Subscription
from news.models.telegram import TelegramPost
from news.models.topics import Topic, TopicTranslation
from news.models.workflow import (
    Action,
    AuditEntry,
    ChangeNote,
    PreviewLink,
    Revision,
    snapshot_of,
)

__all__ = [
    "Action",
    "ApiRateWindow",
    "AuditEntry",
    "ChangeNote",
    "PreviewLink",
    "Revision",
    "snapshot_of",
    "Appointment",
    "Attachment",
    "Contact",
    "Country",
    "Delegation",
    "Delivery",
    "DigestRun",
    "Image",
    "Licence",
    "Kind",
    "Language",
    "Official",
    "Organisation",
    "Page",
    "ProgrammeItem",
    "PublicVersion",
    "RelatedRelease",
    "Release",
    "ReleaseImage",
    "ReleaseQuerySet",
    "SourceURL",
    "State",
    "Subscriber",
    "Subscription",
    "TaggedRelease",
    "TelegramPost",
    "Topic",
    "TopicTranslation",
]
