"""Real passages from Russian news: the quotes in each, with their kind and speaker.

Each line of data/quote_sentences.jsonl is a real passage annotated under the shared annotation
guide (../shared/eval/README.md). A passage is right when every quote the guide requires is found
with its kind and speaker, and nothing else is reported as a quote. Quotes are matched as the
scorer matches them: token F1 of the texts at least 0.5, names equal by the scorer's rule.
Passages the extractor does not get right yet carry "known_miss" and run as strict xfails, so a
fix shows up as an unexpected pass.
"""
import json
import re
from collections import Counter
from functools import cache

import pytest
from conftest import DATA

from skazal.entities import find_entities
from skazal.nlp import analyse
from skazal.quotes import find_quotes
from skazal.records import Article

PASSAGES = [
    json.loads(line)
    for line in (DATA / "quote_sentences.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
BY_ID = {passage["id"]: passage for passage in PASSAGES}
# The share of passages fully right may not fall below this; raise it as the extractor improves.
FLOOR = 0.88
WORD = re.compile(r"\w+")


def tokens(text: str | None) -> list[str]:
    text = (text or "").replace("ё", "е").replace("Ё", "Е").lower()
    return WORD.findall(text)


def token_f1(a: list[str], b: list[str]) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def same_name(found: str | None, expected: str | None) -> bool:
    """The scorer's rule: equal, same surname with agreeing initials, or one a run of the other."""
    a, b = tokens(found), tokens(expected)
    if not a or not b:
        return not a and not b
    if a == b or a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or a[0][0] == b[0][0]):
        return True
    short, long_ = sorted((a, b), key=len)
    return any(long_[i:i + len(short)] == short for i in range(len(long_) - len(short) + 1))


@cache
def problems(passage_id: str) -> tuple[str, ...]:
    """What the extractor gets wrong in one passage; empty when it is fully right."""
    passage = BY_ID[passage_id]
    article = Article(body=passage["text"])
    doc = analyse(article.body)
    found, _sources = find_quotes(article, doc, find_entities(article, doc))
    expected = passage["quotes"]
    pairs = sorted(
        (
            (token_f1(tokens(quote.text), tokens(gold["text"])), i, j)
            for i, quote in enumerate(found)
            for j, gold in enumerate(expected)
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    for score, i, j in pairs:
        if score >= 0.5 and i not in matched and j not in matched.values():
            matched[i] = j
    wrong = []
    for i, j in matched.items():
        quote, gold = found[i], expected[j]
        if gold.get("optional"):
            continue
        speaker = quote.speaker.name if quote.speaker else None
        if quote.kind != gold["kind"]:
            wrong.append(f"kind {quote.kind}, expected {gold['kind']}: {gold['text'][:60]!r}")
        if not same_name(speaker, gold["speaker"]):
            wrong.append(f"speaker {speaker!r}, expected {gold['speaker']!r}: {gold['text'][:60]!r}")
    wrong += [
        f"missed {gold['kind']} quote of {gold['speaker']!r}: {gold['text'][:60]!r}"
        for j, gold in enumerate(expected)
        if j not in matched.values() and not gold.get("optional")
    ]
    wrong += [f"not a quote: {quote.text[:60]!r}" for i, quote in enumerate(found) if i not in matched]
    return tuple(wrong)


def as_param(passage: dict):
    marks = [pytest.mark.xfail(reason=passage["known_miss"], strict=True)] if "known_miss" in passage else []
    return pytest.param(passage["id"], marks=marks, id=passage["id"])


@pytest.mark.parametrize("passage_id", [as_param(p) for p in PASSAGES])
def test_quotes_of_the_passage_are_found_with_kind_and_speaker(passage_id):
    assert problems(passage_id) == ()


def test_share_of_passages_fully_right_stays_above_the_floor():
    right = sum(1 for passage in PASSAGES if not problems(passage["id"]))
    share = right / len(PASSAGES)
    print(f"{right} of {len(PASSAGES)} passages fully right ({share:.2f}), floor {FLOOR}")
    assert share >= FLOOR


def test_the_set_covers_what_the_guide_defines():
    kinds = Counter(q["kind"] for p in PASSAGES for q in p["quotes"] if not q.get("optional"))
    without_quotes = sum(1 for p in PASSAGES if not p["quotes"])
    anonymous = sum(1 for p in PASSAGES for q in p["quotes"] if q["speaker"] is None)
    assert len(PASSAGES) >= 150
    assert min(kinds["direct"], kinds["indirect"]) >= 40 and kinds["mixed"] >= 10
    assert without_quotes >= 30 and anonymous >= 20
    assert all(p["source"] for p in PASSAGES)
