"""What a measurement's name says about its values: a person's height, weight and vital signs, an
item's weight, a temperature, a credit score, a rate, a month, a speed, in the unit the name gives.

Why: an undeclared number was drawn flat over a default range, so a patient visit of an unseen
schema came out at 725 cm and 946 kg, blood pressure 644/962, a pulse of 3 and a temperature of
778 C. Units must match what is measured. A body measure is read only in a record about a person
(a patient, an athlete, a member: its title and fields say so, or it has a sex, an age or a
height); elsewhere a weight is an item's (median 2 kg), a height is left alone and a temperature
is the weather's. Each measure is a normal (or, for skewed ones, a lognormal) inside the range
people or things have, never outside the field's own bounds; the body measures of one record share
a latent build (height, weight, pressure) of their own, apart from the money and sizes beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synth_gradio.schema.pairs import _words


@dataclass(frozen=True)
class Measure:
    kind: str  # "normal" (centre: mean, spread: std), "lognormal" (centre: median, spread: sigma) or
    # "uniform" (from centre to spread)
    centre: float
    spread: float
    low: float  # the range the measured thing has: a draw never leaves it
    high: float
    decimals: int  # for a number field without its own step
    body: float = 0.0  # loading on the record's latent build (0: drawn on its own)


_PERSON = {"patient", "patients", "person", "people", "athlete", "athletes", "child", "children", "baby", "infant",
           "newborn", "clinical", "medical", "health", "vitals", "vital", "triage", "admission", "hospital", "clinic",
           "pregnancy", "fitness", "gym", "body", "anthropometric", "physical", "checkup", "nurse", "doctor"}  # fmt: skip
_VITAL_NAMES = {"patient", "bmi", "systolic", "diastolic", "pulse", "heart", "blood", "spo2", "cholesterol", "glucose"}
# Words that name an object, a change or a limit: its weight or temperature is no body's, its value
# no measure of the thing itself (weight_loss_kg, max_weight_lifted_kg, cpu_temp_c, freezer_temperature_c).
_OBJECTS = {"package", "parcel", "item", "product", "shipping", "shipment", "box", "cargo", "luggage", "bag",
            "baggage", "load", "payload", "upload", "net", "gross", "tare", "unit", "vehicle", "car", "truck",
            "device", "fridge", "freezer", "oven", "cpu", "gpu", "engine", "room", "storage", "water", "soil", "tank",
            "machine", "server", "motor", "core", "chip", "sensor", "battery", "fish", "animal", "pet", "dog", "cat",
            "tree", "plant", "crop", "fruit", "order", "pallet", "container", "material", "metal", "coffee", "food"}  # fmt: skip
_NOT_ITSELF = {"loss", "change", "gain", "goal", "target", "max", "min", "limit", "lifted", "ideal", "delta",
               "diff", "difference", "risk", "threshold", "capacity", "rated", "class"}  # fmt: skip
_UNIT_WORDS = {"cm", "m", "mm", "in", "inches", "ft", "feet", "kg", "lb", "lbs", "pounds", "g", "grams", "oz", "st",
               "stone", "c", "celsius", "f", "fahrenheit", "k", "kelvin"}  # fmt: skip
_VITALS = {
    "systolic": Measure("normal", 122, 16, 80, 220, 0, 0.5),
    "diastolic": Measure("normal", 78, 10, 40, 130, 0, 0.5),
    "pulse": Measure("normal", 76, 12, 35, 200, 0),
    "bpm": Measure("normal", 76, 12, 35, 200, 0),
    "spo2": Measure("normal", 97.5, 1.5, 80, 100, 0),
    "saturation": Measure("normal", 97.5, 1.5, 80, 100, 0),
    "bmi": Measure("lognormal", 26, 0.18, 14, 60, 1, 0.6),
    "glucose": Measure("lognormal", 100, 0.25, 40, 500, 0),
    "cholesterol": Measure("normal", 195, 38, 90, 400, 0, 0.3),
}
_VITAL_TAILS = {"bp", "mmhg", "rate", "bpm", "pct", "percent", "level", "value", "reading", "mg", "dl", "mgdl", "mmol",
                "min", "measured", "resting", "spo2"}  # fmt: skip
_HEART = Measure("normal", 76, 12, 35, 200, 0)
_BREATHING = Measure("normal", 16, 3, 6, 40, 0)
_HEIGHT = {"cm": Measure("normal", 170, 10, 140, 210, 1, 0.6), "m": Measure("normal", 1.7, 0.1, 1.4, 2.1, 2, 0.6),
           "in": Measure("normal", 67, 4, 55, 83, 1, 0.6), "inches": Measure("normal", 67, 4, 55, 83, 1, 0.6)}  # fmt: skip
_BODY_WEIGHT = {"kg": Measure("lognormal", 76, 0.2, 35, 250, 1, 0.8), "lb": Measure("lognormal", 168, 0.2, 77, 550, 1, 0.8),
                "lbs": Measure("lognormal", 168, 0.2, 77, 550, 1, 0.8), "pounds": Measure("lognormal", 168, 0.2, 77, 550, 1, 0.8)}  # fmt: skip
_ITEM_WEIGHT = {"kg": Measure("lognormal", 2, 1.2, 0.01, 5000, 2), "lb": Measure("lognormal", 4.5, 1.2, 0.02, 11000, 2),
                "lbs": Measure("lognormal", 4.5, 1.2, 0.02, 11000, 2), "g": Measure("lognormal", 250, 1.2, 1, 100000, 0),
                "grams": Measure("lognormal", 250, 1.2, 1, 100000, 0), "oz": Measure("lognormal", 9, 1.2, 0.1, 3000, 1)}  # fmt: skip
_BODY_TEMPERATURE = {"c": Measure("normal", 36.9, 0.45, 34, 42, 1), "celsius": Measure("normal", 36.9, 0.45, 34, 42, 1),
                     "f": Measure("normal", 98.4, 0.8, 93, 108, 1), "fahrenheit": Measure("normal", 98.4, 0.8, 93, 108, 1)}  # fmt: skip
_WEATHER = {"c": Measure("normal", 15, 9, -40, 50, 1), "celsius": Measure("normal", 15, 9, -40, 50, 1),
            "f": Measure("normal", 59, 16, -40, 122, 1), "fahrenheit": Measure("normal", 59, 16, -40, 122, 1)}  # fmt: skip


def _m(kind: str, centre: float, spread: float, low: float, high: float, decimals: int = 0) -> Measure:
    return Measure(kind, centre, spread, low, high, decimals)


_TAILS = {"pct", "percent", "percentage", "pc", "value", "level", "avg", "average", "mean", "score", "ppm", "number",
          "no", "reading"}  # fmt: skip
_MONEY = {"price", "cost", "amount", "fee", "revenue", "sales", "income", "bid", "budget", "spend", "salary", "profit"}
_WHEN = {"birth", "start", "end", "fiscal", "of", "the", "calendar", "release", "pickup", "order", "visit", "peak",
         "number", "no", "iso", "day", "week", "month", "year", "hour", "local", "utc", "created", "event"}  # fmt: skip
PERCENT = 100.0  # a measure whose high is this is a share in percent (a field bounded by 1 takes it as a fraction)
# Things measured the world over, by the words their names must hold (all of them), first match wins;
# a dict picks by the unit word in the name (its first key without one). "uniform" takes low to high.
_THINGS: tuple[tuple[frozenset[str], Measure | dict[str, Measure]], ...] = tuple(
    (frozenset(words.split()), found)
    for words, found in (
        ("credit score", _m("normal", 690, 75, 300, 850)),
        ("fico", _m("normal", 690, 75, 300, 850)),
        ("gpa", _m("normal", 3.2, 0.45, 0, 4, 2)),
        ("probability", _m("lognormal", 0.15, 1.0, 0, 1, 3)),
        ("likelihood", _m("lognormal", 0.15, 1.0, 0, 1, 3)),
        ("propensity", _m("lognormal", 0.15, 1.0, 0, 1, 3)),
        ("interest rate", _m("lognormal", 6.5, 0.4, 0, PERCENT, 2)),
        ("tax rate", _m("lognormal", 8, 0.5, 0, PERCENT, 2)),
        ("vat rate", _m("lognormal", 15, 0.4, 0, PERCENT, 1)),
        ("discount percent", _m("lognormal", 15, 0.5, 0, PERCENT, 0)),
        ("discount pct", _m("lognormal", 15, 0.5, 0, PERCENT, 0)),
        ("discount percentage", _m("lognormal", 15, 0.5, 0, PERCENT, 0)),
        ("conversion rate", _m("lognormal", 3, 0.7, 0, PERCENT, 2)),
        ("click rate", _m("lognormal", 2.5, 0.7, 0, PERCENT, 2)),
        ("ctr", _m("lognormal", 2.5, 0.7, 0, PERCENT, 2)),
        ("open rate", _m("lognormal", 21, 0.35, 0, PERCENT, 1)),
        ("bounce rate", _m("normal", 45, 12, 0, PERCENT, 1)),
        ("churn rate", _m("lognormal", 5, 0.6, 0, PERCENT, 2)),
        ("unemployment rate", _m("lognormal", 5, 0.4, 0, PERCENT, 1)),
        ("default rate", _m("lognormal", 3, 0.7, 0, PERCENT, 2)),
        ("completion rate", _m("normal", 72, 15, 0, PERCENT, 1)),
        ("attendance rate", _m("normal", 90, 7, 0, PERCENT, 1)),
        ("humidity", _m("normal", 60, 18, 0, PERCENT, 1)),
        ("battery", _m("normal", 62, 25, 0, PERCENT, 0)),
        ("cpu usage", _m("lognormal", 30, 0.6, 0, PERCENT, 1)),
        ("cpu load", _m("lognormal", 30, 0.6, 0, PERCENT, 1)),
        ("utilization", _m("lognormal", 45, 0.5, 0, PERCENT, 1)),
        ("utilisation", _m("lognormal", 45, 0.5, 0, PERCENT, 1)),
        ("memory usage", _m("lognormal", 45, 0.5, 0, PERCENT, 1)),
        ("day week", _m("uniform", 1, 7, 1, 7)),
        ("weekday", _m("uniform", 1, 7, 1, 7)),
        ("day month", _m("uniform", 1, 28, 1, 31)),
        ("month", _m("uniform", 1, 12, 1, 12)),
        ("quarter", _m("uniform", 1, 4, 1, 4)),
        ("week", _m("uniform", 1, 52, 1, 52)),
        ("hour", _m("uniform", 0, 23, 0, 23)),
        ("minute", _m("uniform", 0, 59, 0, 59)),
        ("pressure", {"hpa": _m("normal", 1013, 8, 950, 1060, 1), "mbar": _m("normal", 1013, 8, 950, 1060, 1),
                      "psi": _m("normal", 32, 3, 15, 60, 1)}),
        ("wind speed", {"": _m("lognormal", 15, 0.6, 0, 200, 1), "kmh": _m("lognormal", 15, 0.6, 0, 200, 1), "kph": _m("lognormal", 15, 0.6, 0, 200, 1),
                  "mph": _m("lognormal", 9, 0.6, 0, 125, 1), "ms": _m("lognormal", 4, 0.6, 0, 60, 1)}),
        ("rainfall", {"mm": _m("lognormal", 2, 1.5, 0, 500, 1), "in": _m("lognormal", 0.08, 1.5, 0, 20, 2)}),
        ("precipitation", {"mm": _m("lognormal", 2, 1.5, 0, 500, 1), "in": _m("lognormal", 0.08, 1.5, 0, 20, 2)}),
        ("co2", _m("lognormal", 600, 0.3, 380, 5000)),
        ("speed", {"kmh": _m("normal", 50, 25, 0, 250, 1), "kph": _m("normal", 50, 25, 0, 250, 1),
                   "mph": _m("normal", 32, 15, 0, 155, 1)}),
        ("distance", {"km": _m("lognormal", 12, 1.3, 0, 20000, 1), "miles": _m("lognormal", 8, 1.3, 0, 12500, 1),
                      "mi": _m("lognormal", 8, 1.3, 0, 12500, 1), "m": _m("lognormal", 800, 1.3, 0, 100000)}),
        ("elevation", {"m": _m("lognormal", 300, 1.2, 0, 8849), "ft": _m("lognormal", 1000, 1.2, 0, 29032)}),
        ("altitude", {"m": _m("lognormal", 300, 1.2, 0, 8849), "ft": _m("lognormal", 1000, 1.2, 0, 29032)}),
        ("mpg", _m("normal", 28, 7, 8, 60, 1)),
        ("fuel efficiency", _m("normal", 28, 7, 8, 60, 1)),
        ("horsepower", _m("lognormal", 180, 0.35, 50, 1000)),
        ("engine size", {"": _m("lognormal", 2.0, 0.3, 0.6, 8.5, 1), "l": _m("lognormal", 2.0, 0.3, 0.6, 8.5, 1),
                         "cc": _m("lognormal", 2000, 0.3, 600, 8500)}),
        ("displacement", {"": _m("lognormal", 2.0, 0.3, 0.6, 8.5, 1), "l": _m("lognormal", 2.0, 0.3, 0.6, 8.5, 1),
                          "cc": _m("lognormal", 2000, 0.3, 600, 8500)}),
        ("mileage", {"": _m("lognormal", 55000, 0.8, 0, 400000), "km": _m("lognormal", 90000, 0.8, 0, 600000)}),
        ("odometer", {"": _m("lognormal", 55000, 0.8, 0, 400000), "km": _m("lognormal", 90000, 0.8, 0, 600000)}),
        ("population", _m("lognormal", 25000, 2.0, 1, 40_000_000)),
        ("floor", _m("lognormal", 3, 0.8, 0, 120)),
    )
)  # fmt: skip


def about_a_person(json_schema: dict[str, Any]) -> bool:
    """Whether a record is about a person's body: its title or description says so (a patient, an
    athlete), or it has a vital sign; a member's, an employee's or a customer's gender does not make a
    parcel's weight a body's."""
    said = " ".join([str(json_schema.get("title") or ""), str(json_schema.get("description") or "")])
    names = {w for name in (json_schema.get("properties") or {}) for w in _words(name)}
    return bool(set(_words(said)) & _PERSON) or bool(names & _VITAL_NAMES)


def measure_of(name: str, person: bool) -> Measure | None:
    """The measure a number's name gives (its unit from its last unit word), or None."""
    words = _words(name)
    said = set(words)
    head = words[-1] if words else ""
    if said & _NOT_ITSELF:
        return None
    unit = next((w for w in reversed(words) if w in _UNIT_WORDS), None)
    thing = bool(said & _OBJECTS)
    if person and not thing:
        found = next((m for w, m in _VITALS.items() if w in said and head in _VITAL_TAILS | {w}), None)
        if found is not None:
            return found
        if "heart" in said and said & {"rate", "beats"} and head in _VITAL_TAILS:
            return _HEART
        if said & {"respiratory", "respiration", "breathing", "breaths"} and head in _VITAL_TAILS:
            return _BREATHING
        if said & {"height", "stature"}:  # in a unit we know, else none (a height in feet is no 170)
            return _HEIGHT.get(unit or "cm")
    if said & {"weight", "mass"} and not {"body", "index"} <= said and "birth" not in said:  # a BMI, a newborn
        return (_BODY_WEIGHT if person and not thing else _ITEM_WEIGHT).get(
            unit or ("kg" if person and not thing else "")
        )
    if said & {"temperature", "temp"} and unit in _WEATHER:
        if thing or said & {"room", "ambient", "water"}:
            return None  # an oven's, a freezer's or a CPU's temperature is its own
        return (_BODY_TEMPERATURE if person else _WEATHER)[unit]
    for needs, found in _THINGS:
        units = {} if isinstance(found, Measure) else found
        if not needs <= said or not (head in needs or head in units or head in _TAILS) or said & _MONEY:
            continue  # the thing must be what the name ends on: a floor's area is an area, cpu_cores a count
        if isinstance(found, Measure):
            return found if found.kind != "uniform" or said - needs <= _WHEN else None  # not amount_this_month
        unit = next((u for u in units if u and u in said), "")
        if unit or "" in units:  # no unit said and none usual: a pressure may be a tyre's or a blood's
            return units[unit]
    return None


