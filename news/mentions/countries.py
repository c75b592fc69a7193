"""How Russian texts name the countries the ministry deals with, beyond pycountry's names.

A language resource, kept explicit and small: other names in common use, the stems of the
adjectives ("сербск-" in "сербской делегацией", "белорусско-" in "белорусско-сербский") and the
nouns for the people. Countries not listed here are still found by their pycountry name.
"""

from __future__ import annotations

from functools import lru_cache

# Other names in common use, besides pycountry's (which names RU "Российская Федерация").
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "BY": ("Белоруссия", "Республика Беларусь"),
    "RU": ("Россия", "РФ"),
    "CN": ("КНР", "Китайская Народная Республика"),
    "KG": ("Кыргызстан", "Кыргызская Республика"),
    "MD": ("Молдова",),
    "US": ("США", "Соединённые Штаты Америки"),
    "GB": ("Великобритания",),
    "KR": ("Республика Корея",),
    "KP": ("КНДР",),
    "AE": ("ОАЭ", "Эмираты"),
    "ZA": ("ЮАР", "Южно-Африканская Республика"),
    "CZ": ("Чешская Республика",),
    "VN": ("Социалистическая Республика Вьетнам",),
    "LA": ("Лаосская Народно-Демократическая Республика",),
}

# Adjective stems: a word is an adjective of the country when it is the stem plus an adjective
# ending, or the stem plus "о" as the first part of a compound (китайско-белорусский).
ADJECTIVE_STEMS: dict[str, tuple[str, ...]] = {
    # Neighbours and the CIS
    "BY": ("белорусск",),
    "RU": ("российск",),
    "UA": ("украинск",),
    "PL": ("польск",),
    "LT": ("литовск",),
    "LV": ("латвийск", "латышск"),
    "EE": ("эстонск",),
    "KZ": ("казахстанск",),
    "UZ": ("узбекистанск", "узбекск"),
    "KG": ("кыргызск", "киргизск", "кыргызстанск"),
    "TJ": ("таджикистанск", "таджикск"),
    "TM": ("туркменистанск", "туркменск"),
    "AZ": ("азербайджанск",),
    "AM": ("армянск",),
    "GE": ("грузинск",),
    "MD": ("молдавск", "молдовск"),
    # The EU and Europe
    "RS": ("сербск",),
    "DE": ("германск", "немецк"),
    "FR": ("французск",),
    "IT": ("итальянск",),
    "ES": ("испанск",),
    "AT": ("австрийск",),
    "HU": ("венгерск",),
    "CZ": ("чешск",),
    "SK": ("словацк",),
    "BG": ("болгарск",),
    "RO": ("румынск",),
    "GR": ("греческ",),
    "FI": ("финск", "финляндск"),
    "SE": ("шведск",),
    "GB": ("британск",),
    # Asia
    "CN": ("китайск",),
    "IN": ("индийск",),
    "VN": ("вьетнамск",),
    "LA": ("лаосск",),
    "JP": ("японск",),
    "KR": ("южнокорейск",),
    "MN": ("монгольск",),
    "ID": ("индонезийск",),
    "MY": ("малайзийск",),
    "PK": ("пакистанск",),
    # The Middle East
    "TR": ("турецк",),
    "IR": ("иранск",),
    "AE": ("эмиратск",),
    "SA": ("саудовск", "саудоаравийск"),
    "QA": ("катарск",),
    "OM": ("оманск",),
    "SY": ("сирийск",),
    "IQ": ("иракск",),
    "IL": ("израильск",),
    # Africa
    "EG": ("египетск",),
    "DZ": ("алжирск",),
    "ZA": ("южноафриканск",),
    "NG": ("нигерийск",),
    "KE": ("кенийск",),
    "ET": ("эфиопск",),
    "ZW": ("зимбабвийск",),
    # Latin America
    "CU": ("кубинск",),
    "BR": ("бразильск",),
    "AR": ("аргентинск",),
    "MX": ("мексиканск",),
    "VE": ("венесуэльск",),
    "NI": ("никарагуанск",),
    "CL": ("чилийск",),
    "US": ("американск",),
}

ADJECTIVE_ENDINGS = frozenset(
    {"ий", "ой", "ая", "ое", "ие", "ого", "ому", "им", "ом", "ую", "ых", "их", "ыми", "ими",
     "ей", "ее", "ые", "ый", "ым", "о"}
)  # fmt: skip

# Nouns for the people, as lemmas: "белорусы" -> "белорус".
DEMONYMS: dict[str, tuple[str, ...]] = {
    "BY": ("белорус", "белоруска"),
    "RU": ("россиянин",),
    "RS": ("серб",),
    "CN": ("китаец",),
    "KZ": ("казахстанец",),
    "UZ": ("узбекистанец",),
    "VN": ("вьетнамец",),
}

# Words that, put before a country name, belong to it: "Республики Сербия".
STATE_WORDS = frozenset(
    {"республика", "королевство", "федерация", "государство", "султанат", "эмират", "княжество"}
)


@lru_cache(maxsize=50_000)
def adjective_countries(word: str) -> frozenset[str]:
    """The ISO codes of the countries a lowercase word is an adjective of (two in compounds)."""
    return frozenset(
        code
        for part in word.split("-")
        for code, stems in ADJECTIVE_STEMS.items()
        for stem in stems
        if part.startswith(stem) and part[len(stem) :] in ADJECTIVE_ENDINGS
    )
