"""Which producer fills each field: code, a fake-data library, or the language model.

Model tokens are the scarce resource, so they are spent only where language is needed:
- "const": the schema fixes the value;
- "sample": drawn in code from the constraints (enums, numbers, booleans, dates, uuids, patterns);
- "faker:<provider>": drawn by Faker, chosen from the field name (names, emails, phones, places);
- "model": written by the model, conditioned on the fields already fixed;
- "sequence" (x-sequence, from SERIAL/AUTO_INCREMENT) and "foreign_key" (x-foreign-key): ids the
  engine assigns, never the model;
- "distribution": drawn in code from the field's declared x-distribution. This wins over
  `x-strategy` (even "model"): the user said how the values are spread, so the model is given the
  value as fixed. A field another declaration is conditioned on (`by`) is drawn in code too;
- "learned": given by a joint model fitted on a reference table (set by the Planner's row source);
- "prior": a number nobody declared, drawn from the shape its name implies (a vote count mostly 0,
  a J-shaped rating, skewed money; schema/distributions/priors.py). The Planner sets it where the
  automatic choice was "sample": a declaration, x-strategy, enum or learned column always wins.
`x-strategy` on a field overrides the automatic choice; `x-faker` names a Faker provider.
"""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.schema.idforms import code_pattern
from synth_gradio.schema.jsontypes import value_types
from synth_gradio.schema.model import Field, Schema

# Normalized field name -> Faker provider. Order matters only for the suffix rules below.
FAKER_BY_NAME: dict[str, str] = {
    "first_name": "first_name",
    "firstname": "first_name",
    "given_name": "first_name",
    "forename": "first_name",
    "last_name": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "name": "name",
    "full_name": "name",
    "fullname": "name",
    "person_name": "name",
    "contact_name": "name",
    "customer_name": "name",
    "employee_name": "name",
    "author": "name",
    "author_name": "name",
    "owner_name": "name",
    "patient_name": "name",
    "display_name": "name",
    "email": "email",
    "email_address": "email",
    "contact_email": "email",
    "work_email": "email",
    "phone": "phone_number",
    "phone_number": "phone_number",
    "telephone": "phone_number",
    "mobile": "phone_number",
    "mobile_phone": "phone_number",
    "cell_phone": "phone_number",
    "contact_phone": "phone_number",
    "address": "address",
    "street_address": "street_address",
    "street": "street_address",
    "address_line1": "street_address",
    "city": "city",
    "town": "city",
    "state": "state",
    "region": "state",
    "province": "state",
    "zip": "postcode",
    "zipcode": "postcode",
    "zip_code": "postcode",
    "postcode": "postcode",
    "postal_code": "postcode",
    "country": "country",
    "country_name": "country",
    "country_code": "country_code",
    "company": "company",
    "company_name": "company",
    "employer": "company",
    "organization": "company",
    "organisation": "company",
    "business_name": "company",
    "job": "job",
    "job_title": "job",
    "occupation": "job",
    "position": "job",
    "username": "user_name",
    "user_name": "user_name",
    "login": "user_name",
    "handle": "user_name",
    "url": "url",
    "website": "url",
    "homepage": "url",
    "domain": "domain_name",
    "hostname": "domain_name",
    "ip": "ipv4",
    "ip_address": "ipv4",
    "ipv4": "ipv4",
    "iban": "iban",
    "credit_card": "credit_card_number",
    "card_number": "credit_card_number",
    "currency": "currency_code",
    "currency_code": "currency_code",
    "color": "color_name",
    "colour": "color_name",
    "license_plate": "license_plate",
    "ssn": "ssn",
}
FORMAT_PROVIDERS = {"email": "email", "uri": "url", "hostname": "domain_name"}
_NAME_SUFFIXES = (
    "customer",
    "client",
    "contact",
    "person",
    "employee",
    "owner",
    "patient",
    "user",
    "author",
    "manager",
)


def normalize_name(name: str) -> str:
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def faker_provider(field_name: str) -> str | None:
    key = normalize_name(field_name)
    if key in FAKER_BY_NAME:
        return FAKER_BY_NAME[key]
    parts = key.split("_")
    if len(parts) == 2 and parts[1] == "name" and parts[0] in _NAME_SUFFIXES:
        return "name"
    if parts[-1] in ("email", "phone"):
        return FAKER_BY_NAME[parts[-1]]
    return None


def is_samplable(node: dict[str, Any], name: str = "", codes: bool = True) -> bool:
    """True when code alone (with Faker for person and place fields) can draw a realistic value;
    `codes`: a code's form may be read from its example or name (schema/idforms.py)."""
    if "const" in node or "enum" in node:
        return True
    types = value_types(node)
    if not types:
        return True
    t = types[0]
    if t in ("integer", "number", "boolean"):
        return True
    if t == "string":
        coded = codes and code_pattern(name, node) is not None
        return "format" in node or "pattern" in node or faker_provider(name) is not None or coded
    if t == "array":
        return is_samplable(node.get("items", {}), name, codes)
    if t == "object":
        return all(is_samplable(child, key, codes) for key, child in node.get("properties", {}).items())
    return False


def counted_from(node: dict[str, Any]) -> int:
    """The number before an x-sequence's first: its minimum less one (ids of a reference that run
    from 1,001 go on from there; a classifier told 1..N from them by the id alone), else 0."""
    low = node.get("minimum")
    return max(1, int(low)) - 1 if isinstance(low, int) and not isinstance(low, bool) else 0  # an INTEGER's -2**31: 1


def choose(field: Field, honour_override: bool = True, codes: bool = True) -> str:
    """The automatic (or overridden) strategy for one field (`codes`: see is_samplable)."""
    node = field.schema
    override = node.get("x-strategy", "auto") if honour_override else "auto"
    provider = node.get("x-faker") or faker_provider(field.name)
    if "x-distribution" in node:
        return "distribution"
    if override == "model":
        return "model"
    if node.get("x-sequence"):
        return "sequence"
    if node.get("x-foreign-key"):
        return "foreign_key"
    if override == "const" or "const" in node:
        return "const"
    if override == "faker":
        return f"faker:{provider or 'word'}"
    if override == "sample" or "enum" in node:
        return "sample"
    types = value_types(node)
    provider = provider or FORMAT_PROVIDERS.get(node.get("format", ""))
    if provider and types[:1] == ["string"]:
        return f"faker:{provider}"
    return "sample" if is_samplable(node, field.name, codes) else "model"


CODE_DRAWN = ("sample", "const", "distribution", "prior", "sequence", "foreign_key")


def choose_all(schema: Schema, honour_override: bool = True) -> dict[str, str]:
    # a schema inferred from a table does not read codes' forms from names: its rows show them
    strategies = {f.name: choose(f, honour_override, codes=schema.implied) for f in schema.fields}
    names = [f.name for f in schema.fields]
    for f in schema.fields:  # a role's id drawn as the record's person ids are (manager_id as employee_id)
        automatic = not honour_override or f.schema.get("x-strategy", "auto") == "auto"
        if strategies[f.name] == "model" and schema.implied and automatic and code_pattern(f.name, f.schema, names):
            strategies[f.name] = "sample"
    # A declaration conditioned on a field needs that field's value first: draw it in code (it is
    # categorical, so code can always draw it).
    for declared in schema.distributions.values():
        if declared.by and strategies[declared.by] not in CODE_DRAWN:
            strategies[declared.by] = "sample"
    return strategies
