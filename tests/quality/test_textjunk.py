"""Junk in model-written strings: short entity values (names, places) and prose (quality/textjunk.py)."""

from __future__ import annotations

import pytest

from synth_gradio.quality.textjunk import closing_junk, junk_problem


@pytest.mark.parametrize(
    "value",
    [
        "(String),",  # the field guide's type word written back as a product name
        "iPhone 12 [string]",
        "The Apple Store at #2",  # a "#2" fragment
        "Acme Corp,",  # ends on a joining mark
        "Smith &",
        "Apple Store -",
        ", Inc",  # starts on one
        "- Spotify",
        ") Galaxy S10",
        "Galaxy S10 (128 GB",  # a bracket left open
        "Galaxy S10 128 GB)",  # closed before it was opened
        "\u201cBest Buy",  # a curly quote left open
        "\u2018Quoted name",
        'The "Deluxe edition',  # a straight quote left open
        "Bank of",  # cut after a function word
        "Stand {",
    ],
)
def test_short_entity_values_with_fragments_are_junk(value: str) -> None:
    assert junk_problem(value, short=True), value


@pytest.mark.parametrize(
    "value",
    [
        "O'Brien & Sons",
        "O\u2019Brien & Sons",  # a curly apostrophe is no open quote
        "Caf\u00e9 Rouge",
        "Model 3",
        '5" screen',  # an inch mark, not a quote
        'Samsung 55" QLED TV',
        'The "Deluxe" edition',
        "New York, NY",
        "Plan A",  # a capital letter is a name, not a cut article
        "Vitamin A",
        ".NET Developer",
        "Yahoo!",
        "Acme Inc.",
        "Wi-Fi Extender (2-pack)",
        "\u201cThe Office\u201d box set",
        "Remote",
        "AT&T",
        "Procter & Gamble",
    ],
)
def test_legitimate_entity_values_pass(value: str) -> None:
    assert junk_problem(value, short=True) is None, junk_problem(value, short=True)


def test_prose_keeps_its_own_rules() -> None:
    assert junk_problem("I love the (String) version, it works.")  # a type word anywhere
    assert junk_problem("It said \u201cerror 500 and stopped.")  # a curly quote left open
    assert junk_problem("Works fine, but the case is thin;") is None  # prose may end on a mark (tidied)
    assert junk_problem("The #2 pencil I ordered arrived broken.") is None  # "#2" is fine in prose
    assert junk_problem("Seen today; error_reporting_note-hospital 2015 on error_reporting_notes.")
    assert junk_problem("Seen today; error_reporting_note filed.", allowed="a note_id such as note_a_1") is None
    assert junk_problem("Store #2 on Main Street", short=True, allowed='"examples": ["Store #14"]') is None
    assert junk_problem("critical critical critical critical urgent") == "a word repeated ('critical' 4 times in a row)"
    assert junk_problem("No no no, not again: it is very very slow.") is None  # people repeat a word or two


def test_a_value_is_kept_open_while_ending_it_would_be_junk() -> None:
    # `text` as written inside the JSON string: a straight quote is escaped
    assert closing_junk("Galaxy S10 (128 GB")
    assert closing_junk("\u201cBest Buy")
    assert closing_junk('The \\"Deluxe edition')
    assert closing_junk("Acme Corp,") and closing_junk("Smith &") and closing_junk("Store (")
    assert closing_junk("Apple -", short=True) and not closing_junk("Apple -")  # prose: a dash is a pause
    assert not closing_junk('The \\"Deluxe\\" edition')
    assert not closing_junk('5\\" screen')
    assert not closing_junk("New York, NY") and not closing_junk("O'Brien & Sons")


def test_a_patterns_regex_syntax_does_not_make_braces_wording() -> None:
    from synth_gradio.quality.textcheck import schema_wording

    schema = {"properties": {"version": {"type": "string", "pattern": "^[0-9]{1,2}$"}, "app": {"type": "string"}}}
    assert junk_problem("iPhone {1, 2, 3", short=True, allowed=schema_wording(schema))
    assert closing_junk("iPhone {1, 2, 3")


@pytest.mark.parametrize("value", ["+1-555-123-4567", "+44 20 7946 0958", "Senior C++ Developer", "Ages 18+"])
def test_numbers_and_words_with_plus_signs_are_not_fragments(value: str) -> None:
    assert junk_problem(value, short=True) is None
