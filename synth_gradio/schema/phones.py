"""A phone number written with a country's calling code: what a map rule (country -> "+49") fixes.

Faker writes numbers as a country's people do ("(0406)-812415", "+3170 6690743", "02 4177 7631",
"206.269.0743x9150"). Cutting a code off by text took "+612..." for a code of three digits and
left "+61 66907439" and "+31 0 6690743". Google's libphonenumber (the `phonenumbers` port, Apache-2.0,
the reference for numbering plans) reads the number in the country whose code is wanted and writes
it in the international form ("+61 2 6690 7439"); an extension goes, since a person's own number
has none, and a number no plan allows is drawn again in the plan. What it cannot read keeps the
textual repair.
"""

from __future__ import annotations

import random
import re

import phonenumbers

_PERSONAL = {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
             phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}  # fmt: skip


def _region(code: str, country: str) -> str:
    """The region a calling code's numbers are read in: the record's own country where the code is
    its own (a Canadian +1 number is read as Canadian, not as a US one), else the code's main region."""
    if len(country) == 2 and country.isalpha() and phonenumbers.country_code_for_region(country.upper()) == int(code):
        return country.upper()
    return phonenumbers.region_code_for_country_code(int(code))


def with_prefix(value: str, want: str, country: str = "") -> str:
    """`value` written to start with the calling code `want` ("+49", or a prefix such as "0049");
    `country`: the record's country code, where the rule maps one. A compact value ("+4930123456")
    stays compact (E.164), a spaced one is spaced as the plan writes it."""
    code = want.lstrip("+")
    region = _region(code, country) if want.startswith("+") and code.isdigit() and len(code) <= 3 else ""
    if region and region != "ZZ":
        try:
            number = phonenumbers.parse(value, region)
            if number.country_code != int(code):  # written with another country's code: its digits, here
                number = phonenumbers.parse(str(number.national_number), region)
            number.extension = None
            if not _personal(number, region):
                number = _valid_like(number, region, value)
            if number is not None:
                compact = not any(c in value for c in " -.()/")
                style = phonenumbers.PhoneNumberFormat.E164 if compact else phonenumbers.PhoneNumberFormat.INTERNATIONAL
                return phonenumbers.format_number(number, style)
        except (phonenumbers.NumberParseException, ValueError):
            pass
    return _textual(value, want)


def _personal(number: phonenumbers.PhoneNumber, region: str) -> bool:
    """A valid landline or mobile number of the region (not premium-rate, toll-free or voicemail, and
    not another country's that shares the code: a US area code for a Canadian)."""
    return phonenumbers.is_valid_number_for_region(number, region) and phonenumbers.number_type(number) in _PERSONAL


def _valid_like(number: phonenumbers.PhoneNumber, region: str, seed: str) -> phonenumbers.PhoneNumber | None:
    """A number of the region's plan that keeps as many leading digits of `number` as it can (Faker
    writes some numbers no plan allows, "+55 6191417776"), drawn from the value, so it repeats."""
    rng = random.Random(seed)
    digits = str(number.national_number)
    for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        shape = str(example.national_number)
        for keep in range(min(len(digits), len(shape) - 2), -1, -1):
            for _ in range(8):
                tail = "".join(rng.choice("0123456789") for _ in range(len(shape) - max(keep, 2)))
                head = digits[:keep] if keep >= 2 else shape[:2]
                candidate = phonenumbers.parse(head + tail, region)
                if _personal(candidate, region):
                    return candidate
    return None


def _textual(value: str, want: str) -> str:
    """Put `want` in front of a phone-like value, replacing another country code."""
    code = want.lstrip("+")
    if want.startswith("+") and value.startswith(code):
        return "+" + value  # "1-357-475-0472" -> "+1-357-475-0472"
    if value.startswith("+"):
        rest = re.sub(r"^\+\d{1,3}[\s.-]?", "", value)
    else:  # national format: drop the trunk zero, "(0118) 496" -> "118 496"
        area = re.match(r"^\(0*(\d+)\)\s*(.*)$", value)
        rest = f"{area.group(1)} {area.group(2)}" if area else re.sub(r"^0+", "", value)
    return f"{want} {rest}".strip()
