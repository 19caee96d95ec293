"""Our library of field patterns for drafting a schema from words: what a field is asked for with,
and what a record of a common kind usually holds.

Each field is an ordinary JSON Schema node with our extensions (x-distribution, rules), so a draft
is checked, edited and generated like any other schema. Values that a reader would recognise for
an industry (a telecom's complaint topics, a bank's products) come from DOMAINS; shapes of numbers
nobody declared come from the priors (schema/distributions/priors.py) at generation time.
"""

from __future__ import annotations

from typing import Any


def text_field(description: str, max_length: int = 400, min_length: int = 20) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length, "description": description}


def enum_field(values: list[Any], description: str, weights: list[float] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string", "enum": values, "description": description}
    if weights:
        node["x-distribution"] = {"kind": "categorical", "weights": dict(zip(values, weights, strict=True))}
    return node


def money_field(description: str, median: float, sigma: float, high: float, integer: bool = False) -> dict[str, Any]:
    kind = "integer" if integer else "number"
    spec = {"kind": "lognormal", "median": median, "sigma": sigma, **({} if integer else {"decimals": 2})}
    return {"type": kind, "minimum": 0, "maximum": high, "description": description, "x-distribution": spec}


def date_field(
    description: str, low: str = "2023-01-01", high: str = "2025-12-31", time: bool = False
) -> dict[str, Any]:
    return {
        "type": "string",
        "format": "date-time" if time else "date",
        "description": description,
        "x-distribution": {"kind": "uniform", "low": low, "high": high},
    }


# Field name -> (its node, the words and phrases that ask for it in a description).
FIELDS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "full_name": ({"type": "string", "maxLength": 60, "description": "full name"}, ("name", "names", "full name")),
    "first_name": ({"type": "string", "maxLength": 40, "description": "given name"}, ("first name", "given name")),
    "last_name": ({"type": "string", "maxLength": 40, "description": "family name"}, ("last name", "surname")),
    "email": (
        {"type": "string", "format": "email", "unique": True, "description": "email address"},
        ("email", "emails", "e-mail", "email address", "e-mail address"),
    ),
    "phone": (
        {"type": "string", "maxLength": 24, "description": "phone number"},
        ("phone", "telephone", "mobile number", "phone number", "mobile"),
    ),
    "street_address": ({"type": "string", "maxLength": 80, "description": "street address"}, ("address", "street")),
    "city": ({"type": "string", "maxLength": 40, "description": "city"}, ("city", "cities", "town", "location")),
    "country": ({"type": "string", "maxLength": 40, "description": "country"}, ("country", "countries", "nationality")),
    "postal_code": (
        {"type": "string", "maxLength": 10, "description": "postal code"},
        ("zip", "postcode", "postal code"),
    ),
    "company": (
        {"type": "string", "maxLength": 60, "description": "company name"},
        ("company", "employer", "organisation", "organization"),
    ),
    "job_title": ({"type": "string", "maxLength": 60, "description": "job title"}, ("job title", "position", "role")),
    "age": ({"type": "integer", "minimum": 18, "maximum": 90, "description": "age in years"}, ("age", "ages", "aged")),
    "gender": (enum_field(["female", "male", "non-binary"], "gender", [0.49, 0.49, 0.02]), ("gender", "sex")),
    "birth_date": (
        date_field("date of birth", "1945-01-01", "2005-12-31"),
        ("birth date", "date of birth", "birthday", "dob"),
    ),
    "signup_date": (
        date_field("date the account was opened"),
        ("signup date", "sign-up date", "registration date", "joined", "signup"),
    ),
    "created_at": (date_field("when it was created", time=True), ("timestamp", "created", "date", "dates", "time")),
    "amount": (money_field("amount in USD", 60, 1.1, 20000), ("amount", "amounts", "value", "spend", "total", "cost")),
    "price": (money_field("price in USD", 30, 0.9, 5000), ("price", "prices")),
    "salary": (
        money_field("yearly gross salary in USD", 62000, 0.35, 400000, integer=True),
        ("salary", "salaries", "pay", "wage", "income"),
    ),
    "quantity": (
        {"type": "integer", "minimum": 1, "maximum": 50, "description": "quantity"},
        ("quantity", "qty", "units"),
    ),
    "rating": (
        {"type": "integer", "minimum": 1, "maximum": 5, "description": "star rating from 1 to 5"},
        ("rating", "ratings", "stars", "star rating", "score"),
    ),
    "status": (enum_field(["active", "inactive", "pending"], "status", [0.7, 0.2, 0.1]), ("status", "state")),
    "category": (
        enum_field(["general", "other"], "category"),
        ("category", "categories", "type", "topic", "reason", "kind"),
    ),
    "currency": (enum_field(["USD", "EUR", "GBP"], "currency", [0.6, 0.3, 0.1]), ("currency",)),
    "payment_method": (
        enum_field(["card", "bank transfer", "paypal", "cash"], "how it was paid", [0.62, 0.15, 0.18, 0.05]),
        ("payment method", "payment type", "paid with"),
    ),
    "channel": (
        enum_field(
            ["phone", "email", "chat", "web form", "in store"], "contact channel", [0.3, 0.25, 0.25, 0.15, 0.05]
        ),
        ("channel", "source"),
    ),
    "department": (
        enum_field(
            ["engineering", "sales", "marketing", "finance", "hr", "support", "operations"],
            "department",
            [0.3, 0.18, 0.1, 0.09, 0.07, 0.14, 0.12],
        ),
        ("department", "departments", "team"),
    ),
    "level": (
        enum_field(["junior", "mid", "senior", "lead", "manager"], "seniority level", [0.3, 0.35, 0.2, 0.08, 0.07]),
        ("level", "seniority", "grade"),
    ),
    "priority": (
        enum_field(["low", "normal", "high", "urgent"], "priority", [0.2, 0.5, 0.22, 0.08]),
        ("priority", "urgency"),
    ),
    "sentiment": (enum_field(["positive", "neutral", "negative"], "sentiment of the text"), ("sentiment", "tone")),
    "is_active": ({"type": "boolean", "description": "whether it is active"}, ("active", "is active")),
    "website": ({"type": "string", "format": "uri", "description": "website address"}, ("website", "url", "homepage")),
    "duration_minutes": (
        {"type": "integer", "minimum": 1, "maximum": 600, "description": "duration in minutes"},
        ("duration", "length of call"),
    ),
    "weight_kg": ({"type": "number", "minimum": 0.1, "maximum": 1000, "description": "weight in kg"}, ("weight",)),
    "comment": (text_field("a free-text comment"), ("comment", "comments", "feedback", "note", "notes", "description")),
}

