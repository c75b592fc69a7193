"""Officials of the catalogue a text names: by full name, initials and surname, or surname alone."""

from __future__ import annotations

import re
from collections import defaultdict

from news.mentions.catalogue import Catalogue
from news.mentions.language import Token, looks_like_patronymic, parses
from news.mentions.matches import Match
from news.mentions.report import EntityType

INITIAL_GAP_RE = re.compile(r"\.\s*")


def official_matches(text: str, tokens: list[Token], catalogue: Catalogue) -> list[Match]:
    """The catalogue's officials the tokens name; a name several of them share, a match each."""
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


def resolve_surnames(matches: list[Match]) -> list[Match]:
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
