"""Fields that belong to one kind of record (a loan's term, a booking's nights), and the rules that
tie a kind's fields together, shaped by the industry a description names (DOMAINS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synth_gradio.schema.field_kits import FIELDS, date_field, enum_field, money_field, text_field

Domain = dict[str, Any]


def _int(low: int, high: int, description: str) -> dict[str, Any]:
    return {"type": "integer", "minimum": low, "maximum": high, "description": description}


def _num(low: float, high: float, description: str, mean: float, std: float, decimals: int = 1) -> dict[str, Any]:
    spec = {"kind": "normal", "mean": mean, "std": std, "decimals": decimals}
    return {"type": "number", "minimum": low, "maximum": high, "description": description, "x-distribution": spec}


def _values(domain: Domain, key: str, fallback: list[str]) -> list[str]:
    return list(domain.get(key) or fallback)


def _business(domain: Domain) -> str:
    return domain.get("business", "a company")


def _salary_by_level() -> dict[str, Any]:
    node = money_field("yearly gross salary in USD (rises with level)", 62000, 0.25, 400000, integer=True)
    node["x-distribution"].update(
        by="level",
        cases={
            "junior": {"median": 45000, "sigma": 0.15},
            "mid": {"median": 62000, "sigma": 0.15},
            "senior": {"median": 82000, "sigma": 0.15},
            "lead": {"median": 98000, "sigma": 0.15},
            "manager": {"median": 110000, "sigma": 0.18},
        },
    )
    return node


FieldMaker = Callable[[Domain], dict[str, Any]]

MAKERS: dict[str, FieldMaker] = {
    "segment": lambda d: enum_field(
        ["consumer", "small business", "enterprise"], "customer segment", [0.7, 0.22, 0.08]
    ),
    "lifetime_value": lambda d: money_field("total spent so far in USD", 420, 1.0, 50000),
    "hire_date": lambda d: date_field("first day of employment", "2008-01-01", "2025-12-31"),
    "salary": lambda d: _salary_by_level(),
    "customer_name": lambda d: FIELDS["full_name"][0] | {"description": "the customer's full name"},
    "patient_name": lambda d: FIELDS["full_name"][0] | {"description": "the patient's full name"},
    "guest_name": lambda d: FIELDS["full_name"][0] | {"description": "the guest's full name"},
    "applicant_name": lambda d: FIELDS["full_name"][0] | {"description": "the applicant's full name"},
    "order_date": lambda d: date_field("when the order was placed", time=True),
    "product": lambda d: enum_field(_values(d, "product", FIELDS_PRODUCTS), "product"),
    "product_name": lambda d: {"type": "string", "maxLength": 60, "description": f"product name at {_business(d)}"},
    "unit_price": lambda d: money_field("price of one unit in USD", 30, 0.9, 5000),
    "total": lambda d: {"type": "number", "minimum": 0, "description": "quantity times unit price, in USD"},
    "stock_quantity": lambda d: _int(0, 5000, "units in stock"),
    "category": lambda d: enum_field(
        _values(d, "category", ["general", "billing", "technical", "account", "other"]), "category"
    ),
    "review_title": lambda d: {"type": "string", "minLength": 5, "maxLength": 60, "description": "the review's title"},
    "review_text": lambda d: text_field(f"the customer's review of what they bought from {_business(d)}"),
    "review_date": lambda d: date_field("when the review was posted"),
    "verified_purchase": lambda d: {"type": "boolean", "description": "the reviewer bought the product"},
    "message": lambda d: text_field(f"the customer's complaint to {_business(d)}, in their own words"),
    "subject": lambda d: {
        "type": "string",
        "minLength": 5,
        "maxLength": 80,
        "description": "the ticket's subject line",
    },
    "body": lambda d: text_field(f"the customer's message to {_business(d)}'s helpdesk describing the problem"),
    "status": lambda d: enum_field(["open", "in progress", "resolved", "closed"], "status", [0.2, 0.15, 0.3, 0.35]),
    "account_id": lambda d: {"type": "string", "pattern": "^ACC-[0-9]{6}$", "description": "account number"},
    "merchant": lambda d: FIELDS["company"][0] | {"description": "merchant name"},
    "direction": lambda d: enum_field(["debit", "credit"], "money out or in", [0.8, 0.2]),
    "issue_date": lambda d: date_field("when the invoice was issued"),
    "due_date": lambda d: date_field("when payment is due", "2023-01-01", "2026-03-31"),
    "blood_type": lambda d: enum_field(
        ["O+", "A+", "B+", "AB+", "O-", "A-", "B-", "AB-"],
        "blood type",
        [0.38, 0.34, 0.09, 0.03, 0.07, 0.06, 0.02, 0.01],
    ),
    "department": lambda d: (
        enum_field(_values(d, "category", FIELDS["department"][0]["enum"]), "department")
        if d.get("business") == "a clinic"
        else FIELDS["department"][0]
    ),
    "admission_date": lambda d: date_field("date of admission"),
    "diagnosis_note": lambda d: text_field("the clinician's note on the diagnosis"),
    "appointment_date": lambda d: date_field("when the appointment starts", time=True),
    "visit_reason": lambda d: text_field("the patient's reason for the visit, in their own words", 200, 10),
    "check_in": lambda d: date_field("check-in date"),
    "nights": lambda d: _int(1, 21, "nights booked"),
    "guests": lambda d: _int(1, 6, "number of guests"),
    "room_type": lambda d: enum_field(
        ["single", "double", "twin", "suite", "family"], "room type", [0.2, 0.4, 0.2, 0.08, 0.12]
    ),
    "total_price": lambda d: money_field("total price in USD", 420, 0.7, 20000),
    "origin_city": lambda d: FIELDS["city"][0] | {"description": "city it ships from"},
    "destination_city": lambda d: FIELDS["city"][0] | {"description": "city it ships to"},
    "carrier": lambda d: enum_field(["DHL", "UPS", "FedEx", "USPS", "DPD"], "carrier", [0.25, 0.25, 0.2, 0.2, 0.1]),
    "ship_date": lambda d: date_field("when it shipped"),
    "annual_income": lambda d: money_field("yearly income in USD", 58000, 0.5, 1000000, integer=True),
    "loan_amount": lambda d: money_field("amount asked for in USD", 15000, 0.9, 1000000, integer=True),
    "term_months": lambda d: (
        enum_field([12, 24, 36, 48, 60, 120, 240, 360], "term in months")
        | {
            "type": "integer",
            "x-distribution": {
                "kind": "categorical",
                "weights": {
                    "12": 0.1,
                    "24": 0.15,
                    "36": 0.3,
                    "48": 0.15,
                    "60": 0.2,
                    "120": 0.03,
                    "240": 0.03,
                    "360": 0.04,
                },
            },
        }
    ),
    "interest_rate": lambda d: _num(0.5, 30, "yearly interest rate in percent", 7.5, 3.0, 2),
    "credit_score": lambda d: {
        "type": "integer",
        "minimum": 300,
        "maximum": 850,
        "description": "credit score",
        "x-distribution": {"kind": "normal", "mean": 690, "std": 75},
    },
    "major": lambda d: enum_field(
        _values(d, "product", FIELDS_MAJORS) if d.get("business") == "a university" else FIELDS_MAJORS, "field of study"
    ),
    "year_of_study": lambda d: _int(1, 5, "year of study"),
    "gpa": lambda d: _num(0.0, 4.0, "grade point average", 3.0, 0.5, 2),
    "enrollment_date": lambda d: date_field("when they enrolled", "2019-09-01", "2025-09-30"),
    "plan": lambda d: enum_field(_values(d, "plan", ["free", "starter", "pro", "enterprise"]), "plan"),
    "seats": lambda d: _int(1, 5000, "paid seats"),
    "mrr": lambda d: money_field("monthly recurring revenue in USD", 300, 1.3, 500000),
    "stage": lambda d: enum_field(
        ["new", "contacted", "qualified", "proposal", "won", "lost"],
        "pipeline stage",
        [0.3, 0.25, 0.18, 0.1, 0.07, 0.1],
    ),
    "deal_value": lambda d: money_field("expected deal value in USD", 12000, 1.1, 2000000),
    "policy_number": lambda d: {"type": "string", "pattern": "^POL-[0-9]{8}$", "description": "policy number"},
    "claim_type": lambda d: enum_field(
        _values(d, "category", ["auto", "home", "health", "travel"])
        if d.get("business") == "an insurance company"
        else ["auto", "home", "health", "travel"],
        "claim type",
    ),
    "incident_date": lambda d: date_field("when the incident happened"),
    "claim_amount": lambda d: money_field("amount claimed in USD", 2500, 1.2, 500000),
    "description": lambda d: text_field(f"the customer's own account of what happened, to {_business(d)}"),
    "property_type": lambda d: enum_field(
        ["apartment", "house", "townhouse", "condo", "studio"], "property type", [0.45, 0.3, 0.1, 0.1, 0.05]
    ),
    "bedrooms": lambda d: _int(0, 8, "bedrooms"),
    "bathrooms": lambda d: _int(1, 5, "bathrooms"),
    "area_sqm": lambda d: _num(15, 800, "floor area in square metres", 95, 45, 0),
    "listing_date": lambda d: date_field("when it was listed"),
    "airline": lambda d: enum_field(
        ["Delta", "United", "American", "Lufthansa", "Air France", "Emirates", "Ryanair"], "airline"
    ),
    "origin": lambda d: enum_field(["JFK", "LHR", "CDG", "FRA", "DXB", "LAX", "SIN", "ORD"], "departure airport code"),
    "destination": lambda d: enum_field(
        ["JFK", "LHR", "CDG", "FRA", "DXB", "LAX", "SIN", "ORD"], "arrival airport code"
    ),
    "departure": lambda d: date_field("scheduled departure", time=True),
    "fare": lambda d: money_field("ticket price in USD", 320, 0.7, 15000),
    "cabin": lambda d: enum_field(["economy", "premium economy", "business", "first"], "cabin", [0.78, 0.1, 0.1, 0.02]),
    "make": lambda d: enum_field(["Toyota", "Volkswagen", "Ford", "Honda", "BMW", "Hyundai", "Tesla"], "manufacturer"),
    "model_year": lambda d: _int(2005, 2025, "model year"),
    "mileage_km": lambda d: (
        money_field("distance driven in km", 60000, 0.8, 500000, integer=True)
        | {"description": "distance driven in km"}
    ),
    "fuel_type": lambda d: enum_field(["petrol", "diesel", "hybrid", "electric"], "fuel type", [0.5, 0.2, 0.18, 0.12]),
    "temperature_c": lambda d: _num(-40, 85, "temperature in degrees Celsius", 21, 4),
    "humidity_pct": lambda d: _num(0, 100, "relative humidity in percent", 45, 12),
    "battery_pct": lambda d: _int(0, 100, "battery level in percent"),
    "username": lambda d: {
        "type": "string",
        "pattern": "^[a-z][a-z0-9_]{3,14}$",
        "unique": True,
        "description": "login name",
    },
    "is_premium": lambda d: {"type": "boolean", "description": "pays for premium"},
    "satisfaction": lambda d: FIELDS["rating"][0] | {"description": "satisfaction from 1 to 5"},
    "would_recommend": lambda d: {"type": "boolean", "description": "would recommend us to a friend"},
    "comment": lambda d: text_field(f"the respondent's comment about {_business(d)}", 300, 10),
    "resolved": lambda d: {"type": "boolean", "description": "the issue was resolved on the call"},
    "summary": lambda d: text_field("the agent's summary of the call", 300),
    "title": lambda d: {"type": "string", "minLength": 3, "maxLength": 60, "description": "its name or title"},
    "notes": lambda d: text_field("a short description in plain words", 240, 10),
}
FIELDS_PRODUCTS = ["standard", "premium", "basic", "deluxe"]
FIELDS_MAJORS = ["computer science", "business", "biology", "psychology", "engineering", "economics", "history"]

# Rules between a kind's fields, kept only when every field they name is in the draft.
RULES: list[dict[str, Any]] = [
    {
        "name": "total is quantity times unit price",
        "kind": "arithmetic",
        "target": "total",
        "expr": "quantity * unit_price",
        "tolerance": 0.01,
    },
    {"name": "due after issue", "kind": "compare", "left": "issue_date", "op": "<=", "right": "due_date"},
    {
        "name": "due 7 to 60 days after issue",
        "kind": "gap",
        "from": "issue_date",
        "to": "due_date",
        "unit": "days",
        "min": 7,
        "max": 60,
        "median": 30,
    },
    {
        "name": "shipped within two weeks",
        "kind": "gap",
        "from": "order_date",
        "to": "ship_date",
        "unit": "hours",
        "min": 2,
        "max": 336,
        "median": 30,
    },
    {
        "name": "managers earn at least 60k",
        "kind": "conditional",
        "if": {"field": "level", "in": ["lead", "manager"]},
        "then": {"field": "salary", "minimum": 60000},
    },
    {
        "name": "a 1-2 star review is not positive",
        "kind": "conditional",
        "if": {"field": "rating", "in": [1, 2]},
        "then": {"field": "sentiment", "enum": ["negative", "neutral"]},
    },
    {
        "name": "a 4-5 star review is not negative",
        "kind": "conditional",
        "if": {"field": "rating", "in": [4, 5]},
        "then": {"field": "sentiment", "enum": ["neutral", "positive"]},
    },
]


def field_node(name: str, domain: Domain) -> dict[str, Any] | None:
    """The node for a field of our library, shaped by the domain (None: not ours)."""
    if name in MAKERS:
        return MAKERS[name](domain)
    if name in FIELDS:
        return dict(FIELDS[name][0])
    return None
