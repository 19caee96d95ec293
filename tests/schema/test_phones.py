"""A map rule's phone prefix: the number read in the wanted country and written internationally."""

from __future__ import annotations

import phonenumbers
import pytest
from faker import Faker

from synth_gradio.schema.phones import with_prefix


@pytest.mark.parametrize(
    ("value", "want", "written"),
    [
        ("+612 6690 7439", "+61", "+61 2 6690 7439"),  # the code had been cut as "+612": "+61 6690 7439"
        ("+3170 6690743", "+31", "+31 70 669 0743"),  # had been "+31 0 6690743"
        ("(0406)-812415", "+31", "+31 40 681 2415"),  # had been "+31 406 -812415"
        ("206.269.0743x9150", "+1", "+1 206-269-0743"),  # a person's own number has no extension
        ("030 1234567", "+49", "+49 30 1234567"),
    ],
)
def test_numbers_are_read_in_the_wanted_country(value: str, want: str, written: str) -> None:
    assert with_prefix(value, want) == written


def test_every_fakers_number_comes_out_valid_in_its_plan_and_unreadable_text_keeps_the_old_repair() -> None:
    for locale, code in (("en_AU", "+61"), ("pt_BR", "+55"), ("de_DE", "+49"), ("en_IN", "+91"), ("nl_NL", "+31")):
        fake = Faker(locale)
        fake.seed_instance(3)
        for _ in range(25):
            value = fake.phone_number()
            out = with_prefix(value, code)
            assert out.startswith(code) and phonenumbers.is_valid_number(phonenumbers.parse(out)), (value, out)
            assert with_prefix(value, code) == out  # drawn from the value: the same every time
    assert with_prefix("call me", "+49") == "+49 call me"


def test_a_compact_number_stays_compact_and_a_canadian_one_stays_canadian() -> None:
    """A field whose pattern is E.164 (no spaces) had every fixed number refused once the fix wrote
    spaces; +1 is read in the record's own country (a US area code is no Canadian's)."""
    import re

    e164 = re.compile(r"^\+[1-9]\d{7,14}$")
    assert e164.match(with_prefix("01914960442", "+44", "GB"))
    fake = Faker("en_CA")
    fake.seed_instance(5)
    for _ in range(20):
        number = phonenumbers.parse(with_prefix(fake.phone_number(), "+1", "CA"))
        assert phonenumbers.region_code_for_number(number) == "CA"
