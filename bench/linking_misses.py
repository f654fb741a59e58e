"""What the linker gets wrong on the linking gold set, occurrence by occurrence.

For each gold statement: every occurrence, whether a system occurrence of its article matches its
words (the scorer's token F1 >= 0.5), whether that occurrence sits in the utterance most of the
statement's occurrences went to, the relation and meaning flag given beside the gold ones, and,
for an occurrence not found, the quotes the extractor gave in that article (was it missed by the
extractor, or found and not linked?). Ends with the relation confusion table and the figures.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/linking_misses.py [--stories S01,S03]

Needs the extracted quotes (bench/linking_bench.py's cache; made on the first run if missing).
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

from linking_folds import ARTICLES, CACHE, GOLD, scorer  # noqa: E402

from skazal.ingest.records import ArticleRecord, read_records  # noqa: E402
from skazal.linking.analysis import analysed_articles  # noqa: E402
from skazal.linking.linker import link, utterance_line  # noqa: E402

SHOWN = 110


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--stories", help="comma-separated gold story ids (all by default)")
    parser.add_argument("--all", action="store_true", help="show the occurrences that are right too")
    args = parser.parse_args()
    score = scorer()
    records = {r.url: r for r in read_records(ARTICLES) if isinstance(r, ArticleRecord)}
    articles = analysed_articles(list(records.values()), args.cache, workers=1)
    quotes_of = {a.record.url: a.quotes for a in articles}
    url_of = {json.loads(line)["id"]: json.loads(line)["url"] for line in ARTICLES.open(encoding="utf-8")}
    gold = score.read_jsonl(GOLD.read_text(encoding="utf-8"))
    wanted = set(args.stories.split(",")) if args.stories else None
    statements = [g for g in gold if g["type"] == "quote" and (wanted is None or g["story"] in wanted)]
    lines = [utterance_line(u) for u in link(articles).utterances]
    system = [(k, o) for k, line in enumerate(lines) for o in line["occurrences"]]
    confusion: Counter = Counter()
    for statement in statements:
        matched = [_match(score, o, url_of, system) for o in statement["occurrences"]]
        votes = Counter(m[0] for m in matched if m)
        home = votes.most_common(1)[0][0] if votes else None
        print(f"=== {statement['id']} {statement['speaker']} (utterance {home}, split over {len(votes)})")
        for o, m in zip(statement["occurrences"], matched):
            sys_rel = m[1]["relation"] if m else "—"
            sys_alt = bool(m and (m[1]["meaning_altered"] or m[1]["relation"] == "altered-meaning"))
            if not o.get("is_reference") and m:
                confusion[(o["relation"], sys_rel)] += 1
            where = "MISS" if not m else ("    " if m[0] == home else f"u{m[0]:<3d}")
            wrong = m and (sys_rel != o["relation"] and not o.get("is_reference") or sys_alt != o["meaning_altered"])
            if not (args.all or not m or m[0] != home or wrong):
                continue
            alt = ("ALT" if o["meaning_altered"] else "   ") + ("/alt" if sys_alt else "/   ")
            print(f"  {where} {o['kind'][:3]} {o['relation'][:9]:9s}→{sys_rel[:9]:9s} {alt} {o['article']} "
                  f"{o['outlet'][:14]:14s} {o['text'][:SHOWN]!r}")
            if m and m[1].get("changes"):
                print(f"        changes: {m[1]['changes']}")
            if not m:
                for q in quotes_of.get(url_of[o["article"]], ()):
                    print(f"        extractor: {q.kind[:3]} {q.speaker!r}: {q.text[:SHOWN]!r}")
    print("\nrelation confusion (gold → system):")
    for (g, s), n in sorted(confusion.items()):
        print(f"  {g:16s} → {s:16s} {n}")
    figures = score.quote_figures(statements, url_of, lines)
    print("  ".join(f"{k} {v:.3f}" for k, v in figures.items()))


def _match(score, occurrence: dict, url_of: dict, system: list) -> tuple[int, dict] | None:
    """The system occurrence of the article that shares most words with the gold one (F1 >= 0.5)."""
    url, words = url_of[occurrence["article"]], score.tokens(occurrence["text"])
    best, best_f1 = None, 0.5
    for k, o in system:
        if o["url"] != url:
            continue
        f1 = score.token_f1(words, score.tokens(o["text"]))
        if f1 >= best_f1:
            best, best_f1 = (k, o), f1
    return best


if __name__ == "__main__":
    main()
