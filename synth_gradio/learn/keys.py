"""Finding keys, links and sequences in real tables from names first, then values.

Why names first: values alone link any two integer columns that happen to overlap (a count of 3
is not customer 3). A link needs a column named for the parent's key and values that are mostly
among the parent's keys; a sequence needs an entity column that repeats and an order column named
like one (a year, a date, a line number) that is unique within each entity.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.detect import detect as detect_column
from synth_gradio.learn.relations import CONSTANT, MAX_STEPS, SERIES, Link, Relations, Steps
from synth_gradio.tables import CODE, holds_nested, key_text

KEY_KINDS = ("id", "category", "text")  # what a key named like no key may be
SERIES_ROWS = 24  # rows before a table alone is taken for one series (fewer: too short to learn moves from)
PERIOD_WORDS = ("year", "month", "quarter", "week", "day", "period", "time", "date", "hour")  # a number that is a time
REGULAR = 0.75  # share of a series' gaps within 10% of the commonest for its order to be a calendar
TIES = 0.05  # share of a time order's rows that may repeat a time within their entity
MATCH = 0.9  # share of a column's values found among a parent's keys for a link to be found
ORDER_WORDS = (
    "year",
    "yr",
    "date",
    "time",
    "period",
    "month",
    "week",
    "quarter",
    "day",
    "seq",
    "step",
    "wave",
    "visit",
    "line",
    "timestamp",
    "datetime",
)
TIE_WORDS = ("manager", "parent", "boss", "supervisor", "reports", "referrer", "referred", "mentor", "head", "superior")
TIE_WORDS += ("reviewer", "approver", "sponsor", "predecessor", "successor", "spouse", "reply", "root", "original")
GROUP_WORDS = ("id", "nr", "no", "key", "individual", "person", "firm", "company", "customer", "patient", "account",
               "user", "client", "household", "member", "student", "employee", "respondent")  # fmt: skip
# what may name an entity whose rows come in no order: not a country, state or code, which group people
MIN_GROUPS = 10  # entities before rows in no order are taken for each one's rows (fewer: a category)
MAX_GROUP = 100  # median rows per entity for them (more: a category the rows share, not one thing's rows)
FILLED, SPREAD = 0.5, 0.95  # an entity's fixed column that tells entities apart: filled for half, no value for 95%
VARIES = 0.5  # share of entities in which some column changes between their rows (fewer: repeated records)
ID_STEMS = ("p", "u", "hh", "house", "household", "person", "pers", "cust", "customer", "client", "user", "member",
            "patient", "pat", "subject", "subj", "emp", "employee", "firm", "company", "student", "case", "unit",
            "store", "acct", "account", "family", "fam", "school", "indiv", "ind", "resp", "obs", "country")  # fmt: skip
# what an id glued to its word may be glued to (personid, hhid, pid): a word list, since many words end in id (thyroid)
NOT_IDS = ("paid", "unpaid", "prepaid", "valid", "invalid", "said", "void", "avoid", "acid", "fluid", "liquid", "solid",
           "rapid", "humid", "hybrid", "grid", "bid", "kid", "lid", "raid", "maid", "android", "covid", "vivid", "rigid",
           "lucid", "timid", "candid", "squid", "orchid", "pyramid", "braid", "aid", "medicaid", "thyroid", "lipid",
           "opioid", "steroid", "madrid", "mid", "did", "hid", "rid", "bid", "amid", "forbid", "morbid", "torrid")  # fmt: skip
ENTITY_WORDS = ("id", "nr", "no", "key", "code", "firm", "person", "individual", "country", "state", "company")


def name_words(name: str) -> list[str]:
    """A column's name as lower-case words ("tailNum" and "tail_num" alike)."""
    return [w for w in re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()) if w]


def entity_named(name: str, words: tuple[str, ...], *, strict: bool = False) -> bool:
    """Whether a column is named like an entity: one of `words`, or an id glued to its word (idcode,
    personid, hhid: statsmodels' and Stata's panels spell them so), not a word that ends in id
    (thyroid, Madrid). `strict` (rows in no order, where the name is most of the evidence): the
    name's last word is one of `words` (customer_id, not customer_type) and a glued id's word is
    one of ID_STEMS (sessionid names a session, which an order beside it shows, but not alone)."""
    tokens = name_words(name)

    def glued(t: str) -> bool:
        if t.startswith("id") and t[2:] in ("code", "no", "nr", "num"):
            return True
        return len(t) > 2 and t.endswith("id") and (t[:-2] in ID_STEMS if strict else t not in NOT_IDS)

    if strict:
        return bool(tokens) and (tokens[-1] in words or glued(tokens[-1]))
    return bool(set(tokens) & set(words)) or any(glued(t) for t in tokens)