# What a record of a common kind holds. `text` fields are written by the model; their description
# says who writes them (the product's text coupling reads the voice and the tone from it).
ENTITIES: dict[str, dict[str, Any]] = {
    "customer": {
        "title": "Customer",
        "id": "CUS",
        "fields": ["full_name", "email", "phone", "city", "country", "signup_date", "segment", "lifetime_value"],
    },
    "employee": {
        "title": "Employee",
        "id": "EMP",
        "fields": ["full_name", "email", "department", "job_title", "level", "salary", "hire_date"],
    },
    "order": {
        "title": "Order",
        "id": "ORD",
        "fields": [
            "customer_name",
            "order_date",
            "product",
            "quantity",
            "unit_price",
            "total",
            "payment_method",
            "status",
        ],
    },
    "product": {
        "title": "Product",
        "id": "SKU",
        "fields": ["product_name", "category", "price", "stock_quantity", "rating"],
    },
    "review": {
        "title": "Review",
        "id": "REV",
        "fields": ["product", "rating", "review_title", "review_text", "review_date", "verified_purchase"],
    },
    "complaint": {
        "title": "Complaint",
        "id": "CMP",
        "fields": ["customer_name", "channel", "category", "priority", "created_at", "status", "message"],
    },
    "ticket": {
        "title": "Support ticket",
        "id": "TCK",
        "fields": ["customer_name", "category", "priority", "status", "created_at", "subject", "body"],
    },
    "transaction": {
        "title": "Transaction",
        "id": "TXN",
        "fields": ["account_id", "created_at", "merchant", "category", "amount", "currency", "direction", "status"],
    },
    "invoice": {
        "title": "Invoice",
        "id": "INV",
        "fields": ["company", "issue_date", "due_date", "amount", "currency", "status"],
    },
    "patient": {
        "title": "Patient",
        "id": "PAT",
        "fields": ["full_name", "age", "gender", "blood_type", "department", "admission_date", "diagnosis_note"],
    },
    "appointment": {
        "title": "Appointment",
        "id": "APT",
        "fields": ["patient_name", "department", "appointment_date", "duration_minutes", "status", "visit_reason"],
    },
    "booking": {
        "title": "Booking",
        "id": "BKG",
        "fields": ["guest_name", "check_in", "nights", "guests", "room_type", "total_price", "channel", "status"],
    },
    "shipment": {
        "title": "Shipment",
        "id": "SHP",
        "fields": ["origin_city", "destination_city", "carrier", "ship_date", "weight_kg", "status"],
    },
    "loan": {
        "title": "Loan application",
        "id": "LN",
        "fields": [
            "applicant_name",
            "age",
            "annual_income",
            "loan_amount",
            "term_months",
            "interest_rate",
            "credit_score",
            "status",
        ],
    },
    "student": {
        "title": "Student",
        "id": "STU",
        "fields": ["full_name", "age", "major", "year_of_study", "gpa", "enrollment_date"],
    },
    "subscription": {
        "title": "Subscription",
        "id": "SUB",
        "fields": ["company", "plan", "seats", "mrr", "signup_date", "status"],
    },
    "lead": {
        "title": "Sales lead",
        "id": "LEAD",
        "fields": ["full_name", "company", "email", "channel", "stage", "deal_value"],
    },
    "claim": {
        "title": "Insurance claim",
        "id": "CLM",
        "fields": ["policy_number", "claim_type", "incident_date", "claim_amount", "status", "description"],
    },
    "listing": {
        "title": "Property listing",
        "id": "LST",
        "fields": ["city", "property_type", "bedrooms", "bathrooms", "area_sqm", "price", "listing_date"],
    },
    "flight": {
        "title": "Flight",
        "id": "FLT",
        "fields": ["airline", "origin", "destination", "departure", "duration_minutes", "fare", "cabin"],
    },
    "vehicle": {"title": "Vehicle", "id": "VEH", "fields": ["make", "model_year", "mileage_km", "fuel_type", "price"]},
    "reading": {
        "title": "Sensor reading",
        "id": "DEV",
        "fields": ["created_at", "temperature_c", "humidity_pct", "battery_pct", "status"],
    },
    "user": {"title": "User", "id": "USR", "fields": ["username", "email", "country", "signup_date", "is_premium"]},
    "response": {
        "title": "Survey response",
        "id": "RSP",
        "fields": ["age", "country", "satisfaction", "would_recommend", "comment"],
    },
    "call": {
        "title": "Call",
        "id": "CALL",
        "fields": ["customer_name", "created_at", "duration_minutes", "category", "resolved", "summary"],
    },
}

