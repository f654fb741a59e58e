"""The learned speaker ranker: a logistic model over candidate features, shipped as JSON.

`scripts/train-speaker-ranker` fits it on the shared gold sets and writes
`skazal/data/speaker_ranker.json` (the weight of each feature, readable as evidence for or
against a candidate); here it is only loaded, once, and applied.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from skazal.quotes.candidates import Candidate
from skazal.quotes.found import Found

MODEL_FILE = "speaker_ranker.json"

# Given a quote and its candidates, the one who said it.
Chooser = Callable[[Found, Sequence[Candidate]], Candidate]


@dataclass(frozen=True)
class SpeakerRanker:
    weights: dict[str, float]
    bias: float = 0.0

    def score(self, candidate: Candidate) -> float:
        return self.bias + sum(self.weights.get(name, 0.0) * value for name, value in candidate.features.items())

    def __call__(self, found: Found, candidates: Sequence[Candidate]) -> Candidate:
        """The best-scoring candidate; ties go to the earlier one (nobody first, then the rules' answer)."""
        return max(candidates, key=self.score)

    def to_json(self) -> str:
        weights = {name: round(value, 6) for name, value in sorted(self.weights.items())}
        return json.dumps({"bias": round(self.bias, 6), "weights": weights}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SpeakerRanker:
        raw = json.loads(text)
        return cls(weights={k: float(v) for k, v in raw["weights"].items()}, bias=float(raw.get("bias", 0.0)))


@cache
def speaker_ranker() -> SpeakerRanker:
    """The shipped model, loaded once per process."""
    return SpeakerRanker.from_json(resources.files("skazal.data").joinpath(MODEL_FILE).read_text(encoding="utf-8"))


def rules_choice(found: Found, candidates: Sequence[Candidate]) -> Candidate:
    """The rules' own answer among the candidates (the baseline the model is measured against)."""
    return next((c for c in candidates if c.features.get("by_rules")), candidates[0])
