"""The LLM judge: verdicts filter records, a column carries the score, a failing judge ends the run
with what was made, bad settings are one sentence; the bundled model judges through a real server."""

from __future__ import annotations

import json
import math
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fake_servers import FakeService
from fakes import FakeBackend

from synth_gradio.backends.base import Capabilities, Completion, CompletionRequest
from synth_gradio.backends.config import BackendConfig
from synth_gradio.backends.http import RetryPolicy
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.cli import main
from synth_gradio.engine.judge import Judge
from synth_gradio.engine.judge_prompt import DEFAULT_CRITERIA
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import BackendError, InputError
from synth_gradio.quality.judging import read_verdict, verdict_score
from synth_gradio.schema.model import load_schema
from synth_gradio.studio.judging import JudgeSettings
from tests.llama_process import llama_server

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = load_schema(
    {
        "title": "Author bios",
        "type": "object",
        "properties": {"bio": {"type": "string", "minLength": 5, "description": "a short author bio"}},
        "required": ["bio"],
    }
)


def bios(*words: str) -> list[str]:
    return [json.dumps({"bio": f"{w} author number {i}."}) for i, w in enumerate(words)]


def verdict(consistency: int, realism: int, reason: str = "Reads like a real bio.") -> str:
    return json.dumps({"reason": reason, "consistency": consistency, "realism": realism})


class ScriptedJudge:
    """A judge backend that answers from the record it is shown (`answer(record) -> text`)."""

    kind = "scripted"
    model = "rules"

    def __init__(self, answer: Callable[[dict[str, Any]], str | Exception]) -> None:
        self.answer = answer
        self.requests: list[CompletionRequest] = []
        self.capabilities = Capabilities(constrained=True)

    def complete(self, request: CompletionRequest) -> list[Completion]:
        self.requests.append(request)
        out = []
        for suffix in request.suffixes:
            record = json.loads(suffix.split("Record: ", 1)[1].split("\nVerdict:", 1)[0])
            answer = self.answer(record)
            if isinstance(answer, Exception):
                raise answer
            out.append(Completion(text=answer, tokens=12, prompt_tokens=30))
        return out

    def close(self) -> None:
        pass


def by_word(record: dict[str, Any]) -> str:
    """5/5 for a "good" bio, 1/2 for a "bad" one."""
    return verdict(5, 5) if record["bio"].startswith("good") else verdict(1, 2, "The bio contradicts itself.")


# ----- (a) fake backends ------------------------------------------------------------------------------
def test_low_scores_are_rejected_high_ones_pass_with_the_column_and_counted() -> None:
    judge = Judge(ScriptedJudge(by_word), threshold=0.5, column="judge_score")
    request = GenerationRequest(schema=SCHEMA, n=3, seed=1, batch_size=5, judge=judge)
    results = list(generate(request, FakeBackend(bios("good", "bad", "good", "bad", "good"), max_batch=5)))
    last = results[-1]
    accepted = [r for res in results for r in res.accepted]
    rejected = [r for res in results for r in res.rejected]
    assert last.status == "completed" and len(accepted) == 3
    assert all(r["bio"].startswith("good") and r["judge_score"] == 1.0 for r in accepted)
    assert [r.reason for r in rejected] == ["judge: The bio contradicts itself (score 0.12)"] * 2
    assert last.reject_counts == {"judge": 2}
    stats = judge.stats()
    assert stats["checked"] == 5 and stats["passed"] == 3 and stats["rejected"] == 2
    assert stats["mean_score"] == 0.65 and stats["threshold"] == 0.5
    assert stats["backend"] == "scripted" and stats["mean_ratings"]["consistency"] == round((15 + 2) / 5, 3)


def test_without_a_column_the_record_is_unchanged() -> None:
    judge = Judge(ScriptedJudge(by_word))
    results = list(generate(GenerationRequest(schema=SCHEMA, n=1, seed=1, judge=judge), FakeBackend(bios("good"))))
    assert results[-1].accepted == [{"bio": "good author number 0."}]


