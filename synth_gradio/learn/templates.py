"""Texts written from other columns of their row: "Mary Gonzalez" from a first and a last name,
"mary.gonzalez42@gmail.com" from them and two digits, "UA Airways Inc." from a carrier code.

Why: such a column was free text or an identifier, written apart from its row, so a generated
customer Mary Gonzalez was called "Mary Phillips" and airline UB "Q8 Airways Inc.". Each value is
read as its template: another column's value it holds, between word boundaries, becomes a slot
(`{=first_name}`, `{=last_name|lower}`), a run of digits a digit slot as in a code's form
(codeforms.py), and the rest stays as written ("@gmail.com"). Where a few templates cover the column,
the template is learned as a category with the other columns (a code's form is), and a drawn row's
text is its template filled from the row's own values.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.codeforms import CASES, DIGITS, FORM, SLOT, form_of, form_text, taken_texts, widen
from synth_gradio.learn.privacy import CopyGuard

MIN_LENGTH = 2  # a shorter value (a sex, a grade) is found in texts by chance
MIN_ROWS = 10  # a column with fewer values than this is not judged
COVER = 0.9  # templates seen twice or more cover this share of a column's values ...
MAX_TEMPLATES = 0.2  # ... they are at most this share of its distinct values ...
WITH_SLOTS = 0.9  # ... and hold another column's value in this share of them
SAMPLE = 2000  # rows a column is judged on
WIDTH = re.compile(r"\{\d+\}")
BASE = 0xE000  # private-use characters stand for slots while digits are read: never in data


def _edge(text: str, at: int, char: str) -> bool:
    """Whether a value's edge character `char` ends a word where it meets text[at] (or the text's end)."""
    if at < 0 or at >= len(text):
        return True
    near = text[at]
    return not ((char.isalpha() and near.isalpha()) or (char.isdigit() and near.isdigit()))


def _find(text: str, value: str) -> int:
    start = text.find(value)
    while start >= 0:
        if _edge(text, start - 1, value[0]) and _edge(text, start + len(value), value[-1]):
            return start
        start = text.find(value, start + 1)
    return -1


def template_of(text: str, values: list[tuple[str, str]]) -> tuple[str, list[int]]:
    """The text's template and the numbers in its digit slots; `values`: other columns' (name, value).
    A number's slot is `{0}`, of any width, unless it is written with leading zeros: "after 9 days"
    and "after 12 days" are one template, so it is learned with the rating beside it as one value."""
    marks: dict[str, str] = {}
    for i, (name, value) in sorted(enumerate(values), key=lambda x: -len(x[1][1])):
        for c, (case, change) in enumerate(CASES.items()):
            written = change(value)
            at = _find(text, written) if len(written) >= MIN_LENGTH else -1
            if at >= 0:
                mark = chr(BASE + len(CASES) * i + c)
                marks[mark] = "{=" + name + (f"|{case}" if case else "") + "}"
                text = text[:at] + mark + text[at + len(written) :]
                break
    form, numbers = form_of(text)
    widths = iter(DIGITS.findall(text.replace("{", "(").replace("}", ")")))
    form = WIDTH.sub(lambda m: m.group() if next(widths).startswith("0") else "{0}", form)
    return "".join(marks.get(ch, ch) for ch in form), numbers


def _sources(table: pd.DataFrame, name: str, skip: set[str]) -> list[str]:
    """Columns a template may hold: those the model draws (not texts or identifiers, written later)."""
    return [str(c) for c in table.columns if c != name and c not in skip and not any(ch in str(c) for ch in "{}|=")]


def _templates(table: pd.DataFrame, name: str, sources: list[str]) -> pd.Series:
    return pd.Series([form for form, _ in _read(table, name, sources)], index=table.index, dtype=object)


def find_templates(
    table: pd.DataFrame, candidates: list[str], skip: set[str]
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """`table` with each candidate column written from others replaced by its rows' templates (never
    by the text itself, which a repeated name would otherwise keep, beside another row's first
    name), and per such column each template's digit slots ([lowest, highest] seen), as
    `codeforms.find_forms` stores a code's forms. Longer texts are tried first (a full name before
    the first name it holds); a column written from others is no template's source, nor is a source
    written from others."""
    out: dict[str, dict[str, Any]] = {}
    table = table.copy()
    held: set[str] = set()  # sources of templates found
    longest = sorted(candidates, key=lambda n: -table[n].dropna().astype(str).str.len().mean())
    for name in [n for n in longest if table[n].notna().sum() >= MIN_ROWS]:
        values = table[name].dropna()
        sources = _sources(table, name, skip | set(out))
        if name in held or not sources:
            continue
        sample = table.loc[values.sample(min(len(values), SAMPLE), random_state=0).index]
        forms = _templates(sample, name, sources).dropna()
        counts = forms.value_counts()
        covered = counts[counts >= 2]
        slotted = covered[[bool(SLOT.search(f)) for f in covered.index]].sum()
        if not (
            covered.sum() >= COVER * len(forms)
            and len(counts) <= MAX_TEMPLATES * values.astype(str).nunique()
            and slotted >= WITH_SLOTS * covered.sum()
        ):
            continue
        used = sorted({m.group(1) for form in covered.index for m in SLOT.finditer(form)})
        slots: dict[str, list[list[int]]] = {}
        read = _read(table, name, used)
        for form, numbers in read:
            if form is not None:
                widen(slots, form, numbers)
        out[str(name)] = {"slots": slots, "sources": used}
        held.update(used)
        if all(out[str(name)]["slots"].values()):  # digits drawn afresh: never drawn as a real text
            out[str(name)]["taken"] = CopyGuard.build((str(v),) for v in values.unique()).to_dict()
        table[name] = pd.Series([form for form, _ in read], index=table.index, dtype=object)
    return table, out


def _read(table: pd.DataFrame, name: str, sources: list[str]) -> list[tuple[str, list[int]] | tuple[None, list]]:
    """Each row's template and digit numbers (None for an empty text)."""
    rows = table[[name, *sources]].astype(object).where(table[[name, *sources]].notna(), None)
    out: list = []
    for text, *others in rows.itertuples(index=False):
        values = [(s, str(v)) for s, v in zip(sources, others, strict=True) if v is not None]
        out.append((None, []) if text is None else template_of(str(text), values))
    return out


