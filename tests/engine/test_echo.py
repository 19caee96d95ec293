"""A run rejects text that echoes its prompt or another field, and keeps going to exactly N."""

from __future__ import annotations

import json

from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.model import load_schema
from tests.fakes import FakeBackend

JOB = {
    "title": "Job posting",
    "type": "object",
    "properties": {
        "company": {"type": "string", "maxLength": 60, "description": "the hiring company", "x-strategy": "model"},
        "title": {"type": "string", "maxLength": 60, "description": "the job title"},
        "description": {"type": "string", "maxLength": 600, "description": "the role, as the employer wrote it"},
    },
    "required": ["company", "title", "description"],
}


def test_echoes_are_rejected_with_their_reason_and_the_run_makes_exactly_n() -> None:
    texts = [
        {"company": "Hayes, Wilson and Fuller", "title": "Hayes, Wilson and Fuller", "description": "We ship maps."},
        {"company": "Northwind", "title": "The job title", "description": "We build routing software for vans."},
        {"company": "Acme", "title": "Data Engineer", "description": "The role, as the employer wrote it, in one or two lines."},
        {"company": "Globex", "title": "Site Reliability Engineer", "description": "Keep our payment APIs up at night."},
        {"company": "Initech", "title": "Product Designer", "description": "Shape the onboarding of a banking app."},
    ]  # fmt: skip
    backend = FakeBackend([json.dumps(t) for t in texts])
    results = list(generate(GenerationRequest(schema=load_schema(JOB), n=2, seed=1, batch_size=4), backend))
    records = [r for res in results for r in res.accepted]
    reasons = [rej.reason for res in results for rej in res.rejected]
    assert results[-1].status == "completed" and [r["company"] for r in records] == ["Globex", "Initech"]
    assert len(reasons) == 3 and all(r.startswith("echo: ") for r in reasons), reasons
    assert results[-1].reject_counts["echo"] == 3
