"""Describe in words: does the offline draft hold the fields a reader expects? (prints figures)

    python bench/describe.py [--backend KIND [--model M] [--base-url URL]]

Twenty one-sentence descriptions from different industries, each with the fields a reader would
expect in such a record (written before looking at the drafter's output; any of a few names counts
for a field). Prints one line per description (found / expected, what was missing, whether the
draft is a valid schema) and the overall share. Target: at least 80%, no invalid schema.
With --backend, that backend also drafts (studio/drafting.py: the model adds the fields the library's
draft lacks), and the lines say how many fields it added.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synth_gradio.schema.describe import draft_schema
from synth_gradio.schema.model import load_schema

# (description, [alternatives for each expected field])
CASES: list[tuple[str, list[set[str]]]] = [
    ("500 customer complaints for a telecom company",
     [{"customer_name", "full_name"}, {"category"}, {"created_at"}, {"status"}, {"message", "complaint_text"}, {"channel"}]),
    ("Hotel bookings for a chain of beach resorts",
     [{"guest_name"}, {"check_in"}, {"nights", "check_out"}, {"room_type"}, {"total_price", "price"}, {"guests"}]),
    ("Bank transactions of retail customers",
     [{"account_id"}, {"amount"}, {"created_at", "date"}, {"merchant"}, {"category"}, {"direction", "type"}]),
    ("Product reviews for an online electronics store",
     [{"product", "product_name"}, {"rating"}, {"review_text"}, {"review_date", "created_at"}, {"review_title"}]),
    ("Employees of a mid-size software company",
     [{"full_name"}, {"email"}, {"department"}, {"job_title"}, {"salary"}, {"hire_date"}, {"level"}]),
    ("Patients admitted to a city hospital",
     [{"full_name", "patient_name"}, {"age"}, {"gender"}, {"admission_date"}, {"department"}, {"diagnosis_note"}]),
    ("Support tickets for a SaaS analytics platform",
     [{"subject"}, {"body"}, {"priority"}, {"status"}, {"created_at"}, {"category"}]),
    ("Orders from a fashion e-commerce shop",
     [{"customer_name"}, {"order_date"}, {"product"}, {"quantity"}, {"total"}, {"status"}, {"payment_method"}]),
    ("Insurance claims filed with a car insurer",
     [{"policy_number"}, {"claim_type"}, {"incident_date"}, {"claim_amount"}, {"status"}, {"description"}]),
    ("Loan applications at a credit union",
     [{"applicant_name"}, {"loan_amount"}, {"annual_income"}, {"credit_score"}, {"term_months"}, {"status"}, {"interest_rate"}]),
    ("Students enrolled at a university",
     [{"full_name"}, {"major"}, {"gpa"}, {"year_of_study"}, {"enrollment_date"}, {"age"}]),
    ("Shipments handled by a courier company",
     [{"origin_city"}, {"destination_city"}, {"ship_date"}, {"weight_kg"}, {"status"}, {"carrier"}]),
    ("Invoices sent by a consulting firm",
     [{"company"}, {"issue_date"}, {"due_date"}, {"amount"}, {"status"}, {"currency"}]),
    ("Sales leads for a B2B software startup",
     [{"full_name"}, {"company"}, {"email"}, {"stage"}, {"deal_value"}, {"channel"}]),
    ("Apartment listings in a real estate marketplace",
     [{"city"}, {"price"}, {"bedrooms"}, {"bathrooms"}, {"area_sqm"}, {"property_type"}]),
    ("Flights operated by a European airline",
     [{"origin"}, {"destination"}, {"departure"}, {"duration_minutes"}, {"fare"}, {"airline"}]),
    ("Used cars for sale at a dealership",
     [{"make"}, {"model_year"}, {"mileage_km"}, {"price"}, {"fuel_type"}]),
    ("Temperature sensor readings from a smart building",
     [{"created_at"}, {"temperature_c"}, {"humidity_pct"}, {"battery_pct"}, {"status"}]),
    ("SaaS subscriptions with plan, seats and monthly revenue",
     [{"plan"}, {"seats"}, {"mrr", "monthly_revenue"}]),
    ("Survey responses from restaurant guests about their visit",
     [{"satisfaction", "rating"}, {"comment"}, {"would_recommend"}, {"age"}]),
]  # fmt: skip


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", help="a backend that drafts too (llamacpp: the bundled model unless --model)")
    ap.add_argument("--model", default="")
    ap.add_argument("--base-url", default="")
    args = ap.parse_args()
    backend = None
    if args.backend:
        from synth_gradio.backends.config import BackendConfig
        from synth_gradio.settings import Settings

        backend = BackendConfig.from_settings(Settings(), args.backend, args.model, args.base_url).create()
    found = expected = invalid = added = 0
    for text, fields in CASES:
        try:
            draft = draft_schema(text)
            library = set(draft.schema["properties"])
            if backend is not None:
                from synth_gradio.studio.drafting import with_model

                draft = with_model(text, draft, backend)
            added += len(set(draft.schema["properties"]) - library)
            load_schema(json.dumps(draft.schema))
            names = set(draft.schema["properties"])
        except Exception as exc:
            invalid += 1
            names = set()
            print(json.dumps({"description": text, "error": str(exc)}))
        hit = [alts for alts in fields if alts & names]
        missing = [sorted(alts)[0] for alts in fields if not alts & names]
        found, expected = found + len(hit), expected + len(fields)
        line = {"description": text, "found": len(hit), "expected": len(fields), "missing": missing}
        print(json.dumps({**line, "fields": sorted(names)}))
    print(
        json.dumps(
            {
                "descriptions": len(CASES),
                "expected_fields_found": round(found / expected, 3),
                "invalid_schemas": invalid,
                "fields_added_by_model": added if backend is not None else None,
            }
        )
    )


if __name__ == "__main__":
    main()
