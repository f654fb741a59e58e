"""skazal beside trafilatura (+ natasha) on the same real pages: speed, memory and quality.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/reader_bench.py [--repeat 3] [--pipeline]

Without --pipeline: skazal's HTML reader beside trafilatura. With --pipeline: skazal's full
extraction (page reading + entities + quotes) beside trafilatura + natasha's NER, which does less.

The pages are those of every HTML gold set (eval/corpus/html*/gold.jsonl), decoded once by
skazal.reading.decode outside the timing, and first seen: each run is a fresh process that loads
the models and reads one tiny page of a few words before the clock starts, then reads every page
once, so that no cache holds a word of them (repeating pages would time the caches). `--repeat`
runs that many fresh processes per tool, the tools alternated; the medians are reported. Peak
memory is each tool's own. Body F1, title and date accuracy are computed as eval/score.py computes
them (imported from there).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The shared folder's eval/ and corpus/, copied in as eval/ and eval/corpus/ (eval/PROVENANCE.md);
# the shared folder beside the repository where the copy is missing.
EVAL, CORPUS = ROOT / "eval", ROOT / "eval" / "corpus"
if not (EVAL / "score.py").exists():
    EVAL, CORPUS = ROOT.parent / "shared" / "eval", ROOT.parent / "shared" / "corpus"
GOLD_SETS = tuple(sorted(CORPUS.glob("html*/gold.jsonl")))
# Loads the code a tool only imports on first use, with words no gold page is made of alone.
WARM_UP_PAGE = ("<html><head><title>Новость</title></head><body><article><p>Он сказал: «Да».</p>"
                "</article></body></html>")


def read_with_skazal(html: str) -> dict:
    from skazal.reading.html_page import read_html

    article = read_html(html)
    return {"title": article.title, "published": article.published, "body": article.body}


def read_with_trafilatura(html: str) -> dict:
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if document is None:
        return {"title": None, "published": None, "body": ""}
    return {"title": document.title, "published": document.date, "body": document.text or ""}


def extract_with_skazal(html: str) -> dict:
    import skazal

    page = skazal.extract(html)
    return {"title": page.title, "published": page.article.published, "body": page.body}


def extract_with_trafilatura_and_natasha(html: str) -> dict:
    from natasha import Doc

    from skazal.nlp import models  # the same natasha models, loaded once

    document = read_with_trafilatura(html)
    doc = Doc(document["body"])
    doc.segment(models().segmenter)
    doc.tag_ner(models().ner_tagger)
    for span in doc.spans:
        span.normalize(models().morph_vocab)
    return document


TOOLS: dict[str, Callable[[str], dict]] = {
    "skazal": read_with_skazal,
    "trafilatura": read_with_trafilatura,
    "skazal-pipeline": extract_with_skazal,
    "trafilatura+natasha": extract_with_trafilatura_and_natasha,
}
PAIRS = {False: ("skazal", "trafilatura"), True: ("skazal-pipeline", "trafilatura+natasha")}


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    return scorer


def load_pages() -> list[tuple[str, dict, str]]:
    """(gold set name, gold document, decoded page) for every page of the HTML gold sets."""
    from skazal.reading.decode import decode_page

    pages = []
    for gold_file in GOLD_SETS:
        for line in gold_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                gold = json.loads(line)
                html = decode_page((gold_file.parent / gold["file"]).read_bytes())
                pages.append((gold_file.parent.name, gold, html))
    return pages


def measure(name: str) -> dict:
    """Run one tool once over all pages, first seen, and score its output."""
    read = TOOLS[name]
    pages = load_pages()
    read(WARM_UP_PAGE)  # imports and lazily built models, not the pages' words
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started = time.perf_counter(), time.process_time()
    outputs = [read(html) for _, _, html in pages]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "tool": name,
        "pages": len(pages),
        "pages_per_second": len(pages) / elapsed,
        "pages_per_cpu_second": len(pages) / cpu,
        "peak_rss_mb": peak_kb / 1024,
        "baseline_rss_mb": baseline_kb / 1024,
        "scores": score(pages, outputs),
    }


def score(pages: list[tuple[str, dict, str]], outputs: list[dict]) -> dict:
    scorer = load_scorer()
    by_set: dict[str, dict[str, list[float]]] = {}
    for (gold_set, gold, _), output in zip(pages, outputs):
        figures = by_set.setdefault(gold_set, {"body_f1": [], "title_accuracy": [], "date_accuracy": []})
        if gold.get("body"):
            figures["body_f1"].append(scorer.token_f1(scorer.tokens(output["body"]), scorer.tokens(gold["body"])))
        if gold.get("title"):
            figures["title_accuracy"].append(
                scorer.token_f1(scorer.tokens(output["title"]), scorer.tokens(gold["title"])) >= 0.9
            )
        if gold.get("published"):
            figures["date_accuracy"].append(str(output["published"] or "")[:10] == gold["published"][:10])
    return {
        gold_set: {metric: sum(values) / len(values) for metric, values in figures.items() if values}
        for gold_set, figures in by_set.items()
    }


def run_in_subprocess(name: str) -> dict:
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, __file__, "--tool", name]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    return json.loads(done.stdout)


def runs_alternated(names: tuple[str, str], repeat: int) -> list[list[dict]]:
    """`repeat` fresh runs of each tool, ours first in odd rounds and theirs first in even ones, so
    that a change in the machine's load falls on both."""
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for round_ in range(repeat):
        for name in names if round_ % 2 == 0 else reversed(names):
            runs[name].append(run_in_subprocess(name))
    return [runs[name] for name in names]


