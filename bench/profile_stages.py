"""Where the pipeline's time goes, stage by stage, on first-seen pages (issue 14).

Every page of the in-repo evaluation sets (eval/corpus/html*/pages, eval/*/texts), each once, goes
through `skazal.extract` in a fresh process: the models are loaded before the clock starts, every
cache (slovnet's word ids, pymorphy's parses, natasha's lemmas) starts empty but for the few words
of a two-line warm-up, as in a new ingest.
The stage functions are wrapped from here by a clock that charges each call's time to its stage,
less the time of the stages it calls (self time), so the shares add up to the whole; a second fresh
process runs the same pages without the clock, to show what the clock itself costs.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/profile_stages.py [--limit N]

One process, one thread (OPENBLAS_NUM_THREADS=1): the figures are per core.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
WARM_UP = ("Он сказал: «Да».", "<html><head><title>Новость</title></head><body><article><p>Он сказал: «Да».</p>"
           "</article></body></html>")
INCLUSIVE = ("entity rules", "entity normalisation", "quote rules")  # what their own calls add up to


def first_seen_pages(limit: int | None) -> list[Path]:
    """Every page of the evaluation sets, each text once (the sets share a few pages)."""
    paths = sorted(EVAL.glob("corpus/html*/pages/*")) + sorted(EVAL.glob("*/texts/*"))
    seen, pages = set(), []
    for path in paths:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if path.is_file() and digest not in seen:
            seen.add(digest)
            pages.append(path)
    return pages[:limit]


class StageClock:
    """Self and inclusive time per stage, from calls wrapped with `wrap`."""

    def __init__(self) -> None:
        self.self_seconds: Counter[str] = Counter()
        self.inclusive_seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self._stack: list[list] = []  # [stage, seconds spent in stages called from it]

    def wrap(self, function, stage):
        """`function` timed as `stage` (a name, or a function of the call's arguments giving one)."""
        clock = self

        def timed(*args, **kwargs):
            name = stage(*args) if callable(stage) else stage
            outermost = all(frame[0] != name for frame in clock._stack)
            clock._stack.append([name, 0.0])
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                _, nested = clock._stack.pop()
                clock.self_seconds[name] += spent - nested
                clock.calls[name] += 1
                if outermost:
                    clock.inclusive_seconds[name] += spent
                if clock._stack:
                    clock._stack[-1][1] += spent

        timed.__wrapped__ = function
        return timed


def replace_everywhere(original, replacement) -> None:
    """Put `replacement` wherever a skazal module holds `original` (its own module and every
    `from … import` of it)."""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("skazal"):
            for name, value in list(vars(module).items()):
                if value is original:
                    setattr(module, name, replacement)


def instrument(clock: StageClock) -> None:
    """Wrap the stage functions of the pipeline (see src/skazal/pipeline.py, nlp.py, entities/)."""
    import skazal.entities.normalise as normalise
    import skazal.nlp as nlp
    import skazal.pipeline as pipeline

    pymorphy = "morphology: pymorphy look-ups"
    stages = {
        pipeline.read_article: "reading",
        nlp._segmented: "segmentation (razdel)",
        nlp._morphology_tags: "morphology: slovnet tagger",
        nlp._packed_scores: lambda tagger, *_: "NER" if tagger == "ner_tagger" else "morphology: slovnet tagger",
        nlp._names: "NER",
        nlp.parse_sentences: "syntax",
        nlp.lemma_of: pymorphy,
        nlp.possible_lemmas: pymorphy,
        pipeline.find_entities: "entity rules",
        pipeline.find_quotes: "quote rules",
        pipeline.analyse_article: "other (pipeline glue)",
    }
    for name in ("person_name", "family_surname", "common_name", "declines_to", "first_name_gender"):
        stages[getattr(normalise, name)] = "entity normalisation"
    for function, stage in stages.items():
        replace_everywhere(function, clock.wrap(function, stage))
    # pymorphy's look-ups, parses (`morph_vocab(word)` and `.parse`), lexemes and inflections,
    # wherever they are asked for
    vocab = nlp.models().morph_vocab
    for method in ("looked_up", "parse", "lexeme_words"):
        setattr(vocab, method, clock.wrap(getattr(vocab, method), pymorphy))
    form = type(vocab("слово")[0])
    form.inflect = clock.wrap(form.inflect, pymorphy)


def measure(limit: int | None, staged: bool) -> dict:
    """One pass over the first-seen pages in this (fresh) process."""
    import skazal
    from skazal.nlp import models

    models()
    # Code loaded on first use (the HTML reader's parts, the lexicons) is loaded here, on two tiny
    # pages of a few words, so that the first real page is not charged for it.
    for warm_up in WARM_UP:
        skazal.extract(warm_up)
    clock = StageClock()
    if staged:
        instrument(clock)
    pages = first_seen_pages(limit)
    characters = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for path in pages:
        page = skazal.extract(path.read_bytes())
        characters += len(page.body)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"pages": len(pages), "body_characters": characters, "wall": wall, "cpu": cpu,
            "self": dict(clock.self_seconds), "inclusive": dict(clock.inclusive_seconds),
            "calls": dict(clock.calls)}


def in_fresh_process(limit: int | None, staged: bool) -> dict:
    command = [sys.executable, __file__, "--child", "staged" if staged else "plain"]
    if limit:
        command += ["--limit", str(limit)]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    finished = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return json.loads(finished.stdout.splitlines()[-1])


def report(staged: dict, plain: dict) -> str:
    pages, total = staged["pages"], staged["wall"]
    rows = dict(staged["self"])
    rows["other (outside the stages)"] = total - sum(rows.values())
    lines = [
        f"{pages} first-seen pages, {staged['body_characters']:,} body characters, one process, "
        f"OPENBLAS_NUM_THREADS=1",
        f"without the clock: {plain['cpu']:.1f} CPU s, {plain['pages'] / plain['cpu']:.2f} pages per CPU second, "
        f"{1000 * plain['cpu'] / pages:.0f} ms per page",
        f"with the clock:    {staged['cpu']:.1f} CPU s "
        f"({100 * (staged['cpu'] / plain['cpu'] - 1):+.1f} % for the clock)",
        "",
        f"{'stage (self time)':34} {'share':>7} {'ms/page':>8} {'ms/1k chars':>11} {'calls':>9}",
    ]
    for stage, seconds in sorted(rows.items(), key=lambda row: -row[1]):
        lines.append(f"{stage:34} {100 * seconds / total:6.1f}% {1000 * seconds / pages:8.1f} "
                     f"{1e6 * seconds / staged['body_characters']:11.2f} {staged['calls'].get(stage, 0):9,}")
    lines += ["", "including the stages they call:"]
    for stage in INCLUSIVE:
        seconds = staged["inclusive"].get(stage, 0.0)
        lines.append(f"{stage:34} {100 * seconds / total:6.1f}% {1000 * seconds / pages:8.1f}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--child", choices=("staged", "plain"), help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON too")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.limit, args.child == "staged")))
        return 0
    plain = in_fresh_process(args.limit, staged=False)
    staged = in_fresh_process(args.limit, staged=True)
    print(report(staged, plain))
    if args.json:
        print(json.dumps({"staged": staged, "plain": plain}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
