"""What releases in a JSON Lines file link to, found in the database or created.

Officials, organisations and topics are found by name (case and spacing aside), countries by
code, visits by slug, contacts by name, phone and e-mail, lead images by their sha256; what is
not there yet is created when a batch first names it. Each table is read once, up front or when
a line first names one of its rows, and then kept in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db.models import Model, QuerySet
from taggit.models import Tag

from news.importing.records import BadLine, Record, name_key
from news.models import Appointment, Contact, Country, Delegation, Image, Official, Organisation
from news.models.topics import topic_slug
from news.slugs import SLUG_MAX_LENGTH, latin_slug


def rows(model: type[Model], *fields: str) -> QuerySet:
    return model._default_manager.order_by().values_list(*fields)  # unordered is cheaper


def column(model: type[Model], field: str) -> QuerySet:
    return model._default_manager.order_by().values_list(field, flat=True)


class SlugPool:
    """Free slugs, as news.slugs.unique_slug makes them, checked against a set in memory."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.next_suffix: dict[str, int] = {}

    def claim(self, text: str, fallback: str) -> str:
        base = latin_slug(text, SLUG_MAX_LENGTH - 8) or fallback
        slug = base
        if slug in self.taken:
            suffix = self.next_suffix.get(base, 2)
            while f"{base}-{suffix}" in self.taken:
                suffix += 1
            self.next_suffix[base] = suffix + 1
            slug = f"{base}-{suffix}"
        self.taken.add(slug)
        return slug

    def take(self, slug: str) -> str:
        """slug itself when it is free; else a free one made from it."""
        if slug in self.taken:
            return self.claim(slug, fallback="release")
        self.taken.add(slug)
        return slug


