"""People the catalogue does not know, named beside a position: officials to suggest creating."""

from __future__ import annotations

from news.mentions.language import (
    Token,
    gender_of_first_name,
    is_feminine_first_name,
    looks_like_first_name,
    looks_like_patronymic,
    looks_like_surname,
    parses,
    to_nominative,
)
from news.mentions.report import OfficialSuggestion, Span

# Words that open a position, as lemmas: "заместитель Министра ...", "Посол ...".
POSITION_HEADS = frozenset(
    {"министр", "замминистра", "заместитель", "председатель", "зампред", "директор",
     "гендиректор", "руководитель", "глава", "начальник", "посол", "президент", "ректор",
     "проректор", "советник", "секретарь", "губернатор", "мэр", "консул", "атташе",
     "премьер-министр", "вице-премьер", "вице-президент", "сопредседатель", "управляющий"}
)  # fmt: skip
POSITION_MODIFIERS = frozenset({"первый", "генеральный", "исполнительный", "главный"})
POSITION_REACH = 16  # words between a position's head and the name after it
# A position may hold commas and dashes: "министра цифрового развития, связи и ...".
POSITION_PUNCTUATION = frozenset({"", ",", "-", "–"})


def new_officials(
    text: str, tokens: list[Token], officials: set[int], named: set[int]
) -> list[OfficialSuggestion]:
    """People named beside a position who are not in the catalogue.

    Either the position comes first ("заместитель Министра ... Иван Петров") or the name does,
    with the position after a comma ("Иван Петров, заместитель Министра ...").
    """
    found: list[OfficialSuggestion] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].lemmas & POSITION_HEADS or _headed_by(tokens, i):
            i += 1
            continue
        start = i
        while start > 0 and tokens[start].joined and tokens[start - 1].lemmas & POSITION_MODIFIERS:
            start -= 1
        person = _person_after(tokens, i, officials, named)
        if person is not None:
            first, last = person
            position = _position_nominative(text, tokens, start, i, first - 1)
            found.append(_suggestion(text, tokens, (first, last), position, (start, last)))
            i = last + 1
            continue
        person = _person_before(tokens, start, officials, named)
        if person is not None:
            end = i
            while (
                end + 1 < len(tokens)
                and end + 1 - i < POSITION_REACH
                and tokens[end + 1].joined
                and end + 1 not in officials
            ):
                end += 1
            position = _position_nominative(text, tokens, start, i, end)
            found.append(_suggestion(text, tokens, person, position, (person[0], end)))
            i = end + 1
            continue
        i += 1
    return found


def _headed_by(tokens: list[Token], index: int) -> bool:
    """Whether the word is "главе" in "во главе с ...", which names no position."""
    return index > 0 and tokens[index].lower == "главе" and tokens[index - 1].lower == "во"


def _suggestion(
    text: str,
    tokens: list[Token],
    person: tuple[int, int],
    position: str,
    whole: tuple[int, int],
) -> OfficialSuggestion:
    first, last = person
    words = [t.text for t in tokens[first : last + 1]]
    gender = gender_of_first_name(words[0]) or (
        "femn" if is_feminine_first_name(to_nominative(words[0])) else "masc"
    )
    names = [to_nominative(words[0])] + [to_nominative(w, gender=gender) for w in words[1:]]
    return OfficialSuggestion(
        full_name=" ".join(names),
        position=position,
        span=_span(text, tokens, *whole, "position"),
        name_span=_span(text, tokens, first, last, "name"),
    )


def _span(text: str, tokens: list[Token], first: int, last: int, via: str) -> Span:
    start, end = tokens[first].start, tokens[last].end
    return Span(start, end, text[start:end], via)


def _person_before(
    tokens: list[Token], start: int, officials: set[int], named: set[int]
) -> tuple[int, int] | None:
    """A name right before ", <position>": Иван Петров, заместитель ..."""
    last = start - 1
    if last < 1 or tokens[start].between != "," or {last, last - 1} & (officials | named):
        return None
    first = last - 1
    if first > 0 and tokens[first].joined and looks_like_patronymic(tokens[first].text):
        first -= 1
    if (
        tokens[last].joined
        and looks_like_surname(tokens[last].text)
        and looks_like_first_name(tokens[first].text)
        and first not in officials | named
    ):
        return first, last
    return None


def _person_after(
    tokens: list[Token], head: int, officials: set[int], named: set[int]
) -> tuple[int, int] | None:
    for k in range(head + 1, min(head + POSITION_REACH, len(tokens) - 1)):
        if tokens[k].between not in POSITION_PUNCTUATION or k in officials:
            return None
        if k in named or not looks_like_first_name(tokens[k].text):
            continue
        last = k + 1
        if tokens[last].joined and looks_like_patronymic(tokens[last].text):
            last += 1
        if (
            last < len(tokens)
            and tokens[last].joined
            and last not in named
            and last not in officials
            and looks_like_surname(tokens[last].text)
        ):
            return k, last
    return None


def _position_nominative(text: str, tokens: list[Token], start: int, head: int, last: int) -> str:
    """The position as written, its head (and the words before it) in the nominative."""
    words = []
    for index in range(start, head + 1):
        word = tokens[index].text
        inflected = _nominative_word(word)
        words.append(inflected)
    rest = text[tokens[head].end : tokens[last].end] if last > head else ""
    position = " ".join(words) + rest
    return position[:1].upper() + position[1:]


def _nominative_word(word: str) -> str:
    for parse in parses(word.lower()):
        if parse.tag.POS in {"NOUN", "ADJF"} and parse.tag.case:
            form = parse.inflect({"nomn", "sing"})
            if form is not None:
                result = form.word
                return result[:1].upper() + result[1:] if word[:1].isupper() else result
    return word
