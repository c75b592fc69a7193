"""Find the known officials, organisations, countries and topics a text mentions."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from news.mentions import countries as country_words
from news.mentions.catalogue import Catalogue, Phrase, country_names_by_first_lemma
from news.mentions.language import (
    Token,
    gender_of_first_name,
    is_feminine_first_name,
    looks_like_first_name,
    looks_like_patronymic,
    looks_like_surname,
    parses,
    to_nominative,
    tokenise,
)
from news.mentions.report import (
    Confidence,
    EntityType,
    Mention,
    MentionReport,
    OfficialSuggestion,
    Span,
)

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
INITIAL_GAP_RE = re.compile(r"\.\s*")
# Recognition reads at most this much of a text: a release is a few thousand characters, and
# whatever comes after this many is not worth seconds of an editor's wait on every page.
TEXT_MAX_CHARS = 100_000


@dataclass(frozen=True)
class Match:
    type: EntityType
    keys: frozenset
    first: int  # token indices, inclusive
    last: int
    via: str
    confident: bool = True
    note: str = ""


def find_mentions(
    text: str, language: str = "ru", *, catalogue: Catalogue | None = None
) -> MentionReport:
    """Recognise the catalogue's entities in text; build the catalogue from the DB if not given.

    Reads the first TEXT_MAX_CHARS characters of text (report.truncated says when there were
    more). Costs four queries when no catalogue is passed.
    """
    language = (language or "ru").split("-")[0].lower()
    if catalogue is None or catalogue.language != language:
        catalogue = Catalogue.load(language)
    truncated = len(text) > TEXT_MAX_CHARS
    if truncated:
        text = _cut(text, TEXT_MAX_CHARS)
    tokens = tokenise(text, language)

    phrase_matches = _longest(_phrase_matches(tokens, catalogue))
    org_tokens = _covered(m for m in phrase_matches if m.type == EntityType.ORGANISATION)
    # A topic inside an organisation's name ("почтовой связи «Белпочта»") is not a topic.
    matches = [
        m
        for m in phrase_matches
        if m.type != EntityType.TOPIC or not ({*range(m.first, m.last + 1)} & org_tokens)
    ]
    matches += _country_word_matches(tokens, catalogue, language)
    official_matches = _resolve_surnames(_official_matches(text, tokens, catalogue))
    matches += official_matches

    report = MentionReport(
        text=text,
        language=language,
        mentions=_mentions(matches, tokens, text, catalogue),
        truncated=truncated,
    )
    if language == "ru":
        taken = _covered(official_matches)
        named = _covered(m for m in matches if m.type != EntityType.OFFICIAL)
        report.new_officials = _new_officials(text, tokens, taken, named)
    return report


def _cut(text: str, limit: int) -> str:
    """The first limit characters of text, ending between words when one ends near the limit."""
    head = text[:limit]
    near = max(0, limit - 200)
    end = max(head.rfind(" ", near), head.rfind("\n", near))
    return head[:end] if end > 0 else head


# Names of organisations, countries and topics ---------------------------------------------------


def _phrase_matches(tokens: list[Token], catalogue: Catalogue) -> list[Match]:
    found = []
    for i, token in enumerate(tokens):
        candidates: dict[int, Phrase] = {}
        for key in (*token.lemmas, token.text):
            for phrase in catalogue.phrases.get(key, ()):
                candidates[id(phrase)] = phrase
        for phrase in candidates.values():
            last = i + len(phrase.words) - 1
            if last >= len(tokens):
                continue
            if phrase.exact and token.text != phrase.exact:
                continue
            if phrase.capitalised and not token.is_capitalised:
                continue
            if phrase.type == EntityType.COUNTRY and len(phrase.words) == 1 and not phrase.exact:
                # A capital opening a sentence proves nothing: "Того же дня" is not Togo.
                if token.opens_sentence and not _is_place(token.text):
                    continue
            if not all(
                tokens[k].between == (phrase.gaps[k - i] if phrase.gaps else "")
                and tokens[k].lemmas & phrase.words[k - i]
                for k in range(i + 1, last + 1)
            ):
                continue
            if phrase.own_country and _other_country_follows(
                tokens, last + 1, phrase.own_country, catalogue.language
            ):
                continue
            found.append(Match(phrase.type, phrase.keys, i, last, phrase.via))
    return found


def _is_place(word: str) -> bool:
    return "Geox" in parses(word.lower())[0].tag


def _longest(matches: list[Match]) -> list[Match]:
    """Per type, keep the longest matches that do not overlap (the earlier one on a tie)."""
    kept: list[Match] = []
    kept_places: set[tuple[EntityType, int, int]] = set()
    taken: dict[EntityType, set[int]] = defaultdict(set)
    for match in sorted(matches, key=lambda m: (m.first - m.last, m.first)):
        words = set(range(match.first, match.last + 1))
        place = (match.type, match.first, match.last)
        # The same words may name several entities of one type (an ambiguous name).
        if words & taken[match.type] and place not in kept_places:
            continue
        taken[match.type] |= words
        kept.append(match)
        kept_places.add(place)
    # Words that name several entities (two organisations with one short name) only suggest.
    keys_at: dict[tuple, set] = defaultdict(set)
    for match in kept:
        keys_at[(match.type, match.first, match.last)] |= match.keys
    return [
        replace(match, confident=False, note=f"the name fits {len(keys)} entities")
        if len(keys := keys_at[(match.type, match.first, match.last)]) > 1
        else match
        for match in kept
    ]


def _covered(matches) -> set[int]:
    return {i for m in matches for i in range(m.first, m.last + 1)}


def _other_country_follows(tokens: list[Token], start: int, own: str, language: str) -> bool:
    """Whether the words from start qualify a name by a country other than own."""
    position = start
    while (
        position < len(tokens)
        and tokens[position].joined
        and tokens[position].lemmas & country_words.STATE_WORDS
    ):
        position += 1
    if position >= len(tokens) or not tokens[position].joined:
        return False
    index = country_names_by_first_lemma(language)
    for lemma in tokens[position].lemmas:
        for code, words in index.get(lemma, ()):
            end = position + len(words)
            if end <= len(tokens) and all(
                tokens[k].lemmas & words[k - position] for k in range(position, end)
            ):
                return code != own
    return position > start  # "Республики ..." with a country we cannot tell


def _country_word_matches(tokens: list[Token], catalogue: Catalogue, language: str) -> list[Match]:
    """Countries named by an adjective (сербской делегацией) or their people (белорусы)."""
    if language != "ru":
        return []
    demonyms = {lemma: code for code, words in country_words.DEMONYMS.items() for lemma in words}
    found = []
    for i, token in enumerate(tokens):
        codes = set(country_words.adjective_countries(token.lower))
        codes |= {demonyms[lemma] for lemma in token.lemmas if lemma in demonyms}
        for code in codes & catalogue.countries.keys():
            found.append(Match(EntityType.COUNTRY, frozenset({code}), i, i, "adjective"))
    return found


# Officials ---------------------------------------------------------------------------------


def _official_matches(text: str, tokens: list[Token], catalogue: Catalogue) -> list[Match]:
    forms = catalogue.name_forms
    found: list[Match] = []
    used: set[int] = set()

    def roles(index: int, role: str) -> set[int]:
        if index >= len(tokens):
            return set()
        return {pk for pk, r in forms.get(tokens[index].lower, ()) if r == role}

    def is_initial(index: int) -> bool:
        token = tokens[index] if 0 <= index < len(tokens) else None
        return (
            token is not None
            and len(token.text) == 1
            and token.text.isupper()
            and text[token.end : token.end + 1] == "."
        )

    def after_initial(index: int) -> bool:
        """Only the initial's dot and spaces stand between token index - 1 and index."""
        previous, token = tokens[index - 1], tokens[index]
        return INITIAL_GAP_RE.fullmatch(text[previous.end : token.start]) is not None

    def add(pks: set[int], first: int, last: int, via: str) -> None:
        confident = len(pks) == 1
        note = "" if confident else f"the name fits {len(pks)} officials"
        for pk in pks:
            found.append(
                Match(EntityType.OFFICIAL, frozenset({pk}), first, last, via, confident, note)
            )
        used.update(range(first, last + 1))

    for i, token in enumerate(tokens):
        if i in used or not token.is_capitalised:
            continue
        # First name, perhaps a patronymic, surname: Константина Шульгана.
        firsts = roles(i, "first")
        if firsts:
            j = i + 1
            if (
                j < len(tokens)
                and tokens[j].joined
                and (roles(j, "patronymic") & firsts or looks_like_patronymic(tokens[j].text))
            ):
                j += 1
            if j < len(tokens) and tokens[j].joined and roles(j, "surname") & firsts:
                add(roles(j, "surname") & firsts, i, j, "name")
                continue
        # Initials, then surname: К. Шульган, К.И. Шульгана.
        if is_initial(i):
            j = i + 1
            if j < len(tokens) and is_initial(j) and after_initial(j):
                j += 1
            if j < len(tokens) and after_initial(j):
                surnames = roles(j, "surname")
                letter = token.lower
                matching = {pk for pk in surnames if catalogue.first_initials.get(pk) == letter}
                if matching:
                    add(matching, i, j, "initials")
                elif surnames:
                    used.add(j)  # someone else with the same surname
                continue
        surnames = roles(i, "surname")
        if not surnames:
            continue
        # Surname, then initials: Шульган К.И.
        if i + 1 < len(tokens) and is_initial(i + 1) and tokens[i + 1].joined:
            letter = tokens[i + 1].lower
            matching = {pk for pk in surnames if catalogue.first_initials.get(pk) == letter}
            if matching:
                last = i + 2 if is_initial(i + 2) and after_initial(i + 2) else i + 1
                add(matching, i, last, "initials")
            continue
        # Surname, then first name, as in lists: Ковалёв Андрей (Иванович).
        if i + 1 < len(tokens) and tokens[i + 1].joined and roles(i + 1, "first") & surnames:
            last = i + 1
            if (
                last + 1 < len(tokens)
                and tokens[last + 1].joined
                and (roles(last + 1, "patronymic") or looks_like_patronymic(tokens[last + 1].text))
            ):
                last += 1
            add(roles(i + 1, "first") & surnames, i, last, "name")
            continue
        # The surname alone, unless another first name stands beside it (Иван Шульган).
        if _other_first_name(tokens, i, -1, surnames, forms) or _other_first_name(
            tokens, i, 1, surnames, forms
        ):
            continue
        add(surnames, i, i, "surname")
    return found


