"""The press service's pages of the demo: example texts an editor replaces in the admin."""

from __future__ import annotations

from news.models import Page
from news.models.public_version import site_changed

# slug: (ru title, ru body, be title, be body, en title, en body)
PAGES: dict[str, tuple[str, str, str, str, str, str]] = {
    "contacts": (
        "Контакты пресс-службы",
        "<p>Пресс-служба Министерства связи и информатизации Республики Беларусь.</p>"
        "<p>Телефон: +375 17 000-00-00. Электронная почта: press@example.gov.by.</p>"
        "<p>Запросы средств массовой информации принимаются в рабочие дни с 9:00 до 18:00.</p>",
        "Кантакты прэс-службы",
        "<p>Прэс-служба Міністэрства сувязі і інфарматызацыі Рэспублікі Беларусь.</p>"
        "<p>Тэлефон: +375 17 000-00-00. Электронная пошта: press@example.gov.by.</p>"
        "<p>Запыты сродкаў масавай інфармацыі прымаюцца ў рабочыя дні з 9:00 да 18:00.</p>",
        "Press service contacts",
        "<p>The press service of the Ministry of Communications and Informatization of the "
        "Republic of Belarus.</p>"
        "<p>Phone: +375 17 000-00-00. E-mail: press@example.gov.by.</p>"
        "<p>Media enquiries are answered on working days from 9:00 to 18:00.</p>",
    ),
    "accreditation": (
        "Аккредитация журналистов",
        "<p>Для аккредитации на мероприятия министерства направьте в пресс-службу заявку "
        "на бланке редакции не позднее чем за два рабочих дня до мероприятия.</p>"
        "<p>В заявке укажите фамилию, имя, должность журналиста и номер удостоверения.</p>",
        "Акрэдытацыя журналістаў",
        "<p>Для акрэдытацыі на мерапрыемствы міністэрства накіруйце ў прэс-службу заяўку "
        "на бланку рэдакцыі не пазней чым за два рабочыя дні да мерапрыемства.</p>"
        "<p>У заяўцы пазначце прозвішча, імя, пасаду журналіста і нумар пасведчання.</p>",
        "Accreditation of journalists",
        "<p>To be accredited to an event of the ministry, send the press service a request on "
        "your newsroom's letterhead at least two working days before the event.</p>"
        "<p>Give the journalist's name, position and press card number.</p>",
    ),
    "accessibility": (
        "Заявление о доступности",
        "<p>Сайт стремится соответствовать WCAG 2.1 уровня AA. Страницы работают без "
        "JavaScript, на телефонах и в версии для слабовидящих.</p>"
        "<p>Если что-то недоступно, напишите в пресс-службу: press@example.gov.by.</p>",
        "Заява аб даступнасці",
        "<p>Сайт імкнецца адпавядаць WCAG 2.1 узроўню AA. Старонкі працуюць без "
        "JavaScript, на тэлефонах і ў версіі для слабовідушчых.</p>"
        "<p>Калі нешта недаступна, напішыце ў прэс-службу: press@example.gov.by.</p>",
        "Accessibility statement",
        "<p>The site aims to meet WCAG 2.1 level AA. Its pages work without JavaScript, on "
        "phones and in the low-vision version.</p>"
        "<p>If something is not accessible, write to the press service: press@example.gov.by.</p>",
    ),
    "privacy": (
        "Политика конфиденциальности",
        "<p>Сайт не использует счётчики посещений и сторонние cookie. Cookie версии для "
        "слабовидящих хранит только выбранные настройки отображения.</p>"
        "<p>Адрес электронной почты подписчика используется только для рассылки и удаляется "
        "при отписке.</p>",
        "Палітыка канфідэнцыяльнасці",
        "<p>Сайт не выкарыстоўвае лічыльнікі наведванняў і іншыя cookie трэціх асоб. Cookie "
        "версіі для слабавідушчых захоўвае толькі выбраныя налады адлюстравання.</p>"
        "<p>Адрас электроннай пошты падпісчыка выкарыстоўваецца толькі для рассылкі і "
        "выдаляецца пры адпісцы.</p>",
        "Privacy notice",
        "<p>The site uses no visitor counters and no third-party cookies. The low-vision "
        "cookie keeps only the display settings chosen.</p>"
        "<p>A subscriber's e-mail address is used only for the mailing and is deleted on "
        "unsubscribing.</p>",
    ),
}


def load_pages() -> None:
    """Create the demo's pages that do not exist; an edited page is kept as it is."""
    for order, (slug, (title, body, title_be, body_be, title_en, body_en)) in enumerate(
        PAGES.items()
    ):
        _page, created = Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "body": body,
                "title_be": title_be,
                "body_be": body_be,
                "title_en": title_en,
                "body_en": body_en,
                "order": order,
            },
        )
        if created:
            site_changed()  # the footer of every page links it
