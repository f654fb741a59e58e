"""Linking thresholds chosen on some gold stories and checked on the others (folds by story).

The gold part labels 7 stories of the multi-outlet stream (`../shared/eval/linking`). The stories
are split in two folds (alternately, by id); for each fold the options that score best on it are
chosen from a small grid, and the figures of those options on the other fold are printed beside
them, with the shipped defaults on both. Story options are chosen on story pair F1; utterance
options (with the chosen stories) on the mean of quote-link F1, first-source accuracy, relation
macro F1 and altered-meaning F1. Figures come from `../shared/eval/score_linking.py`'s own functions.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/linking_folds.py

Needs the extracted quotes (bench/linking_bench.py's cache; made on the first run if missing).
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
from dataclasses import asdict, replace  # noqa: E402
from pathlib import Path  # noqa: E402

from skazal.ingest.records import ArticleRecord, read_records  # noqa: E402
from skazal.linking.analysis import analysed_articles  # noqa: E402
from skazal.linking.linker import link_utterances, story_line, utterance_line  # noqa: E402
from skazal.linking.stories import StoryOptions, link_stories  # noqa: E402
from skazal.linking.utterances import UtteranceOptions  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTICLES = SHARED / "corpus" / "multi-outlet" / "articles.jsonl"
GOLD = SHARED / "eval" / "linking" / "gold.jsonl"
SCORER = SHARED / "eval" / "score_linking.py"
CACHE = ROOT / "bench" / "out" / "linking_quotes.jsonl"

STORY_GRID = {"threshold": (0.35, 0.45, 0.55), "entity_weight": (0.0, 0.15, 0.3), "mean_weight": (0.0, 0.3)}
UTTERANCE_GRID = {
    "report_overlap": (0.35, 0.4, 0.45, 0.5),
    "rehome_overlap": (0.3, 0.4, 0.5),
    "group_overlap": (0.3, 0.4),
}
QUOTE_FIGURES = ("quote_link_f1", "first_source_accuracy", "relation_macro_f1", "altered_f1")


def scorer():
    spec = importlib.util.spec_from_file_location("score_linking", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def grid(base, axes: dict):
    for values in itertools.product(*axes.values()):
        yield replace(base, **dict(zip(axes, values)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    score = scorer()
    records = {r.url: r for r in read_records(ARTICLES) if isinstance(r, ArticleRecord)}
    articles = analysed_articles(list(records.values()), args.cache, workers=2)
    gold = score.read_jsonl(GOLD.read_text(encoding="utf-8"))
    url_of = {r.id: r.url for r in records.values()}
    url_of.update({json.loads(line)["id"]: json.loads(line)["url"] for line in ARTICLES.open(encoding="utf-8")})
    stories = sorted((g for g in gold if g["type"] == "story"), key=lambda g: g["id"])
    folds = [stories[0::2], stories[1::2]]

    def story_f1(found, fold):
        return score.story_figures(fold, url_of, [story_line(s) for s in found])[0][2]

    def quote_figures(found, fold):
        ids = {s["id"] for s in fold}
        quotes = [g for g in gold if g["type"] == "quote" and g["story"] in ids]
        return score.quote_figures(quotes, url_of, [utterance_line(u) for u in found])

    story_runs = [(options, link_stories(articles, options)) for options in grid(StoryOptions(), STORY_GRID)]
    utterance_runs: dict[StoryOptions, list] = {}
    for k, (train, test) in enumerate((folds, folds[::-1])):
        names = ", ".join(s["id"] for s in train)
        options, found = max(story_runs, key=lambda run: story_f1(run[1], train))
        chosen = {axis: getattr(options, axis) for axis in STORY_GRID}
        print(f"fold {k + 1}: stories chosen on {names}: {chosen}")
        print(f"  story pair F1  tuned-on {story_f1(found, train):.3f}  held-out {story_f1(found, test):.3f}")
        if options not in utterance_runs:  # the same stories chosen on both folds are linked once
            utterance_runs[options] = [
                (u_options, link_utterances(articles, found, u_options))
                for u_options in grid(UtteranceOptions(), UTTERANCE_GRID)
            ]
        runs = [(u, quote_figures(linked, train), quote_figures(linked, test)) for u, linked in utterance_runs[options]]
        best = max(runs, key=lambda run: sum(run[1][f] for f in QUOTE_FIGURES))
        print(f"  utterances chosen: { {axis: getattr(best[0], axis) for axis in UTTERANCE_GRID} }")
        for figure in (*QUOTE_FIGURES, "quote_link_p", "quote_link_r", "occurrence_recall", "altered_p", "altered_r"):
            print(f"  {figure:22s} tuned-on {best[1][figure]:.3f}  held-out {best[2][figure]:.3f}")
    defaults = link_stories(articles, StoryOptions())
    utterances = link_utterances(articles, defaults, UtteranceOptions())
    print(f"defaults: {asdict(StoryOptions())} {asdict(UtteranceOptions())}")
    for k, fold in enumerate(folds):
        figures = quote_figures(utterances, fold)
        shown = "  ".join(f"{f} {figures[f]:.3f}" for f in QUOTE_FIGURES)
        print(f"  fold {k + 1}: story pair F1 {story_f1(defaults, fold):.3f}  {shown}")


if __name__ == "__main__":
    main()