def _other_first_name(tokens: list[Token], surname: int, side: int, pks: set[int], forms) -> bool:
    """Whether a first name not of pks stands right beside the surname (side -1 or +1)."""
    index = surname + side
    if not 0 <= index < len(tokens) or not tokens[max(index, surname)].joined:
        return False
    token = tokens[index]
    if not token.is_capitalised:
        return False
    if {pk for pk, role in forms.get(token.lower, ()) if role == "first"} & pks:
        return False
    return any("Name" in p.tag for p in parses(token.lower))


def _resolve_surnames(matches: list[Match]) -> list[Match]:
    """An ambiguous surname means the one official the text names in full, if there is one."""
    named = {next(iter(m.keys)) for m in matches if m.confident and m.via != "surname"}
    resolved = []
    by_place: dict[tuple[int, int], list[Match]] = defaultdict(list)
    for match in matches:
        if match.confident:
            resolved.append(match)
        else:
            by_place[(match.first, match.last)].append(match)
    for group in by_place.values():
        chosen = [m for m in group if next(iter(m.keys)) in named]
        if len(chosen) == 1:
            m = chosen[0]
            resolved.append(Match(m.type, m.keys, m.first, m.last, m.via))
        else:
            resolved.extend(group)
    return resolved


# New officials -----------------------------------------------------------------------------


