"""Demo content: the release that started the project, with everything it mentions."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from news.demo.illustration import demo_lead_image
from news.demo.pages import load_pages
from news.importing.text import import_text_file, read_text_file
from news.models import (
    Appointment,
    Contact,
    Country,
    Delegation,
    Kind,
    Official,
    Organisation,
    ProgrammeItem,
    Release,
    Topic,
    TopicTranslation,
)

SEED_FILE = Path(__file__).resolve().parent / "serbia_visit_2024.txt"
SEED_PUBLISHED_AT = datetime.datetime(2024, 8, 28, 17, 0, tzinfo=ZoneInfo("Europe/Minsk"))
# The press contact the demo's release pages show (an example address: a demo, not a directory).
DEMO_CONTACT = {
    "name": "Пресс-служба Министерства связи и информатизации",
    "phone": "+375 17 000-00-00",
    "email": "press@example.gov.by",
}
SEED_TAGS = [
    "5G",
    "искусственный интеллект",
    "электронная коммерция",
    "электронное правительство",
    "умные города",
    "почтовая связь",
    "цифровизация",
    "образование",
    "международное сотрудничество",
]

ORGANISATIONS = [
    # (name, short name, slug, kind, country, website)
    (
        "Министерство связи и информатизации Республики Беларусь",
        "Минсвязи",
        "minsviazi",
        Organisation.Kind.MINISTRY,
        "BY",
        "https://www.mpt.gov.by",
    ),
    (
        "Министерство информации и телекоммуникаций Республики Сербия",
        "",
        "ministerstvo-informatsii-i-telekommunikatsii-serbii",
        Organisation.Kind.MINISTRY,
        "RS",
        "",
    ),
    (
        "Республиканское унитарное предприятие почтовой связи «Белпочта»",
        "Белпочта",
        "belpochta",
        Organisation.Kind.ENTERPRISE,
        "BY",
        "https://www.belpost.by",
    ),
    (
        "Производство «Минская почта»",
        "Минская почта",
        "minskaia-pochta",
        Organisation.Kind.ENTERPRISE,
        "BY",
        "",
    ),
    (
        "Парк высоких технологий",
        "ПВТ",
        "park-vysokikh-tekhnologii",
        Organisation.Kind.PARK,
        "BY",
        "https://www.park.by",
    ),
    (
        "Китайско-белорусский индустриальный парк «Великий камень»",
        "Великий камень",
        "velikii-kamen",
        Organisation.Kind.PARK,
        "BY",
        "https://industrialpark.by",
    ),
]


@transaction.atomic
def load_demo() -> Release:
    """Create (or bring up to date) the seed release and all it refers to. Safe to run again.

    The officials, organisations, countries and topics are linked by the import itself, from
    what the text mentions; only the visit, which the text cannot name, is linked here. The
    lead image is an illustration drawn at load time (news.demo.illustration); a lead image an
    editor has put in its place is kept.
    """
    delegation = load_catalogue()
    name_in_other_languages()
    release = _seed_release()
    release.place = "Минск"
    release.kind = Kind.VISIT
    if release.lead_image_id is None:
        release.lead_image = demo_lead_image()
    release.save()
    release.delegations.set([delegation])
    release.tags.add(*SEED_TAGS)
    release.sources.filter(is_primary=True, title="").update(
        title=release.title, publisher="Министерство связи и информатизации Республики Беларусь"
    )
    if not Contact.objects.exists():
        Contact.objects.create(**DEMO_CONTACT, is_default=True)
    load_programme(delegation)
    load_pages()
    return release


def load_catalogue() -> Delegation:
    """The entities the seed release mentions, and its topics; returns the Serbian visit."""
    for name in SEED_TAGS:
        Topic.objects.get_or_create(name=name)
    countries = {code: Country.objects.get_or_create(code=code)[0] for code in ("BY", "RS")}
    orgs = {}
    for name, short_name, slug, kind, country, website in ORGANISATIONS:
        orgs[slug], _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "kind": kind,
                "country": countries[country],
                "website": website,
            },
        )
    orgs["minskaia-pochta"].parent = orgs["belpochta"]
    orgs["minskaia-pochta"].save(update_fields=["parent"])

    _official(
        "Константин Шульган",
        "konstantin-shulgan",
        "Министр связи и информатизации Республики Беларусь",
        orgs["minsviazi"],
    )
    ristic = _official(
        "Деян Ристич",
        "deian-ristich",
        "Министр информации и телекоммуникаций Республики Сербия",
        orgs["ministerstvo-informatsii-i-telekommunikatsii-serbii"],
    )

    delegation, _ = Delegation.objects.update_or_create(
        slug="vizit-delegatsii-serbii-2024-08",
        defaults={
            "title": "Визит делегации Министерства информации и телекоммуникаций Республики Сербия",
            "country": countries["RS"],
            "organisation": orgs["ministerstvo-informatsii-i-telekommunikatsii-serbii"],
            "head": ristic,
            "host": orgs["minsviazi"],
            "start": datetime.date(2024, 8, 28),
            "end": datetime.date(2024, 8, 30),
            "purpose": (
                "Переговоры о сотрудничестве в области цифровизации, информационно-"
                "коммуникационных технологий и почтовой связи; знакомство с работой "
                "производства «Минская почта», Парка высоких технологий и Индустриального "
                "парка «Великий камень»."
            ),
        },
    )
    delegation.members.set([ristic])
    return delegation


def load_programme(delegation: Delegation) -> None:
    """The visit's programme, if it has none: the talks of its first day, as the release says,
    and the three places the release says the delegation will see. It does not say on which
    day: the demo spreads them over the visit's other days."""
    if delegation.programme.exists():
        return
    for day, slug, description in [
        (28, "minsviazi", "Переговоры министров о сотрудничестве в области цифрового развития."),
        (29, "minskaia-pochta", "Знакомство с работой производства."),
        (29, "park-vysokikh-tekhnologii", "Предметные переговоры."),
        (30, "velikii-kamen", "Предметные переговоры."),
    ]:
        organisation = Organisation.objects.get(slug=slug)
        ProgrammeItem.objects.create(
            delegation=delegation,
            date=datetime.date(2024, 8, day),
            place=organisation.short_name or organisation.name,
            organisation=organisation,
            description=description,
        )


