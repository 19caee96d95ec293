"""What a measurement's name says about its values: a person's height, weight and vital signs, an
item's weight, a temperature, in the unit the name gives.

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
    kind: str  # "normal" (centre: mean, spread: std) or "lognormal" (centre: median, spread: sigma)
    centre: float
    spread: float
    low: float  # the range the measured thing has: a draw never leaves it
    high: float
    decimals: int  # for a number field without its own step
    body: float = 0.0  # loading on the record's latent build (0: drawn on its own)


_PERSON = {"patient", "patients", "person", "people", "member", "athlete", "player", "student", "child", "baby",
           "infant", "employee", "participant", "subject", "resident", "visit", "clinical", "medical", "health",
           "vitals", "vital", "triage", "admission", "sex", "gender", "bmi", "pregnancy", "fitness", "gym"}  # fmt: skip
_VITALS = {
    "systolic": Measure("normal", 122, 16, 80, 220, 0, 0.5),
    "diastolic": Measure("normal", 78, 10, 40, 130, 0, 0.5),
    "pulse": Measure("normal", 76, 12, 35, 200, 0),
    "bpm": Measure("normal", 76, 12, 35, 200, 0),
    "spo": Measure("normal", 97.5, 1.5, 80, 100, 0),
    "saturation": Measure("normal", 97.5, 1.5, 80, 100, 0),
    "bmi": Measure("lognormal", 26, 0.18, 14, 60, 1, 0.6),
    "glucose": Measure("lognormal", 100, 0.25, 40, 500, 0),
    "cholesterol": Measure("normal", 195, 38, 90, 400, 0, 0.3),
}
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


def about_a_person(json_schema: dict[str, Any]) -> bool:
    """Whether a record is about a person's body: its title, description or field names say so."""
    said = " ".join([str(json_schema.get("title") or ""), str(json_schema.get("description") or "")])
    names = [w for name in (json_schema.get("properties") or {}) for w in _words(name)]
    return bool((set(_words(said)) | set(names)) & _PERSON) or {"height", "age"} <= set(names)


def measure_of(name: str, person: bool) -> Measure | None:
    """The measure a number's name gives (its unit from its last unit word), or None."""
    words = _words(name)
    said = set(words)
    unit = next((w for w in reversed(words) if w in {**_HEIGHT, **_ITEM_WEIGHT, **_WEATHER}), None)
    if person:
        found = next((m for w, m in _VITALS.items() if any(x.startswith(w) for x in words)), None)
        if found is not None:
            return found
        if "heart" in said and said & {"rate", "beats"}:
            return _HEART
        if said & {"respiratory", "respiration", "breathing", "breaths"}:
            return _BREATHING
        if "height" in said or "stature" in said:
            return _HEIGHT.get(unit or "cm")
    if said & {"weight", "mass"}:
        return (_BODY_WEIGHT if person else _ITEM_WEIGHT).get(unit or ("kg" if person else ""))
    if said & {"temperature", "temp"} and unit in _WEATHER:
        return (_BODY_TEMPERATURE if person and not said & {"room", "ambient", "outdoor", "water"} else _WEATHER)[unit]
    return None


def build_links(json_schema: dict[str, Any], fields: list[str]) -> dict[str, float]:
    """field -> loading on the record's latent build, for the prior-drawn body measures among
    `fields` (empty when fewer than two: a weight alone is drawn on its own)."""
    if not about_a_person(json_schema):
        return {}
    found = {name: measure_of(name, True) for name in fields}
    links = {name: m.body for name, m in found.items() if m is not None and m.body > 0}
    return links if len(links) >= 2 else {}
