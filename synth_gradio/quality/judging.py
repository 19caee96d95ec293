"""Scoring an LLM judge's verdicts: reading one verdict, turning 1-5 ratings into a 0-1 score, and
counting a run's verdicts. Pure functions: the judge itself (prompt and backend call) lives in
engine/judge.py.

A verdict rates each criterion from 1 (bad) to 5 (good); its score is the mean rating mapped to
0..1, so 1 everywhere is 0.0, 3 everywhere is 0.5 and 5 everywhere is 1.0.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

LOW, HIGH = 1, 5
MAX_REASON = 160  # characters of the judge's reason that are kept
_RATING_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*5|out of 5)?\s*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def read_rating(value: Any) -> float | None:
    """A 1-5 rating from what a model wrote: 4, 4.0, "4" or "4/5"; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        match = _RATING_TEXT.match(value)
        value = float(match.group(1)) if match else None
    if not isinstance(value, int | float) or not math.isfinite(value) or not LOW <= value <= HIGH:
        return None
    return float(value)


def clean_reason(text: Any, limit: int = MAX_REASON) -> str:
    """One line of plain text, cut at `limit` characters (a verdict's reason goes into reject reasons)."""
    flat = " ".join(_CONTROL.sub(" ", str(text or "")).split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def read_verdict(data: Any, criteria: list[str]) -> tuple[dict[str, float], str] | str:
    """(ratings per criterion, reason) from a parsed verdict, or one sentence saying what is wrong."""
    if not isinstance(data, dict):
        return "the verdict is not a JSON object"
    ratings: dict[str, float] = {}
    for name in criteria:
        if name not in data:
            return f"the verdict has no {name!r} rating"
        rating = read_rating(data[name])
        if rating is None:
            return f"the {name!r} rating is not a number from {LOW} to {HIGH}"
        ratings[name] = rating
    return ratings, clean_reason(data.get("reason"))


def verdict_score(ratings: dict[str, float]) -> float:
    """The mean rating mapped to 0..1 (1 -> 0.0, 3 -> 0.5, 5 -> 1.0), rounded to 4 places."""
    if not ratings:
        return 0.0
    mean = sum(ratings.values()) / len(ratings)
    return round((mean - LOW) / (HIGH - LOW), 4)


@dataclass
class JudgeTally:
    """A run's verdicts so far: how many were checked and passed, and the mean score and ratings."""

    threshold: float
    checked: int = 0
    passed: int = 0
    retried: int = 0  # verdicts that needed a second ask (the first answer was unusable)
    score_sum: float = 0.0
    rating_sums: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    tokens: int = 0
    prompt_tokens: int = 0

    def add(self, score: float, ratings: dict[str, float], passed: bool, seconds: float = 0.0) -> None:
        self.checked += 1
        self.passed += bool(passed)
        self.score_sum += score
        for name, rating in ratings.items():
            self.rating_sums[name] = self.rating_sums.get(name, 0.0) + rating
        self.seconds += seconds

    def stats(self) -> dict[str, Any]:
        n = self.checked
        return {
            "checked": n,
            "passed": self.passed,
            "rejected": n - self.passed,
            "pass_rate": round(self.passed / n, 4) if n else None,
            "mean_score": round(self.score_sum / n, 4) if n else None,
            "mean_ratings": {k: round(v / n, 3) for k, v in self.rating_sums.items()} if n else {},
            "threshold": self.threshold,
            "retried": self.retried,
            "seconds": round(self.seconds, 3),
            "mean_s": round(self.seconds / n, 3) if n else None,
            "tokens": self.tokens,
            "prompt_tokens": self.prompt_tokens,
        }