def _official(full_name: str, slug: str, position: str, organisation: Organisation) -> Official:
    official, _ = Official.objects.update_or_create(slug=slug, defaults={"full_name": full_name})
    Appointment.objects.get_or_create(
        official=official, title=position, defaults={"organisation": organisation}
    )
    return official


def _seed_release() -> Release:
    """The seed release, imported from its file unless it already is (known by its source)."""
    [url] = read_text_file(SEED_FILE).source_urls
    existing = Release.objects.filter(sources__url=url, sources__is_primary=True).first()
    return existing or import_text_file(SEED_FILE, language="ru", publish_at=SEED_PUBLISHED_AT)


# The demo's names in Belarusian and English (news.names), as an editor would give them.
OTHER_NAMES = [
    (Official, "konstantin-shulgan", "full_name", "Канстанцін Шульган", "Konstantin Shulgan"),
    (Official, "deian-ristich", "full_name", "Дзеян Рыстыч", "Dejan Ristić"),
    (
        Organisation,
        "minsviazi",
        "name",
        "Міністэрства сувязі і інфарматызацыі Рэспублікі Беларусь",
        "Ministry of Communications and Informatization of the Republic of Belarus",
    ),
    (
        Organisation,
        "ministerstvo-informatsii-i-telekommunikatsii-serbii",
        "name",
        "Міністэрства інфармацыі і тэлекамунікацый Рэспублікі Сербія",
        "Ministry of Information and Telecommunications of the Republic of Serbia",
    ),
    (Organisation, "minsviazi", "short_name", "Мінсувязі", "Ministry of Communications"),
    (
        Organisation,
        "belpochta",
        "name",
        "Рэспубліканскае ўнітарнае прадпрыемства паштовай сувязі «Белпошта»",
        "Belpost, the Republican Unitary Enterprise of Postal Communication",
    ),
    (Organisation, "belpochta", "short_name", "Белпошта", "Belpost"),
    (Organisation, "minskaia-pochta", "name", "Вытворчасць «Мінская пошта»", "Minsk Post"),
    (Organisation, "minskaia-pochta", "short_name", "Мінская пошта", "Minsk Post"),
    (
        Organisation,
        "park-vysokikh-tekhnologii",
        "name",
        "Парк высокіх тэхналогій",
        "High Technologies Park",
    ),
    (Organisation, "park-vysokikh-tekhnologii", "short_name", "ПВТ", "HTP"),
    (
        Organisation,
        "velikii-kamen",
        "name",
        "Кітайска-беларускі індустрыяльны парк «Вялікі камень»",
        "China-Belarus Industrial Park Great Stone",
    ),
    (Organisation, "velikii-kamen", "short_name", "Вялікі камень", "Great Stone"),
    (
        Delegation,
        "vizit-delegatsii-serbii-2024-08",
        "title",
        "Візіт дэлегацыі Міністэрства інфармацыі і тэлекамунікацый Рэспублікі Сербія",
        "Visit of the Ministry of Information and Telecommunications of the Republic of Serbia",
    ),
    (
        Appointment,
        "konstantin-shulgan",
        "title",
        "Міністр сувязі і інфарматызацыі Рэспублікі Беларусь",
        "Minister of Communications and Informatization of the Republic of Belarus",
    ),
    (
        Appointment,
        "deian-ristich",
        "title",
        "Міністр інфармацыі і тэлекамунікацый Рэспублікі Сербія",
        "Minister of Information and Telecommunications of the Republic of Serbia",
    ),
]


# The seed's topics in Belarusian and English (TopicTranslation).
TOPIC_NAMES = {
    "5G": ("5G", "5G"),
    "искусственный интеллект": ("штучны інтэлект", "artificial intelligence"),
    "электронная коммерция": ("электронная камерцыя", "e-commerce"),
    "электронное правительство": ("электронны ўрад", "e-government"),
    "умные города": ("разумныя гарады", "smart cities"),
    "почтовая связь": ("паштовая сувязь", "postal services"),
    "цифровизация": ("лічбавізацыя", "digitalisation"),
    "образование": ("адукацыя", "education"),
    "международное сотрудничество": ("міжнароднае супрацоўніцтва", "international cooperation"),
}


def name_in_other_languages() -> None:
    """Give the demo's entities their Belarusian and English names; an editor's are kept."""
    for topic in Topic.objects.filter(name__in=TOPIC_NAMES):
        belarusian, english = TOPIC_NAMES[topic.name]
        names, _ = TopicTranslation.objects.get_or_create(topic=topic)
        names.name_be, names.name_en = names.name_be or belarusian, names.name_en or english
        names.save()
    for model, slug, field, belarusian, english in OTHER_NAMES:
        rows = model.objects.filter(
            **({"official__slug": slug} if model is Appointment else {"slug": slug})
        )
        rows.filter(**{f"{field}_be": ""}).update(**{f"{field}_be": belarusian})
        rows.filter(**{f"{field}_en": ""}).update(**{f"{field}_en": english})
