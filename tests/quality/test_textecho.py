"""Prompt echo: the brief, the field guide, talk about the value, or another field's value written into
a text (quality/textecho.py), checked on schemas the check was not written for."""

from __future__ import annotations

from synth_gradio.engine.prompts import guide_texts
from synth_gradio.quality.textecho import Echo
from synth_gradio.schema.model import load_schema

JOBS = load_schema(
    {
        "title": "Job posting",
        "description": "A job advertisement published by a company on a job board.",
        "type": "object",
        "properties": {
            "company": {"type": "string", "maxLength": 60, "description": "the hiring company"},
            "title": {"type": "string", "maxLength": 60, "description": "the job title"},
            "location": {"type": "string", "maxLength": 60, "description": "where the job is based, e.g. Berlin"},
            "seniority": {"type": "string", "enum": ["junior", "senior"]},
            "description": {"type": "string", "maxLength": 600, "description": "the role, written by the employer"},
        },
    }
)
VISIT = load_schema(
    {
        "title": "Clinical visit",
        "type": "object",
        "properties": {
            "department": {"type": "string", "enum": ["emergency", "cardiology"]},
            "reason": {"type": "string", "maxLength": 80, "description": "the reason for the visit in a few words"},
            "note": {"type": "string", "maxLength": 500, "description": "a note written by the treating clinician"},
            "home_city": {"type": "string", "maxLength": 40},
            "work_city": {"type": "string", "maxLength": 40},
        },
    }
)
BRIEF = "a happy, tech-savvy customer; short"


def echo(schema, allowed: str = "") -> Echo:
    free = [f.name for f in schema.fields if f.schema.get("type") == "string" and "enum" not in f.schema]
    labels = [f.name for f in schema.fields if "enum" in f.schema]
    return Echo(guide_texts(schema), free, labels, allowed)


def test_the_brief_copied_into_a_text_is_an_echo() -> None:
    check = echo(JOBS)
    job = {"company": "Hayes Ltd", "title": "Data Engineer", "location": "Leeds", "description": "We build maps."}
    assert "brief" in check.problem({**job, "title": "Happy, tech-savvy"}, BRIEF)  # nothing but the brief
    assert "brief" in check.problem({**job, "description": "As a happy tech-savvy customer, apply."}, BRIEF)
    assert check.problem(job, BRIEF) is None
    # one brief word in a real text is no echo
    assert check.problem({**job, "description": "You are tech-savvy and happy to mentor juniors."}, BRIEF) is None


def test_the_field_guide_or_a_description_copied_is_an_echo() -> None:
    check = echo(JOBS)
    job = {"company": "Hayes Ltd", "title": "Data Engineer", "location": "Leeds", "description": "We build maps."}
    assert "description copied" in check.problem({**job, "title": "The job title"})
    assert "guide" in check.problem({**job, "description": "A job advertisement published by a company."})
    assert check.problem({**job, "location": "Berlin"}) is None  # a description's own example is a value
    assert check.problem({**job, "title": "Head of the Data Team"}) is None


def test_talk_about_the_value_is_an_echo() -> None:
    check = echo(VISIT)
    visit = {"department": "emergency", "reason": "chest pain", "note": "Pt seen, ECG normal, sent home."}
    assert "talk about" in check.problem({**visit, "reason": "A short explanation of the visit"})
    assert "talk about" in check.problem({**visit, "note": "Patient seen today, one or two lines."})
    assert check.problem({**visit, "note": "Two lines of sutures placed on the left forearm."}) is None
    assert check.problem(visit) is None


def test_another_fields_value_copied_is_an_echo_but_labels_and_alike_fields_may_share() -> None:
    jobs = echo(JOBS)
    job = {"company": "Hayes, Wilson and Fuller", "title": "Hayes, Wilson & Fuller", "location": "Leeds"}
    assert "copied" in jobs.problem({**job, "description": "We build maps."})
    visits = echo(VISIT)
    visit = {"department": "emergency", "reason": "Emergency", "note": "Pt seen, ECG normal, sent home."}
    assert visits.problem(visit) is None  # the text may name its category
    assert visits.problem({**visit, "reason": "chest pain", "home_city": "Leeds", "work_city": "Leeds"}) is None


def test_what_the_schema_itself_gives_is_never_an_echo() -> None:
    check = echo(JOBS, allowed='[{"title": "The job title"}]')
    job = {"company": "Hayes Ltd", "title": "The job title", "location": "Leeds", "description": "We build maps."}
    assert check.problem(job) is None


def test_the_run_score_counts_echoes_as_junk() -> None:
    from synth_gradio.quality.textcheck import text_agreement

    schema = JOBS.json_schema
    records = [
        {"company": f"Firm {i}", "title": f"Firm {i}" if i % 4 == 0 else "Data Engineer", "seniority": "junior",
         "location": "Leeds", "description": f"We build routing software for {i} vans and need help."}
        for i in range(40)
    ]  # fmt: skip
    columns = {name: [r[name] for r in records] for name in records[0]}
    result = text_agreement(columns, schema)
    assert result["rates"]["clean"] == 0.75
    assert any("copied" in s for s in result["sentences"])


def test_a_short_text_of_the_schema_s_own_words_says_nothing() -> None:
    from synth_gradio.quality.textecho import Echo

    check = Echo(
        ["Loan application", "the loan officer's short comment on the decision", "Each record differs from the others"],
        ["comment"],
        said=["Loan application", "the loan officer's short comment on the decision"],
    )
    for empty in ("the loan officer", "the loan officer wrote the text", "loan officer who wrote this brief/commented"):
        assert "own words" in check.problem({"comment": empty})
    assert check.problem({"comment": "Rejected: income too low for the amount asked."}) is None
    assert check.problem({"comment": "Other text here"}) is None  # our instructions' words are no schema's
