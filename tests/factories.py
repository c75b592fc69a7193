from __future__ import annotations

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from news.models import (
    Appointment,
    Contact,
    Country,
    Delegation,
    Official,
    Organisation,
    PreviewLink,
    Release,
    Revision,
    SourceURL,
    State,
    snapshot_of,
)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["BY", "RS", "RU", "CN", "KZ", "UZ"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Министерство № {n}")
    slug = factory.Sequence(lambda n: f"ministerstvo-{n}")
    kind = Organisation.Kind.MINISTRY


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    full_name = factory.Sequence(lambda n: f"Иван Иванов {n}")
    slug = factory.Sequence(lambda n: f"ivan-ivanov-{n}")


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    official = factory.SubFactory(OfficialFactory)
    title = "Министр"
    start = datetime.date(2020, 1, 1)
    end = None


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    title = factory.Sequence(lambda n: f"Делегация {n}")
    slug = factory.Sequence(lambda n: f"delegatsiia-{n}")
    country = factory.SubFactory(CountryFactory, code="RS")
    start = datetime.date(2024, 8, 28)
    end = datetime.date(2024, 8, 30)


class ReleaseFactory(factory.django.DjangoModelFactory):
    """A draft; use PublishedReleaseFactory for one readers can see."""

    class Meta:
        model = Release
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Переговоры о сотрудничестве № {n}")
    summary = "Состоялись переговоры."
    body = "<p>Стороны обсудили сотрудничество.</p>"
    state = State.DRAFT

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class PublishedReleaseFactory(ReleaseFactory):
    state = State.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class SourceURLFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceURL

    release = factory.SubFactory(ReleaseFactory)
    url = factory.Sequence(lambda n: f"https://www.mpt.gov.by/news/{n}")
    title = "Министерство связи и информатизации"
    is_primary = True


class UserFactory(factory.django.DjangoModelFactory):
    """A staff member; pass roles=["Author"] (group names) to give them a role."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("not-a-real-password-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revision

    release = factory.SubFactory(ReleaseFactory)
    data = factory.LazyAttribute(lambda revision: snapshot_of(revision.release))


class PreviewLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreviewLink

    release = factory.SubFactory(ReleaseFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Пресс-секретарь № {n}")
    phone = "+375 17 287-87-87"
    email = factory.Sequence(lambda n: f"press{n}@mpt.gov.by")


_photo_numbers = itertools.count(1)


def photo_bytes(size: tuple[int, int] = (800, 600), color: str = "steelblue") -> bytes:
    """A plain JPEG made by Pillow; pass another colour for a photo with another hash."""
    import io

    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image with its master and renditions really stored (pass content= bytes)."""

    class Meta:
        model = "news.Image"

    alt = factory.Sequence(lambda n: f"Министр на встрече {n}")
    caption = "Переговоры в Минске"
    credit = "Пресс-служба Минсвязи"

    @classmethod
    def _create(cls, model_class, *args, content: bytes | None = None, **kwargs):
        from news.images import generate_renditions, normalise, store_master

        if content is None:
            n = next(_photo_numbers)
            content = photo_bytes(color=f"#{n * 37 % 256:02x}{n * 11 % 256:02x}{n * 101 % 256:02x}")
        normalised = normalise(content)
        generate_renditions(store_master(normalised))
        kwargs.update(
            file=normalised.name,
            sha256=normalised.sha256,
            width=normalised.width,
            height=normalised.height,
        )
        return super()._create(model_class, *args, **kwargs)