def test_the_prompt_shows_the_rubric_examples_and_the_record_and_asks_for_a_verdict_grammar() -> None:
    backend = ScriptedJudge(by_word)
    Judge(backend).judge(SCHEMA, {"bio": "good author number 1."})
    request = backend.requests[0]
    assert "1-star rating with a review that raves" in request.prefix  # the few-shot examples
    assert all(what in request.prefix for what in DEFAULT_CRITERIA.values())
    assert request.prefix.endswith("Data: Author bios. Fields: bio (a short author bio).\n")
    assert request.suffixes == ['Record: {"bio": "good author number 1."}\nVerdict: ']
    props = request.json_schema["properties"]
    assert list(props) == ["reason", "consistency", "realism"] and props["realism"]["enum"] == [1, 2, 3, 4, 5]
    assert request.params.temperature == 0.0

    text = ScriptedJudge(by_word)
    Judge(text, rubric="Bios must name a real university.").judge(SCHEMA, {"bio": "good author number 1."})
    assert "Bios must name a real university." in text.requests[0].prefix
    assert DEFAULT_CRITERIA["realism"] not in text.requests[0].prefix

    named = ScriptedJudge(lambda r: json.dumps({"reason": "Clear.", "tone": 4, "facts": 2}))
    judged = Judge(named, rubric='{"criteria": {"tone": "sounds like a publisher", "facts": "dates are plausible"}}')
    result = judged.judge(SCHEMA, {"bio": "good author number 1."})
    assert list(named.requests[0].json_schema["properties"]) == ["reason", "tone", "facts"]
    assert "raves" not in named.requests[0].prefix  # examples rated on other criteria would mislead
    assert result.ratings == {"tone": 4.0, "facts": 2.0} and result.score == 0.5 and result.passed


def test_garbage_is_asked_again_once_then_a_clear_backend_error() -> None:
    record = {"bio": "good author number 1."}
    once = FakeBackend(["no verdict here", verdict(4, 4)])
    judge = Judge(once)
    result = judge.judge(SCHEMA, record)
    assert result.score == 0.75 and judge.stats()["retried"] == 1
    assert [r.params.temperature for r in once.requests] == [0.0, 0.7]  # the retry samples

    twice = FakeBackend(["no verdict here", json.dumps({"reason": "ok", "consistency": 9, "realism": 2})])
    with pytest.raises(BackendError) as caught:
        Judge(twice).judge(SCHEMA, record)
    message = str(caught.value)
    assert message.startswith("the judge returned no usable verdict for a record, twice")
    assert "'consistency' rating is not a number from 1 to 5" in message and "stronger judge model" in caught.value.hint

    cut = FakeBackend([Completion(text='{"reason": "Lon', finish_reason="length")] * 2)
    with pytest.raises(BackendError, match="cut off at the token limit"):
        Judge(cut).judge(SCHEMA, record)


def test_an_unreachable_judge_server_raises_the_backends_own_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens here
    backend = OpenAICompatBackend(
        model="judge", base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-secret-judge-key-123", retry=RetryPolicy(1)
    )
    with pytest.raises(BackendError) as caught:
        Judge(backend).judge(SCHEMA, {"bio": "good author number 1."})
    assert "not reachable" in str(caught.value) and caught.value.hint
    assert "sk-secret" not in str(caught.value) + caught.value.hint
    backend.close()


def test_a_judge_failing_mid_run_fails_the_run_and_keeps_the_records(studio) -> None:
    calls = []

    def flaky(record: dict[str, Any]) -> str | Exception:
        calls.append(record)
        if len(calls) > 3:
            return BackendError("judge server went away", kind="unreachable", hint="Start the judge server.")
        return verdict(5, 5)

    judge = JudgeSettings(backend=ScriptedJudge(flaky), column="judge_score")
    request = GenerationRequest(schema=SCHEMA, n=10, seed=1, batch_size=2)
    results = list(studio.run(request, FakeBackend(bios(*["good"] * 30), max_batch=2), judge=judge))
    last = results[-1]
    assert last.status == "failed" and last.achieved < 10
    assert last.error.startswith("the judge failed: judge server went away (Start the judge server.)")
    assert f"the {last.achieved} records made so far are kept" in last.error
    stored = studio.records(last.run_id)
    assert len(stored) == last.achieved == studio.get_run(last.run_id)["achieved"] >= 3
    assert [r["judge_score"] for r in stored[:3]] == [1.0, 1.0, 1.0]


