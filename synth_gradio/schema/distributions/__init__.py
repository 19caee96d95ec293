"""Declared distributions (`x-distribution`) and the priors for numbers nobody declared.

Modules, each importing only those above it (no cycles, and no need for schema/model.py):
- math: CDFs, quantiles, densities and truncated samplers on the real line (stdlib only);
- space: a field's values on the real line (bounds, grid, conversions);
- check: one parameter set checked against its field and resolved for drawing (a Group);
- declared: the grammar (kinds, parameters, by/cases), loading and the dependency order;
- warn: declarations the schema's own examples contradict;
- form: a declaration as form values for the Template Builder, and back;
- priors: realistic default shapes for undeclared numbers, written as declarations.
"""

from synth_gradio.schema.distributions.check import Group, check_group
from synth_gradio.schema.distributions.declared import (
    EXTRAS,
    KEY,
    KINDS,
    PARAMS,
    REQUIRED,
    Declared,
    dependency_order,
    load_distributions,
)
from synth_gradio.schema.distributions.priors import implied_priors, load_priors, prior_for
from synth_gradio.schema.distributions.space import Space, field_space, text_key
from synth_gradio.schema.distributions.warn import distribution_warnings

__all__ = [
    "EXTRAS",
    "KEY",
    "KINDS",
    "PARAMS",
    "REQUIRED",
    "Declared",
    "Group",
    "Space",
    "check_group",
    "dependency_order",
    "distribution_warnings",
    "field_space",
    "implied_priors",
    "load_distributions",
    "load_priors",
    "prior_for",
    "text_key",
]
