"""N realistic press releases, the same for the same seed: records, then their visits and images.

generate_records() makes what the JSON Lines importer reads (news.importing.jsonl); the
records alone say nothing of delegations or pictures, which need the stored releases, so
store_visits_and_images() adds them after the import. Both are what
``manage.py generate_releases N`` runs; ``--jsonl`` writes the records only.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from django.db import transaction

from news.demo.flags import flag_images
from news.models import Country, Delegation, Official, Organisation, Release
from news.models.public_version import site_changed
from news.slugs import unique_slug

# (ISO code, name, name in the genitive)
COUNTRIES = [
    ("RS", "Сербия", "Республики Сербия"),
    ("CN", "Китай", "Китайской Народной Республики"),
    ("RU", "Россия", "Российской Федерации"),
    ("KZ", "Казахстан", "Республики Казахстан"),
    ("UZ", "Узбекистан", "Республики Узбекистан"),
    ("VN", "Вьетнам", "Социалистической Республики Вьетнам"),
    ("AE", "ОАЭ", "Объединенных Арабских Эмиратов"),
    ("AM", "Армения", "Республики Армения"),
]
GENITIVE = {code: genitive for code, _, genitive in COUNTRIES}
EVENTS = ["Визит", "Переговоры", "Встреча", "Рабочая поездка", "Заседание комиссии", "Форум"]
TOPICS = [
    "5G", "искусственный интеллект", "электронная коммерция", "электронное правительство",
    "умные города", "почтовая связь", "цифровизация", "образование", "кибербезопасность",
    "широкополосный доступ", "спутниковая связь", "телерадиовещание", "ИТ-парк",
    "центры обработки данных",
    "цифровая экономика", "электронная подпись", "облачные технологии", "мобильная связь",
    "оптоволоконные сети", "IoT", "открытые данные", "цифровые навыки", "финтех", "госуслуги",
    "импортозамещение", "экспорт ИТ-услуг", "стартапы", "наука", "стандартизация", "радиочастоты",
    "почтовые марки", "логистика", "электронная почта", "телемедицина", "блокчейн",
    "большие данные",
    "робототехника", "информационная безопасность", "медиа", "космос", "связь в сельской местности",
    "цифровая трансформация", "платежные системы", "идентификация", "архивы", "статистика",
    "обучение кадров", "международное сотрудничество", "инвестиции", "инновации",
]  # fmt: skip
FIRST = ["Александр", "Константин", "Игорь", "Андрей", "Сергей", "Ольга", "Наталья", "Дмитрий"]
LAST = ["Иванов", "Петров", "Сидоренко", "Ковалев", "Шевчук", "Новиков", "Мельник", "Лукашевич"]
POSITIONS = ["Министр", "Заместитель Министра", "Посол", "Председатель", "Генеральный директор"]
ORG_PREFIX = ["Министерство", "Агентство", "Национальный центр", "Государственный комитет", "РУП"]
ORG_FIELD = ["связи", "цифрового развития", "информатизации", "телекоммуникаций", "почтовой связи"]

VISIT_EVENTS = {"Визит", "Переговоры", "Встреча"}  # what a visit's releases report
VISIT_CHANCE = 0.1  # that a "Визит" release opens a visit, when its country has none going on
VISIT_MEMBERS = 4
IMAGE_SHARE = 0.6  # of releases with a lead image
IMAGE_VARIANTS = 2  # pictures per country
BATCH_SIZE = 1000


@dataclass(frozen=True)
class SyntheticRelease:
    """One generated release: its JSON Lines record, and what the record says only in words."""

    record: dict[str, Any]
    country: str  # ISO 3166-1 code
    event: str


@dataclass
class Visit:
    """A delegation's stay: the releases about it, the first of which opened it."""

    country: str
    start: datetime.date
    end: datetime.date
    organisations: list[str]  # named by the first release: the sending one, then the host
    topics: list[str]
    releases: list[int] = field(default_factory=list)  # positions among the generated releases
    officials: list[str] = field(default_factory=list)  # in order of mention; the first heads

    @property
    def title(self) -> str:
        return f"Визит делегации {GENITIVE[self.country]}"

    def add(self, position: int, release: SyntheticRelease) -> None:
        self.releases.append(position)
        for official in release.record["officials"]:
            if len(self.officials) < VISIT_MEMBERS and official["name"] not in self.officials:
                self.officials.append(official["name"])


@dataclass
class VisitsAndImages:
    """What store_visits_and_images() added."""

    delegations: int = 0
    with_delegation: int = 0
    with_image: int = 0
    images: int = 0


def generate_records(n: int, seed: int = 2024) -> Iterator[dict[str, Any]]:
    """The JSON Lines records of generate_releases(), one per release."""
    for release in generate_releases(n, seed):
        yield release.record


def generate_releases(n: int, seed: int = 2024) -> Iterator[SyntheticRelease]:
    rng = random.Random(seed)
    officials = [
        {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}-{i}", "position": rng.choice(POSITIONS)}
        for i in range(300)
    ]
    organisations = [f"{rng.choice(ORG_PREFIX)} {rng.choice(ORG_FIELD)} № {i}" for i in range(100)]
    # Naive on purpose: the importer reads naive times as Minsk local time.
    start = datetime.datetime(2015, 1, 1, 9, 0)  # noqa: DTZ001
    for i in range(n):
        code, country, genitive = rng.choice(COUNTRIES)
        event = rng.choice(EVENTS)
        published = start + datetime.timedelta(minutes=i * 50 + rng.randrange(40))
        day = published.date()
        tags = rng.sample(TOPICS, rng.randint(1, 5))
        record = {
            "title": f"{event} делегации {genitive} № {i}",
            "summary": f"{day:%d.%m.%Y} состоялась встреча с делегацией {genitive}.",
            "body": "".join(
                f"<p>Стороны обсудили {tag} и сотрудничество ({country}).</p>" for tag in tags
            ),
            "published_at": published.isoformat(),
            "language": "ru",
            "kind": rng.choice(["news", "press_release", "visit", "statement"]),
            "tags": tags,
            "sources": [
                {"url": f"https://www.mpt.gov.by/news/{i}", "title": "Минсвязи"},
            ],
            "officials": rng.sample(officials, rng.randint(1, 3)),
            "organisations": rng.sample(organisations, rng.randint(1, 2)),
            "event_start": day.isoformat(),
            "event_end": (day + datetime.timedelta(days=rng.randint(0, 2))).isoformat(),
        }
        yield SyntheticRelease(record, code, event)