def test_a_threshold_of_1_rejects_everything_and_the_run_stops_at_its_budget(studio) -> None:
    judge = JudgeSettings(backend=ScriptedJudge(lambda r: verdict(5, 4)), threshold=1.0)  # scores 0.875
    request = GenerationRequest(schema=SCHEMA, n=3, seed=1, batch_size=3, attempt_factor=2.0)
    assert request.attempt_budget() == 13  # 3 * 2, but never fewer than 10 beyond n
    results = list(studio.run(request, FakeBackend(bios(*["good"] * 13), max_batch=3), judge=judge))
    last = results[-1]
    assert last.status == "failed" and last.achieved == 0 and studio.records(last.run_id) == []
    assert last.error == (
        "stopped after 13 candidates (the attempt budget) with 0 of 3 valid unique records; "
        "top reject reasons: judge (13)"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"rubric": ""}, "the judge rubric is empty"),
        ({"rubric": "   \n "}, "the judge rubric is empty"),
        ({"rubric": 42}, "the judge rubric must be text, got int"),
        ({"rubric": "x" * 4001}, "the judge rubric has 4001 characters; keep it under 4000"),
        ({"rubric": '{"criteria": {}}'}, 'a JSON rubric needs "criteria"'),
        ({"rubric": '{"rubric": "be strict"}'}, 'a JSON rubric needs "criteria"'),
        ({"rubric": '{"criteria": ["be strict"]}'}, 'a JSON rubric needs "criteria"'),
        ({"rubric": '{"criteria": {"tone": ""}}'}, "judge criterion 'tone' needs a description"),
        ({"rubric": "{broken"}, "the judge rubric is not valid JSON"),
        ({"threshold": 1.5}, "the judge threshold must be between 0 and 1, got 1.5"),
        ({"threshold": -0.1}, "the judge threshold must be between 0 and 1, got -0.1"),
        ({"threshold": math.nan}, "the judge threshold must be between 0 and 1"),
        ({"threshold": "0.5"}, "the judge threshold must be a number between 0 and 1, got '0.5'"),
        ({"column": "judge score"}, "the judge column must be letters, digits and underscores"),
    ],
)
def test_bad_settings_are_one_input_error(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as caught:
        Judge(ScriptedJudge(by_word), **settings)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(InputError, match=message[:20]):
        JudgeSettings(**settings)


def test_a_column_named_like_a_field_is_refused_before_any_run(studio) -> None:
    request = GenerationRequest(schema=SCHEMA, n=2, seed=1)
    with pytest.raises(InputError, match="the judge column 'bio' is already a field"):
        studio.start(request, FakeBackend(bios("good", "good")), judge={"column": "bio"})
    assert studio.list_runs() == []


def test_verdict_reading_is_lenient_about_numbers_and_strict_about_range() -> None:
    names = ["consistency", "realism"]
    assert read_verdict({"consistency": "4/5", "realism": 3.0, "reason": " Fine\n bio. "}, names) == (
        {"consistency": 4.0, "realism": 3.0},
        "Fine bio.",
    )
    assert (
        read_verdict({"consistency": True, "realism": 3}, names)
        == "the 'consistency' rating is not a number from 1 to 5"
    )
    assert read_verdict({"realism": 3}, names) == "the verdict has no 'consistency' rating"
    assert verdict_score({"a": 1, "b": 1}) == 0.0 and verdict_score({"a": 3, "b": 3}) == 0.5
    assert verdict_score({"a": 5, "b": 4}) == 0.875


def test_a_remote_judge_is_stored_without_its_key_and_rerun_uses_it(studio, tmp_path: Path) -> None:
    service = FakeService("openai", models=["judge-model"])  # verdict n rates (n % 5) + 1 on both criteria
    try:
        config = BackendConfig(
            kind="openai_compat", model="judge-model", base_url=f"{service.url}/v1", api_key="sk-judge-secret-123456"
        )
        judge = JudgeSettings(backend=config, threshold=0.5, column="judge_score", rubric="Bios sound real.")
        request = GenerationRequest(schema=SCHEMA, n=3, seed=1, batch_size=2)
        last = list(studio.run(request, FakeBackend(bios(*["good"] * 12), max_batch=2), judge=judge))[-1]
        assert last.status == "completed" and last.reject_counts["judge"] >= 1
        run = studio.get_run(last.run_id)
        assert run["params"]["judging"] == {
            "backend": {"backend": "openai_compat", "model": "judge-model", "base_url": f"{service.url}/v1"},
            "rubric": "Bios sound real.",
            "threshold": 0.5,
            "column": "judge_score",
        }
        assert "sk-judge-secret" not in json.dumps(run, default=str)
        assert service.requests[-1][2]["Authorization"] == "Bearer sk-judge-secret-123456"
        assert run["schema"]["properties"]["judge_score"]["x-judge"] is True
        assert [f.name for f in studio.stored_request(run).schema.fields] == ["bio"]  # never generated
        scores = [r["judge_score"] for r in studio.records(last.run_id)]
        assert len(scores) == 3 and all(0.5 <= s <= 1.0 for s in scores)
        out = tmp_path / "judged.csv"
        studio.export(last.run_id, out)
        assert out.read_text().splitlines()[0] == "bio,judge_score"

        asked = len(service.chat_requests())
        handle = studio.rerun(last.run_id, FakeBackend(bios(*["fine"] * 12), max_batch=2))
        again = list(handle.results)[-1]
        assert again.status == "completed" and len(service.chat_requests()) > asked
        assert studio.get_run(handle.run_id)["params"]["judging"] == run["params"]["judging"]
        assert all("judge_score" in r for r in studio.records(handle.run_id))
    finally:
        service.close()


def test_cli_judge_settings_out_of_range_exit_2_with_one_sentence(tmp_path: Path, capsys) -> None:
    schema = tmp_path / "bio.json"
    schema.write_text(json.dumps(SCHEMA.json_schema))
    base = ["--db", str(tmp_path / "h.db"), "generate", "--schema", str(schema), "-n", "2", "--quiet"]
    with pytest.raises(SystemExit) as caught:
        main([*base, "--judge", "--judge-threshold", "2"])
    err = capsys.readouterr().err
    assert caught.value.code == 2 and "argument --judge-threshold: must be between 0 and 1, got 2" in err
    assert "Traceback" not in err
    for extra, message in [
        (["--judge-rubric", "@" + str(tmp_path / "missing.txt")], "error: rubric file not found"),
        (["--judge-rubric", " "], "error: the judge rubric is empty"),
        (["--judge", "--judge-column", "bio"], "error: the judge column 'bio' is already a field"),
    ]:
        assert main([*base, *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith(message) and err.count("\n") == 1, err


# ----- (b) the bundled model ----------------------------------------------------------------------------
REVIEWS = load_schema(
    {
        "title": "Restaurant reviews",
        "description": "Reviews that diners left for restaurants.",
        "type": "object",
        "properties": {
            "restaurant": {"type": "string", "description": "the restaurant's name"},
            "stars": {"type": "integer", "minimum": 1, "maximum": 5, "description": "the diner's rating"},
            "review": {"type": "string", "description": "the diner's own review, in the first person"},
        },
        "required": ["restaurant", "stars", "review"],
    }
)
JUDGED = [
    {"restaurant": "Luigi's Trattoria", "stars": 5, "review": "The best carbonara I have had outside Rome. We will be back."},
    {"restaurant": "Golden Dragon", "stars": 1, "review": "Wonderful evening, every dish was perfect and the service outstanding!"},
    {"restaurant": "The Corner Bistro", "stars": 2, "review": "Cold soup and a forty minute wait for the mains. Not going back."},
    {"restaurant": "Sushi Kan", "stars": 4, "review": "Thank you for your feedback! We are sorry about your visit and hope to see you again."},
]  # fmt: skip


@pytest.fixture(scope="module")
def llama_server_url():
    with llama_server() as url:
        yield url


@pytest.mark.model
def test_the_bundled_model_judges_through_an_openai_compatible_server(llama_server_url: str) -> None:
    backend = OpenAICompatBackend(model="gemma-270m", base_url=llama_server_url, concurrency=1)
    judge = Judge(backend, threshold=0.5)
    try:
        verdicts = [judge.judge(REVIEWS, record) for record in JUDGED]
    finally:
        backend.close()
    for v in verdicts:
        assert 0.0 <= v.score <= 1.0 and v.passed == (v.score >= 0.5)
        assert set(v.ratings) == {"consistency", "realism"} and all(1 <= r <= 5 for r in v.ratings.values())
        assert v.reason and "\n" not in v.reason
    stats = judge.stats()
    assert stats["checked"] == len(JUDGED) and stats["backend"] == "openai_compat" and stats["mean_s"] > 0


@pytest.mark.model
def test_a_local_run_judged_by_the_bundled_model_on_its_own_context(studio) -> None:
    """The streamed local run holds its context's cells while a record is judged: the judge needs its own."""
    source = studio.resolve_schema(template="product_reviews")
    request = GenerationRequest(schema=source.schema, n=3, seed=7, batch_size=4, attempt_factor=6.0)
    judge = JudgeSettings(threshold=0.0, column="judge_score")  # same backend config as generation; keep all
    results = list(studio.run(request, studio.backend_config("llamacpp"), judge=judge))
    last = results[-1]
    assert last.status == "completed", last.error
    records = studio.records(last.run_id)
    assert len(records) == 3 and all(0.0 <= r["judge_score"] <= 1.0 for r in records)
    assert "judge" not in last.reject_counts  # a threshold of 0 keeps every judged record