def fresh(forms: dict[str, dict[str, Any]]) -> set[str]:
    """Template columns (by their form column's name) whose every template has digits drawn afresh
    until the text is no real one (an email), so a row holding one is new whatever else it repeats:
    left out of the copy guard, which would otherwise redraw the commonest domains' rows and thin
    them out (gmail.com 28%, real 50%)."""
    return {f"{FORM}{name}" for name, spec in forms.items() if "taken" in spec}


def template_notes(forms: dict[str, dict[str, Any]]) -> list[str]:
    """One sentence per column written from others in its row."""
    out = []
    for name, spec in forms.items():
        if "sources" in spec:
            digits = ", its digits drawn afresh and never a real one" if "taken" in spec else ""
            out.append(f"{name} is written from {', '.join(spec['sources'])} in its row, as real ones are{digits}")
    return out


def key_texts(frame: pd.DataFrame, key: str, columns: list[str]) -> dict[str, dict[str, Any]]:
    """Columns of a table written from its own key alone ("Store 12" beside store 12), with each
    template's share. A key is drawn new after the row (relmodel.py), so these are written then,
    rather than by the language model, which named airline UB "Q8 Airways Inc.". A column with
    empty rows stays with the model, which learns where it is empty (a business customer's note)."""
    candidates = [c for c in columns if c != key and frame[c].dtype == object and frame[c].notna().all()]
    if not candidates:
        return {}
    table, found = find_templates(frame[[key, *candidates]], candidates, set())
    out = {}
    for name, spec in found.items():
        if spec["sources"] == [key]:
            shares = table[name].dropna().value_counts(normalize=True)
            out[name] = {**spec, "shares": {str(form): float(share) for form, share in shares.items()}}
    return out


def write_key_texts(rows: pd.DataFrame, texts: dict[str, dict[str, Any]], rng: np.random.Generator) -> None:
    """In place: each key text written from a template drawn by its share and the row's new key."""
    taken = taken_texts(texts)
    for name, spec in texts.items():
        forms = list(spec["shares"])
        shares = np.asarray(list(spec["shares"].values()), dtype=float)
        drawn = rng.choice(len(forms), len(rows), p=shares / shares.sum()) if forms else []
        keys = rows[spec["sources"][0]].tolist()
        rows[name] = [
            form_text(forms[i], spec, rng, lambda _, k=k: k, taken.get(name)) for i, k in zip(drawn, keys, strict=True)
        ]
