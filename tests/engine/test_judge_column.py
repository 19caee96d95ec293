"""A judge's export column never hides a duplicate and never reaches the prompt's examples."""

from __future__ import annotations

import json
from dataclasses import dataclass

from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.model import load_schema
from tests.fakes import FakeBackend


@dataclass
class Verdict:
    passed: bool
    score: float
    reason: str = "fine"


class ScoringJudge:
    column = "judge_score"

    def judge(self, schema, record):
        return Verdict(True, 0.75)

    def stats(self) -> dict:
        return {"checked": 0, "passed": 0, "mean_score": 0.75}


def test_duplicates_are_rejected_and_examples_stay_clean_with_a_judge_column() -> None:
    schema = load_schema(
        {
            "type": "object",
            "properties": {"note": {"type": "string", "description": "an account note", "minLength": 5}},
            "required": ["note"],
        }
    )
    same = json.dumps({"note": "Renewal moved to March after the budget review."})
    other = json.dumps({"note": "Asked for invoices in euros from the next quarter."})
    backend = FakeBackend([same, same, same, other], max_batch=4)
    request = GenerationRequest(schema=schema, n=2, seed=1, batch_size=4, judge=ScoringJudge())
    results = list(generate(request, backend))
    records = [r for res in results for r in res.accepted]
    assert [r["note"][:7] for r in records] == ["Renewal", "Asked f"] and all(r["judge_score"] == 0.75 for r in records)
    assert results[-1].reject_counts["duplicate record"] == 1