def _new_officials(
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


# Mentions ----------------------------------------------------------------------------------


def _mentions(
    matches: list[Match], tokens: list[Token], text: str, catalogue: Catalogue
) -> list[Mention]:
    grouped: dict[tuple[EntityType, object], Mention] = {}
    seen: set[tuple[EntityType, object, int, int]] = set()  # spans already in a mention
    for match in sorted(matches, key=lambda m: (m.first, m.last)):
        start, end = tokens[match.first].start, tokens[match.last].end
        if text[end : end + 1] == "»" and text.count("«", start, end) > text.count("»", start, end):
            end += 1  # close the quote the name opened: Производства «Минская почта»
        span = Span(start, end, text[start:end], match.via)
        for key in match.keys:
            mention = grouped.get((match.type, key))
            if mention is None:
                mention = grouped[(match.type, key)] = Mention(
                    type=match.type,
                    entity=catalogue.entity(match.type, key),
                    spans=[],
                    confidence=Confidence.SUGGESTION,
                    note=match.note,
                )
            if (match.type, key, start, end) not in seen:
                seen.add((match.type, key, start, end))
                mention.spans.append(span)
            if match.confident:
                mention.confidence = Confidence.CONFIDENT
                mention.note = ""
    order = list(EntityType)
    return sorted(grouped.values(), key=lambda m: (order.index(m.type), m.spans[0].start))
