from __future__ import annotations

import pytest

from synth_gradio.errors import InputError
from synth_gradio.schema.templates import builtin_names, get_template

REQUIRED = {"user_profile", "customer_data", "transaction_history", "product_catalog"}


def test_required_templates_exist() -> None:
    assert set(builtin_names()) >= REQUIRED


@pytest.mark.parametrize("name", builtin_names())
def test_template_examples_validate_and_fields_are_described(name: str) -> None:
    template = get_template(name)
    assert len(template.schema.examples) >= 3
    for example in template.schema.examples:
        assert template.schema.validator.is_valid(example), example
    for field in template.schema.fields:
        assert field.description, f"{name}.{field.name} has no description"


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match="customer_data"):
        get_template("nope")