def _singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _unique_key(series: pd.Series) -> bool:
    return bool(series.notna().all() and series.is_unique and len(series) > 0)


def primary_key(name: str, frame: pd.DataFrame) -> str | None:
    """The column that names each row: unique, never empty, and called like a key of this table."""
    own = {"id", f"{_singular(name)}_id", f"{name.lower()}_id", f"{_singular(name)}id"}
    candidates = [c for c in frame.columns if str(c).lower() in own]
    candidates += [c for c in frame.columns if name_words(str(c))[-1:] in (["id"], ["key"], ["code"], ["no"], ["nr"])]
    for column in candidates:
        if _unique_key(frame[column]):
            return str(column)
    return None


def _code_like(series: pd.Series) -> bool:
    return bool(series.astype(str).str.fullmatch(CODE.pattern).all())


def shared_key(name: str, tables: dict[str, pd.DataFrame]) -> str | None:
    """A key named like no key (a tail number, a SKU, a carrier code) that another table's column of
    the same name refers to: text, unique and never empty here, repeated there, and its values
    mostly among these."""
    frame = tables[name]
    for column in map(str, frame.columns):
        if set(name_words(column)) & set(ORDER_WORDS) or not _unique_key(frame[column]):
            continue  # a year, a date: a time, kept as it is (a table of yearly rates is no parent of people)
        if detect_column(column, frame[column]).kind not in KEY_KINDS or not _code_like(frame[column]):
            continue  # numbers and dates are values, names with spaces are words (a product's name): not keys
        for other, rows in tables.items():
            if other == name or column not in rows.columns or rows[column].dropna().is_unique:
                continue
            if contained(rows[column], frame[column]) >= MATCH:
                return column
    return None


def _named_for(column: str, parent: str, key: str) -> bool:
    col = column.lower()
    stem = _singular(parent)
    return col in {f"{stem}_id", f"{parent.lower()}_id", f"{stem}id", f"{stem}_{key.lower()}"} or (
        col == key.lower() and key.lower() != "id"
    )


def contained(values: pd.Series, keys: pd.Series) -> float:
    """Share of a column's non-empty values that are among `keys` (compared as key text)."""
    present = values.dropna()
    if present.empty:
        return 0.0
    return float(key_text(present).isin(set(key_text(keys.dropna()))).mean())


def find_links(tables: dict[str, pd.DataFrame], keys: dict[str, str]) -> list[Link]:
    """Foreign keys: a column named for another table's key whose values are mostly among them."""
    links = []
    for child, frame in tables.items():
        for column in map(str, frame.columns):
            if column == keys.get(child):
                continue
            for parent, key in keys.items():
                if parent == child or not _named_for(column, parent, key):
                    continue
                if contained(frame[column], tables[parent][key]) >= MATCH:
                    links.append(Link(child, column, parent, key))
                    break
    return links


def _order_candidates(frame: pd.DataFrame) -> list[str]:
    """Columns named like an order, then any other column of dates or times: a transaction's `ts`
    or `created_at` orders its account's history as surely as a `date` does."""
    named = [str(c) for c in frame.columns if set(name_words(str(c))) & set(ORDER_WORDS)]
    dated = [
        str(c) for c in frame.columns if str(c) not in named and detect_column(str(c), frame[c]).kind == "datetime"
    ]
    return named + dated


def _entity_candidates(frame: pd.DataFrame, linked: list[str], key: str | None = None) -> list[str]:
    """Linked columns, then columns named like an entity, that every row fills and that do not
    point at the table's own key: an employee's manager_id names another employee (a hierarchy,
    not a sequence), and the managers themselves have none."""
    named = [str(c) for c in frame.columns if entity_named(str(c), ENTITY_WORDS) and str(c) not in linked]
    named = [c for c in named if not self_reference(frame, c, key)]
    return [c for c in linked + named if frame[c].notna().all()]


def has_self_links(tables: dict[str, pd.DataFrame], relations: Relations) -> bool:
    """Whether a table has a column naming other rows of it (an employee's manager)."""
    return any(
        self_reference(frame, str(c), relations.keys.get(name)) for name, frame in tables.items() for c in frame.columns
    )


