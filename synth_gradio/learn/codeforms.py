"""Short codes learned by their form: "C85", "PC 17599", "A/5 21171", "SKU-00412", "12B".

Why: a column of many distinct short codes was free text, written by the language model, which
wrote "E44L", "221696'," and "227160 #$$" beside real cabins and tickets: a small model copies the
look of a code, not its form. Each code is read as its form, its letters and punctuation kept and
each run of digits a slot of that many digits ("C85" -> "C{2}", "PC 17599" -> "PC {5}"). The form is
learned as a category with the other columns (decks follow the class, a ticket's prefix its
port), and a drawn form gets digits drawn within the range its real codes use in each slot.
A column qualifies where digits are in most values, its values are short, and few forms cover it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.privacy import CopyGuard

FORM = "#form:"
DIGITS = re.compile(r"\d+")
MAX_LENGTH = 24  # a longer value is prose or an address, not a code
WITH_DIGITS = 0.9  # share of values with a digit
MAX_FORMS = 0.2  # distinct forms at most this share of distinct values ...
COVER = 0.9  # ... and forms seen twice or more cover this share of values
SHARED = 2  # rows that must hold a code before it is drawn as itself
ROOM = 10  # an address's digit ranges hold at least this many times its real values
SAMPLE = 20_000  # values a column is judged on (a code column's forms and ranges then read all)
REFILLS = 20  # tries at a template's digits before a text that is always a real one is left empty
CASES = {"": str, "lower": str.lower, "upper": str.upper, "title": str.title}  # a slot's value as written
SLOT = re.compile(r"\{=([^{}|]+)(?:\|(\w+))?\}")  # another column's value in a text (templates.py)


def form_of(value: str) -> tuple[str, list[int]]:
    """The value's form ({n} for a run of n digits) and the numbers in its runs."""
    numbers = [int(m) for m in DIGITS.findall(value)]
    return DIGITS.sub(lambda m: "{" + str(len(m.group())) + "}", value.replace("{", "(").replace("}", ")")), numbers


def widen(slots: dict[str, list[list[int]]], form: str, numbers: list[int]) -> None:
    """In place: the form's digit slots widened to hold `numbers` ([lowest, highest] per slot)."""
    seen = slots.setdefault(form, [[n, n] for n in numbers])
    for slot, n in zip(seen, numbers, strict=True):
        slot[0], slot[1] = min(slot[0], n), max(slot[1], n)


def _qualifies(values: pd.Series, longest: int | None = MAX_LENGTH) -> bool:
    text = values.astype(str)
    if (longest and text.str.len().max() > longest) or text.str.contains(r"\d").mean() < WITH_DIGITS:
        return False
    forms = text.map(lambda v: form_of(v)[0])
    counts = forms.value_counts()
    return len(counts) <= MAX_FORMS * text.nunique() and counts[counts >= 2].sum() >= COVER * len(text)


def _addresses(values: pd.Series) -> bool:
    """Whether most values are emails or web addresses (codes and numbers are numbered anew instead)."""
    return bool(values.astype(str).str.contains(r"@|://", regex=True).mean() > 0.9)


def _roomy(slots: dict[str, list[list[int]]], values: pd.Series) -> bool:
    """Whether the forms' digit ranges hold ROOM times as many values as are real, so that digits
    drawn afresh soon find one no real row has."""
    room = sum(float(np.prod([high - low + 1.0 for low, high in ranges])) for ranges in slots.values())
    return room >= ROOM * values.nunique()


def _dates(values: pd.Series) -> bool:
    """Whether most values read as dates or times (an ISO time with its offset: 2024-03-01T10:00:00+01:00)."""
    parsed = pd.to_datetime(values.astype(str), errors="coerce", format="mixed", utc=True)
    return bool(parsed.notna().mean() > 0.9)


def find_forms(table: pd.DataFrame, texts: list[str], identifiers: bool = False) -> dict[str, dict[str, Any]]:
    """Per qualifying free-text column of `texts`, each form's digit slots: [lowest, highest] number seen.

    `identifiers`: the columns are emails, web addresses or other identifiers (`user61042@shop.de`,
    `https://shop26.example.com/p/1511`), of any length; their digits are drawn afresh until the
    value is no real one (`taken`), so no real person's address is written. Before, they were
    written in a generic form (`jessica44@example.com`, `http://newman.com/`) beside real ones
    of one domain and one path.
    """
    out: dict[str, dict[str, Any]] = {}
    for name in texts:
        values = table[name].dropna()
        if len(values) < 20:
            continue
        probe = values.sample(min(len(values), SAMPLE), random_state=0)
        if not _qualifies(probe, None if identifiers else MAX_LENGTH):  # prose: a sample says so
            continue
        if identifiers and (not _addresses(probe) or _dates(probe)):  # September 31 from a date's digits
            continue
        slots: dict[str, list[list[int]]] = {}
        for value in values.astype(str):
            widen(slots, *form_of(value))
        if identifiers and not _roomy(slots, values):  # R5000..R5299: every new one would be a real one
            continue
        out[str(name)] = {"slots": slots}
        if identifiers:
            out[str(name)]["taken"] = CopyGuard.build((str(v),) for v in values.unique()).to_dict()
    return out