def build_links(json_schema: dict[str, Any], fields: list[str]) -> dict[str, float]:
    """field -> loading on the record's latent build, for the prior-drawn body measures among
    `fields` (empty when fewer than two: a weight alone is drawn on its own)."""
    if not about_a_person(json_schema):
        return {}
    found = {name: measure_of(name, True) for name in fields}
    links = {name: m.body for name, m in found.items() if m is not None and m.body > 0}
    return links if len(links) >= 2 else {}


_SEXES = {"male": "male", "m": "male", "man": "male", "men": "male", "boy": "male",
          "female": "female", "f": "female", "woman": "female", "women": "female", "girl": "female"}  # fmt: skip
_BY_SEX = {"height": {"male": 1.035, "female": 0.96}, "weight": {"male": 1.1, "female": 0.92}}  # of the mean person


def by_sex(spec: dict[str, Any], name: str, json_schema: dict[str, Any]) -> dict[str, Any]:
    """A body height or weight prior conditioned on the record's sex field, where it has one (men are
    taller and heavier on average: a woman of 192 cm beside a man of 156 cm is the exception, not
    the mean); other priors as they are."""
    said = set(_words(name))
    scale = next((s for word, s in _BY_SEX.items() if word in said), None)
    centre = "mean" if spec.get("kind") == "normal" else "median" if spec.get("kind") == "lognormal" else None
    if scale is None or centre is None or "by" in spec:
        return spec
    for field, node in (json_schema.get("properties") or {}).items():
        values = node.get("enum") if isinstance(node, dict) else None
        if not set(_words(field)) & {"sex", "gender"} or not isinstance(values, list):
            continue
        cases = {
            str(v): {centre: round(spec[centre] * scale[_SEXES[key]], 2)}
            for v in values
            if isinstance(v, str) and (key := "_".join(_words(v))) in _SEXES
        }
        if len(cases) >= 2:
            return {**spec, "by": field, "cases": cases}
    return spec
