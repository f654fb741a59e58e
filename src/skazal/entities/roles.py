"""A person's role where the page gives it in apposition: "послом России Борисом Грызловым" → "посол России",
"Кристиан Вульф, президент Германии" → "президент Германии"."""
from __future__ import annotations

from collections.abc import Sequence

from natasha.doc import DocToken

from skazal.entities.lexicon import fold, is_role
from skazal.entities.normalise import common_name

# How far before the name a role noun may stand ("пресс-секретарь президента России Дмитрий Песков").
WINDOW = 8
# Words that may stand between the role noun and the name: the role's own complements.
BETWEEN = frozenset({"NOUN", "PROPN", "ADJ", "ADP", "CCONJ", "DET", "X"})


def role_before(tokens: Sequence[DocToken], first: int, lowest: int) -> str | None:
    """The role in nominative ("посол России") that stands right before the name starting at
    `tokens[first]`, looking no further back than `tokens[lowest]`; None where there is none."""
    case = tokens[first].feats.get("Case")
    agreeing = []
    for i in range(first - 1, max(lowest, first - WINDOW) - 1, -1):
        token = tokens[i]
        if token.pos not in BETWEEN or token.pos == "CCONJ" and not _joins_roles(tokens, i):
            break
        if case == "Gen" and _is_person_word(token, case):
            # "пресс-секретаря президента Владимира Путина Дмитрия Пескова": the roles before
            # Putin are his; Peskov's own cannot be told apart without syntax
            break
        if is_role(token) and token.feats.get("Case") == case and _singular(token):
            agreeing.append(i)
    if not agreeing:
        return None
    # A name in the genitive may itself complement a role ("пресс-секретаря президента России
    # Владимира Путина"): its own role is the nearest one, with roles joined to it by "и".
    role_at = agreeing[-1] if case != "Gen" else _coordinated(tokens, agreeing[0], agreeing)
    while role_at - 1 >= lowest and _describes(tokens[role_at - 1], case, role_at - 1 == lowest):
        role_at -= 1
    role = " и ".join(common_name(part) for part in _split_at_and(tokens[role_at:first]))
    return role if role[:2].isupper() else role[:1].lower() + role[1:]


def _split_at_and(tokens: Sequence[DocToken]) -> list[Sequence[DocToken]]:
    """Roles joined by "и", each to be put in the nominative on its own ("актёра и сценариста")."""
    parts, start = [], 0
    for i, token in enumerate(tokens):
        if fold(token.text) == "и" and token.pos == "CCONJ":
            parts.append(tokens[start:i])
            start = i + 1
    parts.append(tokens[start:])
    return [part for part in parts if part]


def _describes(token: DocToken, case: str | None, opens_sentence: bool) -> bool:
    """An adjective of the role ("бывший президент"), written in lower case unless it opens the sentence."""
    lower = token.text[:1].islower() or opens_sentence
    return token.pos == "ADJ" and token.feats.get("Case") == case and lower


def _joins_roles(tokens: Sequence[DocToken], i: int) -> bool:
    """"и" between two roles ("актёр и сценарист"), not between two people ("судьи Санина и Огурцова")."""
    return fold(tokens[i].text) == "и" and is_role(tokens[i + 1])


def _coordinated(tokens: Sequence[DocToken], nearest: int, agreeing: list[int]) -> int:
    """The first of the roles joined by "и" that ends at `nearest` ("актёра и сценариста")."""
    start = nearest
    while start - 2 in agreeing and fold(tokens[start - 1].text) == "и":
        start -= 2
    return start


def role_after(tokens: Sequence[DocToken], stop: int, highest: int) -> str | None:
    """The role set off by a comma right after the name ending before `tokens[stop]`
    ("Кристиан Вульф, президент Германии:"), looking no further than `tokens[highest - 1]`."""
    if stop + 1 >= highest or tokens[stop].text != ",":
        return None
    case = tokens[stop - 1].feats.get("Case")
    start = stop + 1
    head = start
    while head < highest and tokens[head].pos == "ADJ" and tokens[head].feats.get("Case") == case:
        head += 1
    if head >= highest or not _is_role(tokens[head], case):
        return None
    end = head + 1
    while end < min(highest, head + WINDOW) and tokens[end].pos in BETWEEN - {"CCONJ"}:
        if _is_person_word(tokens[end], tokens[end].feats.get("Case")):
            # "Д. Медведева, лидер ЛДПР В. Жириновский": the role is the next man's
            return None
        end += 1
    role = common_name(tokens[start:end])
    return role if role[:2].isupper() else role[:1].lower() + role[1:]


def _is_role(token: DocToken, case: str | None) -> bool:
    return is_role(token) and token.feats.get("Case") == case and _singular(token)


def _is_person_word(token: DocToken, case: str) -> bool:
    return token.pos == "PROPN" and token.feats.get("Animacy") == "Anim" and token.feats.get("Case") == case


def _singular(token: DocToken) -> bool:
    """One person holds a role: "актрисы вроде Галь Гадот" names a kind, not her office."""
    return token.feats.get("Number", "Sing") == "Sing"
