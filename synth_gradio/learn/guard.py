"""After fitting: how often a draw copies a reference row, and what the model does about it.

Copies are never written; they are redrawn. Where they are frequent, redrawing conditions the
model on "not a reference row" and bends the table towards its rarer combinations, so new rows
are chosen from a larger pool instead (rake.py), provided that keeps them no closer to real rows
than unseen real rows sit (the same check the fit used, closeness.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.closeness import DRAWN_ROWS, CloseCheck
from synth_gradio.learn.model import LearnedModel
from synth_gradio.learn.privacy import CopyGuard
from synth_gradio.learn.repeats import curve_from_counts

PROBE_ROWS = 1000  # rows drawn after fitting to measure how often a draw copies a reference row
MAX_COPY_SHARE = 0.5  # more copies than this: redrawing them would leave an unfaithful table ...
MAX_COPY_SHARE_NEW = 0.9  # ... unless texts or fresh emails beside make every row new (names and a plan) ...
CHANCE = 0.2  # ... or the reference's own rows repeat one another nearly as often (a few combinations)
MOST_COPIES = 0.95  # never more than this
REPEAT_NOTE = 0.05  # from this share of drawn copies the summary says what redrawing them costs
TWINS = 5  # real rows a combination needs before it may be drawn where the table's rows repeat one another
RAKE_FROM = 0.02  # from this share of drawn copies new rows are chosen from a pool (rake.py)
RAKE_STRENGTHS = (1.0, 0.5, 0.25)  # how far back towards the model's own distribution, tried in turn


def probe(data: dict[str, Any], seed: int) -> tuple[LearnedModel, float]:
    """The model, and the share of its plain draws that copy a reference row (stored as copy_share)."""
    model = LearnedModel(data)
    _, copied = model.draw_inner(PROBE_ROWS, np.random.default_rng(seed), rake=0.0)
    data["copy_share"] = round(copied / PROBE_ROWS, 4)
    return model, copied / PROBE_ROWS


def guarded(
    data: dict[str, Any], written: list[list[Any]], seed: int, closer: Callable[[], CloseCheck] | None
) -> LearnedModel:
    """The model, once it is known how often a draw copies a reference row, and what that means.

    When most draws are copies the structured columns have too few combinations to leave a faithful
    table. With free-text columns beside, whole rows are new anyway, so only combinations shared by
    fewer than `rare_threshold` reference rows stay guarded (a note says so); without, it is an
    InputError. Beside texts or an email never drawn as a real one (templates.py), or where the
    reference's rows repeat one another nearly as often, more draws may be copies drawn again: 600
    customers of 20 first names, 20 last names and 3 plans copied a real row's structured values 68%
    of the time, which is chance in so few combinations and no one's record, and each column kept
    its shares once new rows were raked.
    `closer` builds the closeness check that decides whether raked rows may be used.
    """
    new = data["text_columns"] or data.get("fresh")  # columns that make each row new (a new id does not)
    counts = cache(lambda: Counter(zip(*written, strict=True)))  # reads every row: once, where needed
    if not new and (curve := curve_from_counts(counts().values())):  # how often real rows repeat: kept in a run
        data["repeats"] = curve
    model, share = probe(data, seed)
    repeated = cache(lambda: _repeated(counts(), len(written[0]) if written else 0))
    # The reference's own rows mostly repeat one another (a few categories): a combination that many
    # real rows share is no one's record, and refusing it left 300 rows of 30 combinations unlearnable.
    twins = (  # (not where codes are drawn by form: their digits, a row's own, may land on real ones)
        share > MAX_COPY_SHARE and not (new or data.get("forms")) and repeated() > MAX_COPY_SHARE
    ) and len(counts()) >= 2
    if share > MAX_COPY_SHARE and (new or twins) and not data["shared_rows"]:
        least = data["rare_threshold"] if new else max(TWINS, data["rare_threshold"])
        data["shared_rows"] = 1 if data.get("fresh") else least  # an email never a real one
        data["copies"] = CopyGuard.from_columns(written, data["shared_rows"]).to_dict()
        kept = (
            "may be drawn"
            if data.get("fresh")
            else f"that at least {data['shared_rows']} reference rows share are kept"
        )
        why = (
            f"the columns {', '.join(data['text_columns'] + data.get('fresh', []))} make every row new"
            if new
            else f"{repeated():.0%} of the table's rows repeat another row exactly, so such a combination is no one's"
        )
        data["notes"].append(
            f"{share:.0%} of drawn rows repeat a reference row's structured values; such combinations {kept}, "
            f"since {why}"
        )
        model, share = probe(data, seed)
    limit = MAX_COPY_SHARE_NEW if new else MAX_COPY_SHARE
    if share > limit and share > min(MOST_COPIES, repeated() + CHANCE):
        raise model.exhausted(share)
    if share >= RAKE_FROM and closer is not None:
        check = closer()
        data["mend"] = _mends(data, check, seed)
        data["rake"] = _strength(LearnedModel(data), check, seed, data)
        model = LearnedModel(data)
    if share >= REPEAT_NOTE and not data["shared_rows"]:
        kept = (
            "new rows are chosen from a larger draw so that each column keeps its distribution"
            if data.get("rake")
            else "its commonest combinations of values appear less often in new rows than in the table"
        )
        data["notes"].append(
            f"{share:.0%} of drawn rows repeated a reference row and were drawn again: {repeated():.0%} of the "
            f"table's rows share all their values with another row, so {kept}"
        )
    return model


def _repeated(counts: Counter, rows: int) -> float:
    """The share of reference rows that share all their (guarded) values with another row."""
    return sum(c for c in counts.values() if c > 1) / max(1, rows)


def _mends(data: dict[str, Any], closeness: CloseCheck, seed: int) -> bool:
    """Whether copies may be mended (model._mend) rather than left out: its rows pass the check."""
    rows, _ = LearnedModel({**data, "mend": True}).draw_inner(DRAWN_ROWS, np.random.default_rng(seed), rake=0.0)
    return bool(closeness.check(pd.DataFrame(rows, columns=[spec["name"] for spec in data["columns"]]))["passes"])


def _strength(model: LearnedModel, closeness: CloseCheck, seed: int, data: dict[str, Any]) -> float:
    """The strongest raking whose rows pass the closeness check (0: none does), and their closeness."""
    for strength in RAKE_STRENGTHS:
        rows, _ = model.draw_inner(DRAWN_ROWS, np.random.default_rng(seed), rake=strength)
        found = closeness.check(pd.DataFrame(rows, columns=[spec["name"] for spec in data["columns"]]))
        if found["passes"]:
            if data.get("closeness"):
                data["closeness"] = {**data["closeness"], **found}
            return strength
    return 0.0
