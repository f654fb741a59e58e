"""How an occurrence of an utterance relates to the reference wording, and whether its meaning changed.

Both wordings are compared word by word (normalised: case, ё, punctuation, abbreviated units and
number words set aside) and aligned with rapidfuzz. Cut words at either end make a truncation,
added words at either end an extension, changed or inserted words inside a rewording; a change
that touches a number, a hedge of a number, a negation, a name, a date or a modality word alters
the meaning, whatever else the edit is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from skazal.linking.lexicon import HEDGE_REACH, HEDGE_SENSES, MEANING_WORDS, MONTHS
from skazal.linking.words import Word, lemma, words
from skazal.nlp import possible_lemmas

RELATIONS = ("identical", "cosmetic", "truncated", "extended", "reworded", "altered-meaning", "indirect")
# words an editor put into a quote, in brackets ("(IT-сферу — Прим. ред.)", "(3 мая)", "[…]",
# "уже [их] оформили"), are not the speaker's: a transcript has no brackets of its own
GLOSS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_QUOTED = re.compile(r"«([^«»]+)»|\"([^\"]+)\"|“([^“”]+)”")
# an internal cut longer than this is a cut of the quote, not a word dropped from it
SHORT_CUT = 2
LOCAL_EDIT = 3
NOT_NAMES = frozenset({"я"})  # capitalised wherever it stands


@dataclass(frozen=True, slots=True)
class Alteration:
    relation: str
    meaning_altered: bool
    changes: tuple[str, ...] = ()  # "number: 50 → около 50", "negation: + не", ...


def relate(
    reference: str, reference_kind: str, text: str, kind: str, reference_after: str = "", text_after: str = ""
) -> Alteration:
    """The relation of `text` (printed as `kind`) to the reference wording. `reference_after` and
    `text_after` are the words each article prints after them, to the end of the next sentence: a
    report goes on where the extractor stopped ("… 750 млн руб., сообщила ФНС. Всего поступило
    около 800 заявлений"), and a number both go on to give with another hedge is a change."""
    # reported words are reported even when they are the reference's to the letter (a reprinted report)
    if kind == "indirect" or reference_kind == "indirect":
        changes = _reported_changes(words(reference), words(text))
        if reference_after or text_after:
            more = _hedge_changes(words(f"{reference} {reference_after}"), words(f"{text} {text_after}"))
            changes += tuple(change for change in more if change not in changes)
        return Alteration("indirect", bool(changes), changes)
    if text == reference:
        return Alteration("identical", False)
    old, new = words(speakers_words(reference, reference_kind)), words(speakers_words(text, kind))
    if [w.norm for w in old] == [w.norm for w in new]:
        return Alteration("cosmetic", False)
    return _aligned(old, new)


def speakers_words(text: str, kind: str) -> str:
    """The words the speaker said: a mixed quote's words in quotation marks, none of an editor's brackets."""
    text = GLOSS.sub(" ", text)
    if kind == "mixed":
        quoted = [next(part for part in match.groups() if part) for match in _QUOTED.finditer(text)]
        if quoted:
            return " … ".join(quoted)
    return text


def _aligned(old: list[Word], new: list[Word]) -> Alteration:
    cut_at_edge = added_at_edge = reworded = False
    changes: list[str] = []
    for op in Levenshtein.opcodes([w.norm for w in old], [w.norm for w in new]):
        if op.tag == "equal":
            continue
        gone, came = old[op.src_start:op.src_end], new[op.dest_start:op.dest_end]
        at_edge = op.src_start == 0 or op.src_end == len(old)
        if op.tag == "delete" and (at_edge or len(gone) > SHORT_CUT):
            cut_at_edge = True
            continue
        if op.tag == "insert" and at_edge:
            added_at_edge = True
            continue
        # a word or two dropped inside ("снивелируются, и это" printed "снивелируются. Это") rewords the
        # sentence; a longer internal cut was handled above as a cut of the quote
        reworded = True
        # a meaning change is local (a number, a "не", a name); a longer edit is a rewording of its own
        if len(gone) <= LOCAL_EDIT and len(came) <= LOCAL_EDIT:
            changes.extend(_meaning_changes(gone, came, old, op.src_start, new, op.dest_start))
    if changes:
        return Alteration("altered-meaning", True, tuple(changes))
    if reworded or (cut_at_edge and added_at_edge):
        return Alteration("reworded", False)
    return Alteration("truncated" if cut_at_edge else "extended", False)


def _meaning_changes(
    gone: list[Word], came: list[Word], old: list[Word], old_at: int, new: list[Word], new_at: int
) -> list[str]:
    changes = []
    numbers_gone, numbers_came = _numbers(gone), _numbers(came)
    if numbers_gone != numbers_came:
        changes.append(f"number: {' '.join(numbers_gone) or '—'} → {' '.join(numbers_came) or '—'}")
    for name, lemmas in MEANING_WORDS.items():
        before, after = _of_class(gone, lemmas), _of_class(came, lemmas)
        if before == after:
            continue
        if name == "hedge" and not (_near_number(old, old_at, len(gone)) or _near_number(new, new_at, len(came))):
            continue
        if name == "hedge" and _senses(" ".join(before)) == _senses(" ".join(after)):
            continue
        changes.append(f"{name}: {' '.join(before) or '—'} → {' '.join(after) or '—'}")
    names_gone, names_came = _names(gone), _names(came)
    if names_gone != names_came:
        changes.append(f"entity: {' '.join(sorted(names_gone)) or '—'} → {' '.join(sorted(names_came)) or '—'}")
    return changes


def _of_class(found: list[Word], lemmas: frozenset[str]) -> list[str]:
    """The words whose possible lemmas include one of these ("почти" may be a form of "почтить")."""
    return sorted(min(possible_lemmas(w.norm) & lemmas) for w in found if possible_lemmas(w.norm) & lemmas)


def _reported_changes(reference: list[Word], reported: list[Word]) -> tuple[str, ...]:
    """What a reported wording says otherwise: another number in place of one the reference gave,
    or a number it gave with another hedge ("более 800" reported as "около 800")."""
    changes = []
    # a number reported that the speaker never gave, in place of one the report leaves out (a report
    # may add numbers of its own context, and leave numbers out)
    extra = sorted(set(_numbers(reported)) - set(_numbers(reference)))
    missing = sorted(set(_numbers(reference)) - set(_numbers(reported)))
    if extra and missing:
        changes.append(f"number: {' '.join(missing)} → {' '.join(extra)}")
    changes.extend(_hedge_changes(reference, reported))
    return tuple(changes)


def _hedge_changes(reference: list[Word], reported: list[Word]) -> list[str]:
    """Each number both wordings give, with no hedge of the same sense in both ("более 800" as "около
    800"; a number given twice, once hedged, is either: "4 и 5 мая … до -4" holds "4" and "до 4")."""
    said, told = _hedges(reference), _hedges(reported)
    return [
        f"hedge: {_shown(said[number])} {number} → {_shown(told[number])} {number}"
        for number in sorted(said.keys() & told.keys())
        if not any(_senses(a) == _senses(b) for a in said[number] for b in told[number])
    ]


def _shown(hedges: list[str]) -> str:
    return " / ".join(hedge or "—" for hedge in hedges)


def _senses(hedges: str) -> frozenset[str]:
    """What the hedges claim of their number; "about" claims nothing a round number does not ("в пределах
    300 рублей" printed as "300 рублей"), "более", "почти", "лишь" do."""
    return frozenset(HEDGE_SENSES[word] for word in hedges.split()) - {"about"}


def _hedges(found: list[Word]) -> dict[str, list[str]]:
    """Each number with the hedges just before it, wherever it stands ("" for none). A day or a year is
    a date, not a quantity ("до 8 августа", "с 2009 по 2019"): no hedge."""
    hedges = MEANING_WORDS["hedge"]
    hedged: dict[str, set[str]] = {}
    for i, w in enumerate(found):
        if w.norm[0].isdigit() and not _is_date(found, i):
            before = found[max(0, i - HEDGE_REACH):i]
            hedged.setdefault(w.norm, set()).add(" ".join(_of_class(before, hedges)))
    return {number: sorted(found) for number, found in hedged.items()}


def _is_date(found: list[Word], at: int) -> bool:
    """A year (four digits from 1900 to 2099), or a day a month follows ("3 мая"); "15 лет" is a quantity."""
    number = found[at].norm
    if len(number) == 4 and number.isdigit() and number[:2] in ("19", "20"):
        return True
    after = found[at + 1:at + 2]
    return bool(after) and bool(possible_lemmas(after[0].norm) & MONTHS)


def _numbers(found: list[Word]) -> list[str]:
    return sorted(w.norm for w in found if w.norm[0].isdigit())


def _near_number(found: list[Word], at: int, length: int) -> bool:
    lo, hi = max(0, at - HEDGE_REACH), min(len(found), at + length + HEDGE_REACH)
    return any(w.norm[0].isdigit() for w in found[lo:hi])


def _names(found: list[Word]) -> set[str]:
    """Lemmas of the capitalised words that are not capitalised only for opening a sentence."""
    return {
        lemma(w.form)
        for w in found
        if w.form[0].isupper() and len(w.form) > 1 and w.norm not in NOT_NAMES
        and (not w.opens_sentence or w.form.isupper())
    }