def plan_visits(releases: Iterable[SyntheticRelease], seed: int = 2024) -> list[Visit]:
    """Group releases into visits of 2 to 4 days, the same ones for the same seed.

    A "Визит" may open a visit for its country when none is going on; the visits, talks and
    meetings with that country in the days of the visit join it.
    """
    rng = random.Random(f"visits-{seed}")  # its own, so the records stay as they were
    visits: list[Visit] = []
    going_on: dict[str, Visit] = {}
    for position, release in enumerate(releases):
        day = datetime.date.fromisoformat(release.record["event_start"])
        visit = going_on.get(release.country)
        if visit is not None and day <= visit.end and release.event in VISIT_EVENTS:
            visit.add(position, release)
        elif release.event == "Визит" and rng.random() < VISIT_CHANCE:
            visit = Visit(
                country=release.country,
                start=day,
                end=day + datetime.timedelta(days=rng.randint(1, 3)),
                organisations=release.record["organisations"],
                topics=release.record["tags"],
            )
            visit.add(position, release)
            going_on[release.country] = visit
            visits.append(visit)
    return visits


def plan_lead_images(n: int, seed: int = 2024) -> list[int | None]:
    """For each release, which of its country's pictures leads it (None for no picture)."""
    rng = random.Random(f"images-{seed}")
    return [rng.randrange(IMAGE_VARIANTS) if rng.random() < IMAGE_SHARE else None for _ in range(n)]


@transaction.atomic
def store_visits_and_images(
    n: int, *, seed: int = 2024, release_ids: Mapping[str, int]
) -> VisitsAndImages:
    """Give the stored generate_releases(n, seed) their countries, visits and lead images.

    release_ids maps each generated title to its release's pk. Everything is written in bulk;
    the pictures are drawn and rendered once (news.demo.flags) and shared by the releases.
    """
    countries: list[str] = []
    pks: list[int] = []
    for release in generate_releases(n, seed):
        countries.append(release.country)
        pks.append(release_ids[release.record["title"]])
    visits = plan_visits(generate_releases(n, seed), seed)

    country_ids = {
        code: Country.objects.get_or_create(code=code)[0].pk for code in sorted(set(countries))
    }
    CountryLink = Release.countries.through
    for chunk in batched(zip(pks, countries, strict=True), BATCH_SIZE):
        CountryLink.objects.bulk_create(
            CountryLink(release_id=pk, country_id=country_ids[code]) for pk, code in chunk
        )

    summary = _store_visits(visits, pks, country_ids)

    pictures = flag_images(sorted(country_ids), variants=IMAGE_VARIANTS)
    illustrated: dict[int, list[int]] = {}
    for pk, code, variant in zip(pks, countries, plan_lead_images(n, seed), strict=True):
        if variant is not None:
            illustrated.setdefault(pictures[code][variant].pk, []).append(pk)
    for image, releases in illustrated.items():
        for chunk in batched(releases, BATCH_SIZE):
            Release.objects.filter(pk__in=chunk).update(lead_image=image)
    summary.images = sum(len(images) for images in pictures.values())
    summary.with_image = sum(len(releases) for releases in illustrated.values())
    site_changed()
    return summary


def _store_visits(
    visits: list[Visit], pks: list[int], country_ids: dict[str, int]
) -> VisitsAndImages:
    names = {name for visit in visits for name in visit.officials}
    officials = dict(
        # Of namesakes, the oldest, as the importer links them.
        Official.objects.filter(full_name__in=names).order_by("-pk").values_list("full_name", "pk")
    )
    names = {name for visit in visits for name in visit.organisations}
    organisations = dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))
    taken = set(Delegation.objects.values_list("slug", flat=True))
    delegations = []
    for visit in visits:
        slug = unique_slug(f"{visit.title} {visit.start}", taken.__contains__, "delegation")
        taken.add(slug)
        sending, *others = visit.organisations
        delegations.append(
            Delegation(
                title=visit.title,
                slug=slug,
                country_id=country_ids[visit.country],
                organisation_id=organisations[sending],
                host_id=organisations[others[0]] if others else None,
                head_id=officials[visit.officials[0]],
                start=visit.start,
                end=visit.end,
                purpose="Переговоры о сотрудничестве: " + ", ".join(visit.topics) + ".",
            )
        )
    Delegation.objects.bulk_create(delegations, batch_size=BATCH_SIZE)

    Member, ReleaseLink = Delegation.members.through, Release.delegations.through
    members = [
        Member(delegation_id=delegation.pk, official_id=officials[name])
        for visit, delegation in zip(visits, delegations, strict=True)
        for name in visit.officials
    ]
    Member.objects.bulk_create(members, batch_size=BATCH_SIZE)
    links = [
        ReleaseLink(release_id=pks[position], delegation_id=delegation.pk)
        for visit, delegation in zip(visits, delegations, strict=True)
        for position in visit.releases
    ]
    ReleaseLink.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return VisitsAndImages(delegations=len(delegations), with_delegation=len(links))