def self_reference(frame: pd.DataFrame, column: str, key: str | None) -> bool:
    """Whether a column names other rows of its own table by their key: its values are among the
    keys, and either the keys are codes (E1001) or the column is named for a tie between rows
    (manager_id, parent_id, reports_to); integers alone prove nothing (customer 7 is not order 7)."""
    if key is None or column == key:
        return False
    if pd.api.types.is_numeric_dtype(frame[key]) and not set(name_words(column)) & set(TIE_WORDS):
        return False
    return frame[column].nunique() >= 2 and contained(frame[column], frame[key]) >= MATCH


def ties_allowed(frame: pd.DataFrame, entity: str, order: str, kind: str) -> bool:
    """Whether an order (of this detected kind) is unique enough within each entity: a time may
    repeat in a few rows (two payments in one second, two orders on one day), but not in many (a
    birth date in each of a person's rows); a year or a step number may not repeat."""
    repeats = frame.duplicated([entity, order]).mean()
    return repeats == 0 or (repeats <= TIES and kind == "datetime")


def _unique_enough(frame: pd.DataFrame, entity: str, order: str) -> bool:
    return ties_allowed(frame, entity, order, detect_column(order, frame[order]).kind)


def find_steps(name: str, frame: pd.DataFrame, linked: list[str], key: str | None = None) -> Steps | None:
    """A table of periods per entity: an entity column that repeats and an order column unique within
    it, other than the table's key (a line_id numbers every line of the table, not an order's lines)."""
    for entity in _entity_candidates(frame, linked, key):
        sizes = frame.groupby(entity, dropna=True).size()
        if len(sizes) < 2 or sizes.median() < 2:
            continue
        for order in _order_candidates(frame):
            if order in (entity, key):
                continue
            if frame[order].notna().all() and _unique_enough(frame, entity, order):
                return Steps(name, entity, order)
    return None


def fixed_columns(frame: pd.DataFrame, entity: str, skip: tuple[str | None, ...] = ()) -> list[str]:
    """Columns that never change within at least CONSTANT of the entities with two or more rows
    (a column of lists or objects is never one: it cannot be compared)."""
    groups = frame.groupby(entity, dropna=True, sort=False)
    several = groups.size() > 1
    others = [c for c in map(str, frame.columns) if c != entity and c not in skip and not holds_nested(frame[c])]
    if not several.any() or not others:
        return []
    varying = groups[others].nunique(dropna=False)[several]
    return [c for c in others if float((varying[c] <= 1).mean()) >= CONSTANT]


def _telling(values: pd.Series) -> bool:
    """Whether an entity-fixed column tells entities apart: filled for most and not one value for
    nearly all (a currency that one row of 900 gives otherwise, a coupon code most rows lack)."""
    filled = values.dropna()
    return len(filled) >= FILLED * len(values) and float(filled.value_counts(normalize=True).iloc[0]) <= SPREAD


def find_groups(name: str, frame: pd.DataFrame, key: str | None = None) -> Steps | None:
    """Rows of each entity in no order: a column named like an id or a person (GROUP_WORDS) that
    repeats, beside another that never changes within an entity yet tells entities apart (a
    traveller's income beside their four mode choices), while some column changes within most
    entities (their choices). Why so strict: N counts what is found. Rows with a key of their own
    are things (sales, orders), not an entity's rows; rows that repeat a record are duplicates;
    and a column that merely repeats (a status, a branch, a date) groups rows that are no one thing's.
    Called by `detect`, which leaves out columns of lists or objects."""
    if key is not None or len(frame.columns) < 3:
        return None
    for entity in map(str, frame.columns):
        if not entity_named(entity, GROUP_WORDS, strict=True) or set(name_words(entity)) & set(ORDER_WORDS):
            continue
        if frame[entity].isna().any() or detect_column(entity, frame[entity]).kind == "datetime":
            continue
        sizes = frame.groupby(entity, sort=False).size()
        if len(sizes) < MIN_GROUPS or not 2 <= sizes.median() <= MAX_GROUP:
            continue
        fixed = fixed_columns(frame, entity)
        moving = [c for c in map(str, frame.columns) if c != entity and c not in fixed]
        groups = frame.groupby(entity, sort=False)
        if not moving or not any(_telling(groups[c].first()) for c in fixed):
            continue
        changes = (groups[moving].nunique(dropna=False)[sizes > 1] > 1).any(axis=1)
        if float(changes.mean()) >= VARIES:
            return Steps(name, entity, None)
    return None