# The words a description uses for each kind of record (singular forms; plurals are found by rule).
ENTITY_WORDS: dict[str, tuple[str, ...]] = {
    "customer": ("customer", "client", "buyer", "shopper", "subscriber", "member", "contact"),
    "employee": ("employee", "staff", "worker", "hire", "personnel"),
    "order": ("order", "purchase", "sale"),
    "product": ("product", "item", "catalog", "catalogue", "sku"),
    "review": ("review", "rating"),
    "complaint": ("complaint", "grievance"),
    "ticket": ("ticket", "support request", "incident", "helpdesk request"),
    "transaction": ("transaction", "payment", "transfer"),
    "invoice": ("invoice", "bill"),
    "patient": ("patient",),
    "appointment": ("appointment", "visit", "consultation"),
    "booking": ("booking", "reservation", "stay"),
    "shipment": ("shipment", "delivery", "parcel", "package"),
    "loan": ("loan", "mortgage", "credit application", "loan application"),
    "student": ("student", "pupil", "learner"),
    "subscription": ("subscription", "account", "tenant"),
    "lead": ("lead", "prospect", "opportunity"),
    "claim": ("claim",),
    "listing": ("listing", "property", "apartment", "house"),
    "flight": ("flight",),
    "vehicle": ("vehicle", "car", "truck"),
    "reading": ("reading", "measurement", "sensor"),
    "user": ("user", "profile", "player"),
    "response": ("survey", "survey response", "respondent"),
    "call": ("call", "phone call", "call log"),
}