def median_run(runs: list[dict]) -> dict:
    """The figures of the runs, each the median of its runs (the scores are the same in every run)."""
    figures = {key: statistics.median(run[key] for run in runs) for key in MEASURED}
    return {**runs[0], **figures, "runs": len(runs)}


MEASURED = ("pages_per_second", "pages_per_cpu_second", "peak_rss_mb", "baseline_rss_mb")


def report(ours_runs: list[dict], theirs_runs: list[dict]) -> str:
    ours, theirs = median_run(ours_runs), median_run(theirs_runs)
    ratios = [a["pages_per_cpu_second"] / b["pages_per_cpu_second"] for a, b in zip(ours_runs, theirs_runs)]
    lines = [
        f"{len(ours['scores'])} gold sets, {ours['pages']} first-seen pages, medians of {ours['runs']} fresh "
        f"processes per tool, alternated",
        f"pages per CPU second, ratio run by run: {', '.join(f'{r:.2f}' for r in ratios)}",
        "",
    ]
    lines.append(f"{'':34}{ours['tool']:>22}{theirs['tool']:>22}{'ratio':>10}")
    rows = (
        ("pages/s", "pages_per_second"),
        # on a machine shared with other work the wall clock counts their time too
        ("pages per CPU second", "pages_per_cpu_second"),
        ("peak RSS, MB", "peak_rss_mb"),
        ("RSS after warm-up, MB", "baseline_rss_mb"),
    )
    for label, key in rows:
        lines.append(f"{label:34}{ours[key]:22.1f}{theirs[key]:22.1f}{ours[key] / theirs[key]:10.2f}")
    for gold_set, figures in ours["scores"].items():
        for metric, value in figures.items():
            other = theirs["scores"][gold_set][metric]
            lines.append(f"{gold_set + ' ' + metric:34}{value:22.3f}{other:22.3f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per tool (default 3)")
    parser.add_argument("--pipeline", action="store_true", help="compare the full pipelines, not the readers")
    parser.add_argument("--tool", choices=sorted(TOOLS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tool:
        print(json.dumps(measure(args.tool)))
        return
    print(report(*runs_alternated(PAIRS[args.pipeline], args.repeat)))


if __name__ == "__main__":
    main()