class Catalogue:
    """The rows lines name, by what identifies them; created counts the new ones by kind."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.official_slugs = SlugPool(column(Official, "slug"))
        self.organisation_slugs = SlugPool(column(Organisation, "slug"))
        self.tag_slugs = set(column(Tag, "slug"))
        self.officials: dict[str, int] = {}
        for pk, name in rows(Official, "pk", "full_name").order_by("-pk"):
            self.officials[name_key(name)] = pk  # of namesakes, the oldest is the one
        self.organisations = {name_key(name): pk for pk, name in rows(Organisation, "pk", "name")}
        self.tags: dict[str, int] = {}
        self.tag_names: dict[str, str] = {}  # as stored: what a revision keeps
        for pk, name in rows(Tag, "pk", "name"):
            self.tags[name_key(name)], self.tag_names[name_key(name)] = pk, name
        self.positions = {
            (official, name_key(title))
            for official, title in rows(Appointment, "official_id", "title")
        }
        # Read when a line first names them: most files have none.
        self.countries: dict[str, int] = {}
        self.delegations: dict[str, int] = {}
        self.contacts: dict[tuple[str, str, str], int] = {}
        self.images: dict[str, Image] = {}

    def add(self, batch: list[Record]) -> None:
        """Find or create everything the batch's lines name, and the officials' new positions."""
        self._create_officials(name for record in batch for name, _ in record.officials)
        self._create_organisations(name for record in batch for name in record.organisations)
        self._create_tags(name for record in batch for name in record.tags)
        self._find_countries(
            [code for r in batch for code in r.countries]
            + [d.country_code for r in batch for d in r.delegations]
        )
        self._find_delegations([d for record in batch for d in record.delegations])
        self._find_contacts([record.contact for record in batch if record.contact])
        self._find_images([record for record in batch if record.lead_image])
        self._create_appointments(batch)

    def official(self, name: str) -> int:
        return self.officials[name_key(name)]

    def organisation(self, name: str) -> int:
        return self.organisations[name_key(name)]

    def tag(self, name: str) -> int:
        return self.tags[name_key(name)]

    def tag_name(self, name: str) -> str:
        """The topic's name as stored, which may differ from the line's in case and spacing."""
        return self.tag_names[name_key(name)]

    def _create_appointments(self, batch: list[Record]) -> None:
        new = []
        for record in batch:
            for name, title in record.officials:
                official = self.official(name)
                if title and (official, name_key(title)) not in self.positions:
                    self.positions.add((official, name_key(title)))
                    new.append(Appointment(official_id=official, title=title))
        self.created["appointments"] += len(Appointment.objects.bulk_create(new))

    def _find_countries(self, codes: list[str]) -> None:
        wanted = set(codes) - set(self.countries)
        if not wanted:
            return
        self.countries.update(rows(Country, "code", "pk").filter(code__in=wanted))
        created = Country.objects.bulk_create(
            Country(code=code) for code in sorted(wanted - set(self.countries))
        )
        self.countries.update((country.code, country.pk) for country in created)

    def _find_delegations(self, items: list[Delegation]) -> None:
        wanted = {item.slug: item for item in items if item.slug not in self.delegations}
        if not wanted:
            return
        self.delegations.update(rows(Delegation, "slug", "pk").filter(slug__in=wanted))
        new = [item for slug, item in wanted.items() if slug not in self.delegations]
        for item in new:
            item.country_id = self.countries[item.country_code]
        self.delegations.update((d.slug, d.pk) for d in Delegation.objects.bulk_create(new))

    def _find_contacts(self, contacts: list[tuple[str, str, str]]) -> None:
        for contact in contacts:
            if contact not in self.contacts:
                name, phone, email = contact
                found, _ = Contact.objects.get_or_create(name=name, phone=phone, email=email)
                self.contacts[contact] = found.pk

    def _find_images(self, records: list[Record]) -> None:
        wanted = {r.lead_image.sha256: r for r in records if r.lead_image.sha256 not in self.images}
        if not wanted:
            return
        self.images.update((i.sha256, i) for i in Image.objects.filter(sha256__in=wanted))
        for sha256, record in wanted.items():
            if sha256 in self.images:
                continue
            image = record.lead_image
            if not default_storage.exists(image.file):
                raise BadLine(
                    f"lead_image: no image {sha256[:12]}… in the library and no file "
                    f"{image.file!r} under MEDIA_ROOT: copy the media folder first",
                    record.line,
                )
            image.save()
            self.images[sha256] = image

    def _create_officials(self, names: Iterable[str]) -> None:
        new = self._new(names, self.officials)
        created = Official.objects.bulk_create(
            Official(full_name=name, slug=self.official_slugs.claim(name, fallback="official"))
            for name in new
        )
        self.officials.update((name_key(official.full_name), official.pk) for official in created)
        self.created["officials"] += len(created)

    def _create_organisations(self, names: Iterable[str]) -> None:
        new = self._new(names, self.organisations)
        created = Organisation.objects.bulk_create(
            Organisation(name=name, slug=self.organisation_slugs.claim(name, "organisation"))
            for name in new
        )
        self.organisations.update((name_key(item.name), item.pk) for item in created)
        self.created["organisations"] += len(created)

    def _create_tags(self, names: Iterable[str]) -> None:
        created = Tag.objects.bulk_create(
            Tag(name=name, slug=self._tag_slug(name)) for name in self._new(names, self.tags)
        )
        self.tags.update((name_key(tag.name), tag.pk) for tag in created)
        self.tag_names.update((name_key(tag.name), tag.name) for tag in created)
        self.created["tags"] += len(created)

    def _tag_slug(self, name: str) -> str:
        """A free slug the way Topic makes one: topic_slug(), then _1, _2... on a clash."""
        slug, n = topic_slug(name), 0
        while slug in self.tag_slugs:
            n += 1
            slug = f"{topic_slug(name)}_{n}"
        self.tag_slugs.add(slug)
        return slug

    @staticmethod
    def _new(names: Iterable[str], known: dict[str, int]) -> list[str]:
        new: dict[str, str] = {}
        for name in names:
            if name_key(name) not in known:
                new.setdefault(name_key(name), name)
        return list(new.values())