def _calendar(name: str, column: pd.Series, period_named: bool) -> bool:
    """Whether a column orders a series: no row repeats it, rows are written in its order, and it
    moves at steps of a calendar (most gaps alike); a number only where it is named as a time and is
    not just 1, 2, 3 ... (the row's number)."""
    from synth_gradio.learn.relcheck import order_numbers  # relcheck reads keys' helpers

    if column.isna().any() or column.duplicated().any():
        return False
    try:
        numbers, how = order_numbers(name, str(column.name), column)
    except InputError:
        return False
    if how["kind"] != "datetime" and (not period_named or (numbers[0] <= 1 and np.all(np.diff(numbers) == 1))):
        return False  # a seq, line or visit number counts rows; a year or a period is a time
    gaps = np.diff(numbers)
    if not np.isfinite(gaps).all() or (gaps <= 0).any():
        return False  # not written in its order
    usual = float(np.median(gaps))
    return float(np.mean(np.abs(gaps - usual) <= 0.1 * usual)) >= REGULAR


def find_series(name: str, frame: pd.DataFrame) -> Steps | None:
    """A table that is one series: rows written in the order of a date or period column (or of a
    year and its quarter or month, periods.py) that no row repeats, at steps of a calendar (a week,
    a month, a quarter, a year: most gaps alike). Why so strict: customers with distinct signup
    times are no series, and learning them as one would tie each customer to the one who signed up
    before."""
    from synth_gradio.learn.periods import pair_dates, period_pair

    if not SERIES_ROWS <= len(frame) <= MAX_STEPS or primary_key(name, frame) is not None:
        return None  # a table with its own key holds things (customers, tickets), not the times of one
    for order in _order_candidates(frame):
        if _calendar(name, frame[order], bool(set(name_words(order)) & set(PERIOD_WORDS))):
            return Steps(name, SERIES, order)
    pair = period_pair(frame)
    if pair is not None and _calendar(name, pair_dates(frame, pair).rename(pair), False):
        return Steps(name, SERIES, pair)
    return None


def detect(tables: dict[str, pd.DataFrame]) -> Relations:
    """Primary keys, links and sequences found from names and values; the user confirms them. A
    table given alone may hold each entity's rows in no order (find_groups) or be one series
    (find_series)."""
    tables = {name: frame[[c for c in frame.columns if not holds_nested(frame[c])]] for name, frame in tables.items()}
    keys = {name: key for name, frame in tables.items() if (key := primary_key(name, frame)) is not None}
    keys.update({n: key for n in tables if n not in keys and (key := shared_key(n, tables)) is not None})
    links = find_links(tables, keys)
    steps = []
    for name, frame in tables.items():
        linked = [x.column for x in links if x.child == name]
        found = find_steps(name, frame, linked, keys.get(name))
        if found is None and not linked:
            found = find_groups(name, frame, keys.get(name))
        if found is not None:
            steps.append(found)
    if len(tables) == 1 and not steps and not links:
        name, frame = next(iter(tables.items()))
        steps += [found] if (found := find_series(name, frame)) is not None else []
    return Relations(keys, links, steps)


def parse_steps(text: str, tables: dict[str, pd.DataFrame]) -> Steps:
    """`TABLE.ENTITY:ORDER`, `ENTITY:ORDER` with one table, or without `:ORDER` for unordered steps;
    `TABLE:ORDER` (or `:ORDER` with one table) where the whole table is one series."""
    head, _, order = text.partition(":")
    table, _, entity = head.rpartition(".")
    if order and not table and entity in tables and entity not in map(str, tables[entity].columns):
        table, entity = entity, ""  # TABLE:ORDER
    entity = entity or (SERIES if order else "")
    if not table:
        if len(tables) != 1:
            raise InputError(f"--sequence {text}: name the table too (TABLE.ENTITY:ORDER); tables: {', '.join(tables)}")
        table = next(iter(tables))
    if table not in tables:
        raise InputError(f"--sequence {text}: there is no table {table}; the tables are {', '.join(tables)}")
    from synth_gradio.learn.periods import is_pair

    for col in (entity, order):
        if col == order and entity == SERIES and is_pair(order, tables[table]):
            continue  # YEAR+QUARTER: a series ordered by the date the two make
        if col and col != SERIES and col not in map(str, tables[table].columns):
            raise InputError(f"--sequence {text}: table {table} has no column {col}")
    if not entity:
        raise InputError(f"--sequence takes TABLE.ENTITY:ORDER (e.g. visits.patient_id:visit_date), got {text!r}")
    return Steps(table, entity, order or None)
