"""Write N realistic press releases as JSON Lines, the same for the same seed.

python bench/generate_jsonl.py 100000 > /tmp/releases.jsonl
python manage.py import_release /tmp/releases.jsonl
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from typing import Any

COUNTRIES = [
    ("Сербия", "Республики Сербия"),
    ("Китай", "Китайской Народной Республики"),
    ("Россия", "Российской Федерации"),
    ("Казахстан", "Республики Казахстан"),
    ("Узбекистан", "Республики Узбекистан"),
    ("Вьетнам", "Социалистической Республики Вьетнам"),
    ("ОАЭ", "Объединенных Арабских Эмиратов"),
    ("Армения", "Республики Армения"),
]
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


def generate_records(n: int, seed: int = 2024) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    officials = [
        {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}-{i}", "position": rng.choice(POSITIONS)}
        for i in range(300)
    ]
    organisations = [f"{rng.choice(ORG_PREFIX)} {rng.choice(ORG_FIELD)} № {i}" for i in range(100)]
    # Naive on purpose: the importer reads naive times as Minsk local time.
    start = datetime.datetime(2015, 1, 1, 9, 0)  # noqa: DTZ001
    for i in range(n):
        country, genitive = rng.choice(COUNTRIES)
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
        yield record
