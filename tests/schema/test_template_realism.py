"""The built-in templates follow the world: their dependencies hold in at least 95% of 200 records.

Records are planned through the real engine (Planner, then the schema's rules, as the run applies
them); fields the model writes are left out, since every checked field is drawn in code. Each
check returns (share, details): the share of applicable records that agree with the world, or
1.0 / 0.0 for a whole-sample property such as "median salary rises with the level". The checks
are written from what is true of such data, not read from the templates' declarations, so a
template that drifts from the world fails here. bench/templates.py prints the same checks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.model import Schema
from synth_gradio.schema.rules import apply_rules
from synth_gradio.schema.templates import builtin_names, get_template
from synth_gradio.schema.validation import compile_validator

N = 200
SEED = 12
AGREE = 0.95
AS_OF = dt.date(2025, 12, 31)  # the templates' data are "as of" the end of 2025

Record = dict[str, Any]
Result = tuple[float, dict[str, Any]]
Check = Callable[[list[Record]], Result]


def _applies(rule: Any, record: Record) -> bool:
    parents, children = rule.fields()
    return all(name.split(".")[0].replace("[]", "") in record for name in parents + children)


@cache
def planned(name: str, n: int = N, seed: int = SEED) -> tuple[Schema, tuple[Record, ...], int]:
    """n planned records of a template that pass its rules, and how many were rejected on the way.

    As in a run: the Planner fixes what its rules can fix; a record still breaking a rule whose
    fields are all drawn in code is rejected (the run would reject it after the model wrote the rest).
    """
    schema = get_template(name).schema
    planner = Planner(schema, seed)
    records: list[Record] = []
    rejected = 0
    while len(records) < n:
        record = planner.plan().fixed
        _, after = apply_rules([r for r in schema.rules if _applies(r, record)], record)
        if after:
            rejected += 1
        else:
            records.append(record)
        assert rejected <= n, f"{name}: more than {n} planned records break a rule, e.g. {after}"
    return schema, tuple(records), rejected


# ----- helpers ------------------------------------------------------------------------------------
def share(
    records: list[Record], ok: Callable[[Record], bool], when: Callable[[Record], bool] = lambda r: True
) -> Result:
    """The share of applicable records for which ok(record) holds."""
    applicable = [r for r in records if when(r)]
    if not applicable:
        return 0.0, {"n": 0}
    hits = sum(1 for r in applicable if ok(r))
    return hits / len(applicable), {"n": len(applicable)}


def holds(condition: bool, **details: Any) -> Result:
    return (1.0 if condition else 0.0), details


def medians(records: list[Record], field: str, by: str, value: Callable[[Any], float] = float) -> dict[str, float]:
    groups: dict[str, list[float]] = {}
    for r in records:
        if r.get(field) is not None:
            groups.setdefault(str(r[by]), []).append(value(r[field]))
    return {k: round(statistics.median(v), 2) for k, v in groups.items()}


def rising(meds: dict[str, float], order: list[str]) -> Result:
    values = [meds.get(k) for k in order]
    ok = all(v is not None for v in values) and all(a < b for a, b in itertools.pairwise(values))
    return holds(ok, medians={k: meds.get(k) for k in order})


def right_skewed(records: list[Record], field: str, when: Callable[[Record], bool] = lambda r: True) -> Result:
    values = [float(r[field]) for r in records if when(r) and r.get(field) is not None]
    mean, median = statistics.fmean(values), statistics.median(values)
    return holds(mean > median, mean=round(mean, 2), median=round(median, 2))


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def years_between(start: str, end: dt.date) -> float:
    return (end - day(start)).days / 365.25


def frequency(records: list[Record], field: str) -> Counter:
    return Counter(r[field] for r in records)


# ----- what holds in the world, per template --------------------------------------------------------
LEVELS = ["junior", "mid", "senior", "lead", "manager"]
TITLE_WORDS = {
    "engineering": r"Engineer",
    "sales": r"Account|Sales",
    "marketing": r"Marketing|Marketer|SEO",
    "finance": r"Account|Financ|Payroll|Controller",
    "hr": r"HR|Recruit|People",
    "support": r"Support",
    "operations": r"Operations|Logistics|Procurement|Office",
}


def tenure(r: Record) -> float:
    return years_between(r["hire_date"], AS_OF)


def _employees() -> dict[str, Check]:
    return {
        "salary median rises with the level": lambda rs: rising(medians(rs, "salary", "level"), LEVELS),
        "no junior earns above 75k": lambda rs: share(
            rs, lambda r: r["salary"] <= 75000, lambda r: r["level"] == "junior"
        ),
        "leads and managers earn at least 60k": lambda rs: share(
            rs, lambda r: r["salary"] >= 60000, lambda r: r["level"] in ("lead", "manager")
        ),
        "engineering pays more than support (level mix)": lambda rs: holds(
            (m := medians(rs, "salary", "department"))["engineering"] > m["support"], medians=m
        ),
        "job title fits the department": lambda rs: share(
            rs, lambda r: re.search(TITLE_WORDS[r["department"]], r["job_title"]) is not None
        ),
        "tenure is right-skewed": lambda rs: right_skewed([{"t": tenure(r)} for r in rs], "t"),
        "tenure rises junior < mid < senior": lambda rs: rising(
            medians([{**r, "t": tenure(r)} for r in rs], "t", "level"), ["junior", "mid", "senior"]
        ),
        "hired 2000 to 2025": lambda rs: share(rs, lambda r: dt.date(2000, 1, 1) <= day(r["hire_date"]) <= AS_OF),
    }


def _product_catalog() -> dict[str, Check]:
    return {
        "electronics cost more than home goods and beauty": lambda rs: holds(
            (m := medians(rs, "price", "category"))["electronics"] > m["home"] > m["beauty"], medians=m
        ),
        "price is right-skewed": lambda rs: right_skewed(rs, "price"),
        "stock is right-skewed": lambda rs: right_skewed(rs, "in_stock"),
        "stock mostly under 2,000 units": lambda rs: share(rs, lambda r: r["in_stock"] < 2000),
        "average rating at least 3": lambda rs: share(rs, lambda r: r["rating"] >= 3),
    }


def _ecommerce_orders() -> dict[str, Check]:
    def wallet_share(rs: list[Record], country: str) -> float:
        return share(
            rs, lambda r: r["payment_method"] in ("paypal", "bank_transfer"), lambda r: r["shipping_country"] == country
        )[0]

    return {
        "order total is right-skewed": lambda rs: right_skewed(rs, "total"),
        "order totals mostly under 500": lambda rs: share(rs, lambda r: r["total"] < 500),
        "delivered is the most common status": lambda rs: holds(
            frequency(rs, "status").most_common(1)[0][0] == "delivered", counts=dict(frequency(rs, "status"))
        ),
        "Germans pay by PayPal or transfer more than Americans": lambda rs: holds(
            wallet_share(rs, "DE") > wallet_share(rs, "US"),
            DE=round(wallet_share(rs, "DE"), 2),
            US=round(wallet_share(rs, "US"), 2),
        ),
    }


def _saas_accounts() -> dict[str, Check]:
    plans = ["free", "starter", "team", "business", "enterprise"]
    return {
        "free plan MRR is 0": lambda rs: share(rs, lambda r: r["mrr"] == 0, lambda r: r["plan"] == "free"),
        "paying plans have MRR above 0": lambda rs: share(rs, lambda r: r["mrr"] > 0, lambda r: r["plan"] != "free"),
        "MRR = seats x price per seat": lambda rs: share(
            rs, lambda r: abs(r["mrr"] - r["seats"] * r["price_per_seat"]) <= 0.01
        ),
        "seat median rises with the plan": lambda rs: rising(medians(rs, "seats", "plan"), plans),
        "starter median seats at most 10, enterprise at least 200": lambda rs: holds(
            (m := medians(rs, "seats", "plan"))["starter"] <= 10 and m["enterprise"] >= 200, medians=m
        ),
        "MRR of paying plans is right-skewed": lambda rs: right_skewed(rs, "mrr", lambda r: r["plan"] != "free"),
        "renewal after signup": lambda rs: share(rs, lambda r: r["signup_date"] < r["renewal_date"]),
    }


MONEY_IN = {"salary": "credit", "refund": "credit"}
MONEY_OUT = {c: "debit" for c in ("rent", "groceries", "utilities", "fees", "card_payment")}


def _bank_transactions() -> dict[str, Check]:
    expected = {**MONEY_IN, **MONEY_OUT}  # transfers go either way
    return {
        "direction agrees with the category": lambda rs: share(
            rs, lambda r: r["direction"] == expected[r["category"]], lambda r: r["category"] in expected
        ),
        "salary above 1,000, rent above 300, groceries under 150 (medians)": lambda rs: holds(
            (m := medians(rs, "amount_eur", "category"))["salary"] > 1000 and m["rent"] > 300 and m["groceries"] < 150,
            medians=m,
        ),
        "amounts are right-skewed": lambda rs: right_skewed(rs, "amount_eur"),
        "card payments are right-skewed": lambda rs: right_skewed(
            rs, "amount_eur", lambda r: r["category"] == "card_payment"
        ),
    }


OFFICES = ("floor1-east", "floor1-west", "floor2-east", "floor2-west")
UNITS = {"temperature": "C", "humidity": "%RH", "co2": "ppm", "pressure": "hPa", "light": "lux"}


def of(kind: str) -> Callable[[Record], bool]:
    return lambda r: r["sensor_type"] == kind


def _iot_sensor_readings() -> dict[str, Check]:
    return {
        "the unit matches the sensor type": lambda rs: share(rs, lambda r: r["unit"] == UNITS[r["sensor_type"]]),
        "indoor temperature within 15-30 C": lambda rs: share(rs, lambda r: 15 <= r["value"] <= 30, of("temperature")),
        "relative humidity within 20-70%": lambda rs: share(rs, lambda r: 20 <= r["value"] <= 70, of("humidity")),
        "CO2 at least outdoor level and under 2,000 ppm": lambda rs: share(
            rs, lambda r: 380 <= r["value"] < 2000, of("co2")
        ),
        "air pressure within 950-1050 hPa": lambda rs: share(rs, lambda r: 950 <= r["value"] <= 1050, of("pressure")),
        "the server room measures only temperature and humidity": lambda rs: share(
            rs, lambda r: r["sensor_type"] in ("temperature", "humidity"), lambda r: r["location"] == "server-room"
        ),
        "low_battery status exactly when the battery is at most 15%": lambda rs: share(
            rs,
            lambda r: (r["status"] == "low_battery") == (r["battery_pct"] <= 15),
            lambda r: r["status"] != "sensor_fault",
        ),
        "CO2 is right-skewed": lambda rs: right_skewed(rs, "value", of("co2")),
    }


def _product_reviews() -> dict[str, Check]:
    def agrees(r: Record) -> bool:
        return r["sentiment"] == ("negative" if r["rating"] <= 2 else "positive")

    return {
        "sentiment agrees with the rating (1-2 negative, 4-5 positive)": lambda rs: share(
            rs, agrees, lambda r: r["rating"] != 3
        ),
        "no positive 1-2 star or negative 4-5 star review": lambda rs: share(
            rs,
            lambda r: (
                not (
                    (r["rating"] <= 2 and r["sentiment"] == "positive")
                    or (r["rating"] >= 4 and r["sentiment"] == "negative")
                )
            ),
        ),
        "ratings are J-shaped (5 most common, more 1s than 2s)": lambda rs: holds(
            (c := frequency(rs, "rating")).most_common(1)[0][0] == 5 and c[1] > c[2] and c[5] >= 0.45 * len(rs),
            counts={k: c[k] for k in sorted(c)},
        ),
        "helpful votes are right-skewed": lambda rs: right_skewed(rs, "helpful_votes"),
    }


def _support_tickets() -> dict[str, Check]:
    def urgent_share(rs: list[Record], areas: tuple[str, ...]) -> float:
        return share(rs, lambda r: r["priority"] in ("high", "urgent"), lambda r: r["product_area"] in areas)[0]

    return {
        "closed_at is null exactly while open or pending": lambda rs: share(
            rs, lambda r: (r["closed_at"] is None) == (r["status"] in ("open", "pending"))
        ),
        "no CSAT score while open or pending": lambda rs: share(
            rs, lambda r: r["satisfaction"] is None, lambda r: r["status"] in ("open", "pending")
        ),
        "closed after opened": lambda rs: share(
            rs, lambda r: moment(r["opened_at"]) < moment(r["closed_at"]), lambda r: r["closed_at"] is not None
        ),
        "priority mostly low or normal": lambda rs: holds(
            share(rs, lambda r: r["priority"] in ("low", "normal"))[0] >= 0.7, counts=dict(frequency(rs, "priority"))
        ),
        "login and app bugs are more often high or urgent than shipping and returns": lambda rs: holds(
            urgent_share(rs, ("login", "app_bug")) > urgent_share(rs, ("shipping", "returns")),
            login_app_bug=round(urgent_share(rs, ("login", "app_bug")), 2),
            shipping_returns=round(urgent_share(rs, ("shipping", "returns")), 2),
        ),
    }


def _transaction_history() -> dict[str, Check]:
    return {
        "travel costs more than groceries, groceries more than transport (medians)": lambda rs: holds(
            (m := medians(rs, "amount", "category"))["travel"] > m["groceries"] > m["transport"], medians=m
        ),
        "contactless payments stay at or under 100": lambda rs: share(
            rs, lambda r: r["amount"] <= 100, lambda r: r["channel"] == "contactless"
        ),
        "utilities are paid by transfer or online": lambda rs: share(
            rs, lambda r: r["channel"] in ("bank_transfer", "online"), lambda r: r["category"] == "utilities"
        ),
        "travel is not paid contactless": lambda rs: share(
            rs, lambda r: r["channel"] != "contactless", lambda r: r["category"] == "travel"
        ),
        "amounts are right-skewed": lambda rs: right_skewed(rs, "amount"),
        "most transactions complete": lambda rs: holds(
            share(rs, lambda r: r["status"] == "completed")[0] >= 0.8, counts=dict(frequency(rs, "status"))
        ),
    }


PREFIX = {
    "US": "+1",
    "CA": "+1",
    "GB": "+44",
    "DE": "+49",
    "FR": "+33",
    "NL": "+31",
    "ES": "+34",
    "IT": "+39",
    "AU": "+61",
    "BR": "+55",
}


def _customer_data() -> dict[str, Check]:
    return {
        "lifetime value rises consumer < small business < enterprise": lambda rs: rising(
            medians(rs, "lifetime_value", "segment"), ["consumer", "small_business", "enterprise"]
        ),
        "lifetime value is right-skewed": lambda rs: right_skewed(rs, "lifetime_value"),
        "consumers are the most common segment": lambda rs: holds(
            frequency(rs, "segment").most_common(1)[0][0] == "consumer", counts=dict(frequency(rs, "segment"))
        ),
        "phone prefix matches the country": lambda rs: share(rs, lambda r: r["phone"].startswith(PREFIX[r["country"]])),
        "created 2015 to 2025": lambda rs: share(rs, lambda r: dt.date(2015, 1, 1) <= day(r["created_at"]) <= AS_OF),
    }


def _user_profile() -> dict[str, Check]:
    return {
        "age is right-skewed with a median of 25-40": lambda rs: holds(
            (s := right_skewed(rs, "age"))[0] == 1.0 and 25 <= s[1]["median"] <= 40, **s[1]
        ),
        "most users are 18-65": lambda rs: holds(share(rs, lambda r: 18 <= r["age"] <= 65)[0] >= 0.9),
        "signed up 2015 to 2025": lambda rs: share(rs, lambda r: dt.date(2015, 1, 1) <= day(r["signup_date"]) <= AS_OF),
        "more recent signups (median after 2023)": lambda rs: holds(
            (m := statistics.median_low(day(r["signup_date"]) for r in rs)) > dt.date(2023, 1, 1), median=m.isoformat()
        ),
    }


def age_at_visit(r: Record) -> float:
    return years_between(r["birth_date"], moment(r["starts_at"]).date())


def _clinic_appointments() -> dict[str, Check]:
    return {
        "pediatric patients are under 18": lambda rs: share(
            rs, lambda r: age_at_visit(r) < 18, lambda r: r["specialty"] == "pediatrics"
        ),
        "cardiology patients are older than general ones, who are older than pediatric ones": lambda rs: rising(
            medians([{**r, "age": age_at_visit(r)} for r in rs], "age", "specialty"),
            ["pediatrics", "general", "cardiology"],
        ),
        "scheduled appointments lie ahead, the others behind": lambda rs: share(
            rs, lambda r: (moment(r["starts_at"]).date() > AS_OF) == (r["status"] == "scheduled")
        ),
        "born before the appointment": lambda rs: share(
            rs, lambda r: day(r["birth_date"]) < moment(r["starts_at"]).date()
        ),
        "completed is the most common status": lambda rs: holds(
            frequency(rs, "status").most_common(1)[0][0] == "completed", counts=dict(frequency(rs, "status"))
        ),
    }


CHECKS: dict[str, dict[str, Check]] = {
    "employees": _employees(),
    "product_catalog": _product_catalog(),
    "ecommerce_orders": _ecommerce_orders(),
    "saas_accounts": _saas_accounts(),
    "bank_transactions": _bank_transactions(),
    "iot_sensor_readings": _iot_sensor_readings(),
    "product_reviews": _product_reviews(),
    "support_tickets": _support_tickets(),
    "transaction_history": _transaction_history(),
    "customer_data": _customer_data(),
    "user_profile": _user_profile(),
    "clinic_appointments": _clinic_appointments(),
}
CASES = [(name, check) for name, checks in CHECKS.items() for check in checks]


# ----- tests --------------------------------------------------------------------------------------
def test_every_template_has_checks() -> None:
    assert set(CHECKS) == set(builtin_names())


@pytest.mark.parametrize(("template", "check"), CASES, ids=[f"{t}: {c}" for t, c in CASES])
def test_dependency_holds_in_95_percent_of_200_records(template: str, check: str) -> None:
    _, records, _ = planned(template)
    agreement, details = CHECKS[template][check](list(records))
    assert agreement >= AGREE, f"{template}: {check}: {agreement:.1%} ({details})"


@pytest.mark.parametrize("template", builtin_names())
def test_template_loads_without_warnings_and_declares_its_numbers(template: str) -> None:
    schema = get_template(template).schema
    assert schema.warnings == []
    assert len(schema.distributions) >= 3, "each template declares how its main fields are spread"


@pytest.mark.parametrize("template", builtin_names())
def test_planned_values_lie_within_their_fields_and_few_break_a_rule(template: str) -> None:
    schema, records, rejected = planned(template)
    assert rejected <= 0.05 * N, f"{rejected} of {N + rejected} planned records break a rule the plan cannot fix"
    validators = {f.name: compile_validator(f.schema) for f in schema.fields}
    for record in records:
        for name, value in record.items():
            assert validators[name].is_valid(value), (name, value)


@pytest.mark.parametrize("template", builtin_names())
def test_lognormal_fields_come_out_right_skewed(template: str) -> None:
    schema, records, _ = planned(template)
    lognormal = [name for name, d in schema.distributions.items() if d.base.kind == "lognormal"]
    for name in lognormal:
        skew, details = right_skewed(list(records), name)
        assert skew == 1.0, (name, details)


def test_a_template_that_drifts_from_the_world_fails_its_checks() -> None:
    """The checks can fail: flat salaries, or sentiment drawn regardless of the rating, are caught."""
    _, records, _ = planned("employees")
    flat = [{**r, "salary": 150000} for r in records]  # one pay for everyone
    assert CHECKS["employees"]["no junior earns above 75k"](flat)[0] == 0.0
    assert CHECKS["employees"]["salary median rises with the level"](flat)[0] == 0.0
    _, reviews, _ = planned("product_reviews")
    shuffled = [{**r, "sentiment": ("negative", "neutral", "positive")[i % 3]} for i, r in enumerate(reviews)]
    assert CHECKS["product_reviews"]["sentiment agrees with the rating (1-2 negative, 4-5 positive)"](shuffled)[0] < 0.5
