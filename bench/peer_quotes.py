"""skazal's quotes beside a peer's, on the same gold sets and the same article bodies.

The peer is direct-speech-extractor-ru (github.com/diana-esaian/direct-speech-extractor-ru), which
finds dash and «» direct speech by regular expressions and names no speaker. Its code is not part
of skazal: point this script at a checkout of it.

    python bench/peer_quotes.py PEER_DIR        # or PEER_DIR=... python bench/peer_quotes.py

Both systems read the same body: each gold page is read with skazal's reader and the peer runs on
that body. The peer's quotes are written in the scorer's format (kind "direct", no speaker) and
scored with ../shared/eval/score.py --outputs; skazal is scored with score.py --cmd.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path

from skazal.reading import read_page

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLD_SETS = {
    "dev": SHARED / "eval" / "dev" / "gold.jsonl",
    "html-modern": SHARED / "corpus" / "html-modern" / "gold.jsonl",
}
FIGURES = (
    "quote_p", "quote_r", "quote_f1", "quote_strict_f1", "speaker_accuracy", "attributed_f1",
    "recall_direct", "recall_mixed", "recall_indirect",
)


def load_peer(peer_dir: Path) -> Callable[[str], list[str]]:
    """The peer's direct speech finder, imported from its checkout."""
    package = peer_dir / "direct_speech_extractor_ru"
    if not (package / "main.py").exists():
        sys.exit(f"peer_quotes: no direct_speech_extractor_ru/main.py under {peer_dir}; pass the peer's checkout")
    # The peer imports pandas at the top of main.py but never calls it.
    if importlib.util.find_spec("pandas") is None:
        sys.modules["pandas"] = types.ModuleType("pandas")
    sys.path.insert(0, str(peer_dir))
    extractor = importlib.import_module("direct_speech_extractor_ru").Extractor
    return lambda body: extractor(body).direct_speech()


def peer_quotes(find: Callable[[str], list[str]], body: str) -> tuple[list[dict], bool]:
    """The peer's quotes of one body in the scorer's format, and whether the peer failed on it."""
    try:
        found = find(body)
    except (IndexError, re.error):
        return [], True
    return [{"kind": "direct", "text": text.strip(), "speaker": None} for text in found if text.strip()], False


def write_peer_outputs(gold: Path, find: Callable[[str], list[str]], out: Path) -> int:
    """Run the peer on every gold document's body; returns how many documents it failed on."""
    failures = 0
    with out.open("w", encoding="utf-8") as lines:
        for line in gold.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            document = json.loads(line)
            body = read_page((gold.parent / document["file"]).read_bytes()).body
            quotes, failed = peer_quotes(find, body)
            failures += failed
            lines.write(json.dumps({"quotes": quotes}, ensure_ascii=False) + "\n")
    return failures


def score(gold: Path, *source: str) -> dict[str, float]:
    scorer = SHARED / "eval" / "score.py"
    run = subprocess.run(
        [sys.executable, str(scorer), str(gold), *source, "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("peer_dir", nargs="?", default=os.environ.get("PEER_DIR"), help="checkout of the peer")
    parser.add_argument("--out", type=Path, help="folder for the peer's JSON Lines (default: a temporary one)")
    args = parser.parse_args()
    if not args.peer_dir:
        parser.error("give the peer's checkout as an argument or in PEER_DIR")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    find = load_peer(Path(args.peer_dir))
    out = args.out or Path(tempfile.mkdtemp(prefix="peer-quotes-"))
    out.mkdir(parents=True, exist_ok=True)
    skazal_cmd = shlex.join([sys.executable, "-m", "skazal.cli", "extract", "--format", "jsonl"])
    for name, gold in GOLD_SETS.items():
        peer_out = out / f"peer-{name}.jsonl"
        failures = write_peer_outputs(gold, find, peer_out)
        peer, ours = score(gold, "--outputs", str(peer_out)), score(gold, "--cmd", skazal_cmd)
        print(f"\n{name}: {peer['documents']} documents ({gold}); peer failed on {failures}")
        print(f"{'figure':18} {'peer':>6} {'skazal':>7}")
        for figure in FIGURES:
            if figure in ours:
                print(f"{figure:18} {peer.get(figure, 0.0):6.3f} {ours[figure]:7.3f}")
    print(f"\npeer outputs: {out}")


if __name__ == "__main__":
    main()