def as_forms(table: pd.DataFrame, forms: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """`table` with each code column replaced, in place, by its form column. A code that SHARED rows
    hold (a family's cabin, a group's ticket) stays itself, so it is drawn at its rate, as a category
    value two rows share is (fit.py); a code one row holds, which could single it out, is its form."""
    if not forms:
        return table
    out = table.copy()
    for name in forms:
        counts = out[name].astype(str).value_counts()
        addresses = "taken" in forms[name]  # an email two rows share is still one person's: never kept
        shared = set() if addresses else {str(v) for v, c in counts.items() if c >= SHARED and "{" not in str(v)}
        out[name] = [None if pd.isna(v) else str(v) if str(v) in shared else form_of(str(v))[0] for v in out[name]]
    return out.rename(columns={name: f"{FORM}{name}" for name in forms})


def written_name(name: str) -> str:
    return name[len(FORM) :] if name.startswith(FORM) else name


def fill(form: str, slots: list[list[int]], rng: np.random.Generator) -> str:
    """A code of `form`: each digit slot drawn within its real range, as wide as the form says."""
    widths = iter(int(m.group()[1:-1]) for m in re.finditer(r"\{\d+\}", form))
    ranges = iter(slots)

    def digits(_: re.Match) -> str:
        width, (low, high) = next(widths), next(ranges)
        if high < 2**62:
            return f"{int(rng.integers(low, high + 1)):0{width}d}"[-width:]
        lead = str(int(rng.integers(int(str(low).zfill(width)[0]), int(str(high)[0]) + 1)))  # a card number's
        return lead + "".join(str(d) for d in rng.integers(0, 10, width - 1))  # digits past what int64 holds

    return re.sub(r"\{\d+\}", digits, form)


def fill_slots(text: str, row: Callable[[str], Any]) -> str | None:
    """A template's column slots written from the row (`row(name)` -> its value); None where a slot's
    column is empty in the row."""
    missing = False

    def value(match: re.Match) -> str:
        nonlocal missing
        found = row(match.group(1))
        if found is None or (isinstance(found, float) and np.isnan(found)):
            missing = True
            return ""
        return CASES.get(match.group(2) or "", str)(str(found))

    written = SLOT.sub(value, text)
    return None if missing else written


def form_text(
    form: str | None,
    spec: dict[str, Any],
    rng: np.random.Generator,
    row: Callable[[str], Any],
    taken: CopyGuard | None = None,
) -> str | None:
    """A code of the drawn form, or a text of the drawn template written from its row, its digits
    drawn again while it is a real text (`taken`); a null form stays null, a shared code as it is."""
    slots = spec["slots"].get(form) if form is not None else None
    if slots is None:
        return form if form is None or "{" not in form else None
    for _ in range(REFILLS):
        code = fill(form, slots, rng)
        text = fill_slots(code, row) if "sources" in spec else code
        if taken is None or text is None or not taken.seen((text,)):
            return text
    return None  # every try was a real text: left empty rather than copied


def taken_texts(forms: dict[str, dict[str, Any]]) -> dict[str, CopyGuard]:
    """Per template column whose digits are drawn afresh, the digests of its real texts (read once
    per model: a customer table's 200,000 emails took a fifth of a second each time)."""
    return {name: CopyGuard.from_dict(spec["taken"]) for name, spec in forms.items() if "taken" in spec}


def write_forms(
    rows: list[dict[str, Any]],
    forms: dict[str, dict[str, Any]],
    rng: np.random.Generator,
    taken: dict[str, CopyGuard] | None = None,
) -> None:
    """Each row's form columns replaced by codes of that form (or texts of that template), in place;
    `taken`: `taken_texts(forms)`, read once."""
    taken = taken_texts(forms) if taken is None else taken
    for name, spec in forms.items():
        key = f"{FORM}{name}"
        for row in rows:
            row[name] = form_text(row.pop(key, None), spec, rng, row.get, taken.get(name))


def write_form_columns(
    columns: dict[str, list[Any]],
    forms: dict[str, dict[str, Any]],
    rng: np.random.Generator,
    taken: dict[str, CopyGuard] | None = None,
) -> dict[str, list[Any]]:
    """`write_forms` for drawn columns (a related table's rows are drawn as a frame), in place."""
    taken = taken_texts(forms) if taken is None else taken
    for name, spec in forms.items():
        drawn = columns.pop(f"{FORM}{name}", None)
        if drawn is not None:
            columns[name] = [
                None
                if pd.isna(form)
                else form_text(form, spec, rng, lambda c, i=i: columns[c][i] if c in columns else None, taken.get(name))
                for i, form in enumerate(drawn)
            ]
    return columns
