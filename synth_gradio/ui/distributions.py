"""Template Builder: edit a field's distribution and dependency without JSON, with a live histogram,
and ask a model to propose distributions and rules.

An undeclared number whose name implies a shape (vote counts, ratings, money ...) is drawn from a
prior (schema/distributions/priors.py). The builder says so when such a field is chosen, loads the
prior into the form to edit, and lists every prior as a proposal to accept: accepting or applying
writes a real x-distribution, which from then on is the user's own declaration."""

from __future__ import annotations

import copy
import json
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.errors import InputError, SchemaError, SynthError
from synth_gradio.quality import plots
from synth_gradio.schema.distributions import EXTRAS, implied_priors
from synth_gradio.schema.distributions.form import from_declaration, to_declaration
from synth_gradio.schema.model import load_schema, parse_json_text
from synth_gradio.studio import suggest as suggestions
from synth_gradio.studio.previews import declared_values
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded
from synth_gradio.ui.generate import GenerateTab, backend_choice

KINDS = ["(none)", "categorical", "uniform", "normal", "lognormal", "poisson", "exponential"]
SHOWN = {
    "categorical": (),
    "uniform": ("low", "high"),
    "normal": ("mean", "std", "low", "high"),
    "lognormal": ("median", "sigma", "low", "high"),
    "poisson": ("lam",),
    "exponential": ("scale", "loc"),
}
FORM_PARAMS = ("low", "high", "mean", "std", "median", "sigma", "lam", "scale", "loc")


def _template(text: str) -> dict[str, Any]:
    data = parse_json_text(text or "{}", "template")
    if not isinstance(data, dict) or not isinstance(data.get("schema"), dict):
        raise InputError("load or build a template first (its JSON has a schema)")
    return data


def field_names(text: str) -> list[str]:
    try:
        return list(_template(text)["schema"].get("properties", {}))
    except SynthError:
        return []


def set_declaration(text: str, field: str, decl: dict[str, Any] | None) -> str:
    """The template JSON with `field`'s x-distribution replaced (or removed), checked by loading it."""
    data = copy.deepcopy(_template(text))
    props = data["schema"].get("properties", {})
    if field not in props:
        raise InputError(f"choose a field of this template (got {field!r})")
    if decl is None:
        props[field].pop("x-distribution", None)
    else:
        # The form edits no extras (decimals, nulls, the clock): those declared stay, where they still fit.
        before = props[field].get("x-distribution") or {}
        kept = {k: before[k] for k in EXTRAS if k in before and k not in decl}
        props[field]["x-distribution"] = {**decl, **kept}
        if kept:
            try:
                load_schema(data["schema"], examples=data.get("examples") or None)
            except SchemaError:
                props[field]["x-distribution"] = decl
    load_schema(data["schema"], examples=data.get("examples") or None)  # SchemaError names the JSON path
    return json.dumps(data, indent=2, ensure_ascii=False)


def _schema(text: str) -> Any:
    data = _template(text)
    return load_schema(data["schema"], examples=data.get("examples") or None)


def template_priors(text: str) -> dict[str, dict[str, Any]]:
    """field -> the prior a run draws it from (undeclared numbers whose name implies a shape)."""
    return implied_priors(_schema(text))


def prior_note(text: str, field: str) -> str:
    """A sentence about the chosen field's prior, or "" (no prior, or a template that does not load)."""
    try:
        spec = template_priors(text).get(field or "")
    except SynthError:
        return ""
    if spec is None:
        return ""
    return (
        f"`{field}` has no declaration, so a run draws it from the prior its name implies: "
        f"`{json.dumps(spec, ensure_ascii=False)}` (strategy `prior`). **Load the prior** to edit it here, then "
        "**Apply to template** to make it your declaration."
    )


def form_values(decl: dict[str, Any] | None) -> tuple[Any, ...]:
    """A declaration as the form's values: kind, the parameters, weights, depends on, cases."""
    values = from_declaration(decl)
    params = values["params"]
    return (
        values["kind"],
        *[str(params.get(p, "")) for p in FORM_PARAMS],
        pd.DataFrame(values["weights"] or [["", ""]], columns=["value", "weight"]),
        values["by"],
        pd.DataFrame(values["cases"] or [["", "", ""]], columns=["when", "parameter or category", "value"]),
    )


def build(access: Access, template_json: gr.Code, generate_tab: GenerateTab) -> list[Any]:
    """Returns the events that rewrite the template JSON, so the field table can follow them."""
    with gr.Accordion("Distributions and dependencies (no JSON needed)", open=False):
        with gr.Row():
            field = gr.Dropdown([], label="Field", allow_custom_value=True, scale=2)
            kind = gr.Dropdown(KINDS, value="(none)", label="Distribution", scale=2)
            by = gr.Dropdown(["(none)"], value="(none)", label="Depends on", allow_custom_value=True, scale=2)
        with gr.Row():
            numbers = {name: gr.Textbox(label=name, scale=1, visible=False) for name in FORM_PARAMS}
        weights = gr.Dataframe(
            headers=["value", "weight"], label="Weights (categorical)", interactive=True, row_count=1, visible=False
        )
        cases = gr.Dataframe(
            headers=["when", "parameter or category", "value"],
            label="Per value of the field it depends on, e.g. senior | median | 90000, or 5 | positive | 0.9",
            interactive=True,
            row_count=1,
        )
        preview = gr.Image(label="2,000 draws from this declaration", type="filepath", height=260)
        with gr.Row():
            apply = gr.Button("Apply to template", variant="primary")
            load_prior = gr.Button("Load the prior")
            clear = gr.Button("Remove declaration")
        note = gr.Markdown(label="note", show_label=False)
    with gr.Accordion("Suggest distributions and rules (asks the Generate tab's backend once)", open=False):
        gr.Markdown(
            "A capable model (Ollama, an OpenAI-compatible server, a GPU transformers model) proposes useful "
            "declarations; the bundled 270M model rarely does. Every proposal is checked before it is shown."
        )
        with gr.Row():
            ask = gr.Button("Suggest distributions and rules")
            ask_priors = gr.Button("Show the priors of undeclared numbers (no model)")
        diff = gr.Dataframe(headers=["item", "now", "proposed"], label="Proposals", interactive=False, wrap=True)
        accept = gr.CheckboxGroup([], label="Accept")
        accept_button = gr.Button("Accept selected")
        found_state = gr.State(None)
        suggest_note = gr.Markdown(label="note", show_label=False)

    params_in = [numbers[name] for name in FORM_PARAMS]
    form = [kind, *params_in, weights, by, cases]

    def declaration(kind_: str, *values: Any) -> dict[str, Any] | None:
        params = dict(zip(FORM_PARAMS, values[: len(FORM_PARAMS)], strict=True))
        weights_, by_, cases_ = values[len(FORM_PARAMS) :]
        rows = lambda frame: frame.values.tolist() if isinstance(frame, pd.DataFrame) else (frame or [])  # noqa: E731
        return to_declaration(kind_, params, rows(weights_), by_, rows(cases_))

    def refresh_fields(text: str) -> tuple[Any, Any]:
        names = field_names(text)
        return gr.update(choices=names), gr.update(choices=["(none)", *names])

    template_json.change(refresh_fields, template_json, [field, by], api_visibility="private")

    @guarded
    def get_distribution(text: str, name: str) -> tuple[Any, ...]:
        """Read a field's x-distribution declaration from a template as form values.

        Args:
            text: the template JSON (name, description, schema, examples).
            name: the field name.
        """
        node = _template(text)["schema"].get("properties", {}).get(name or "", {})
        return form_values(node.get("x-distribution"))

    field.change(get_distribution, [template_json, field], form, api_name="get_distribution")
    field.change(prior_note, [template_json, field], note, api_visibility="private")

    @guarded
    def get_prior(text: str, name: str) -> tuple[Any, ...]:
        """Read the prior an undeclared number is drawn from (implied by its name) as form values, to edit and apply.

        Args:
            text: the template JSON (name, description, schema, examples).
            name: the field name.
        """
        spec = template_priors(text).get(name or "")
        if spec is None:
            raise InputError(f"{name!r} has no prior: it is declared, not a number, or its name implies no shape")
        return form_values(spec)

    load_prior.click(get_prior, [template_json, field], form, api_name="get_prior")

    def show_for(kind_: str) -> list[Any]:
        shown = SHOWN.get(kind_, ())
        return [gr.update(visible=p in shown) for p in FORM_PARAMS] + [gr.update(visible=kind_ == "categorical")]

    kind.change(show_for, kind, [*params_in, weights], api_visibility="private")

    @guarded
    def draw_preview(text: str, name: str, *values: Any) -> str | None:
        decl = declaration(*values)
        if not name or decl is None:
            return None
        data = json.loads(set_declaration(text, name, decl))
        drawn = declared_values(data["schema"], name, n=2000)
        return plots.field_figure_file(name, drawn, prefix="synth_preview_")

    for comp in form:
        comp.change(
            draw_preview, [template_json, field, *form], preview, api_visibility="private", trigger_mode="always_last"
        )

    @guarded
    def set_distribution(
        text: str, name: str, kind_: str, low: str, high: str, mean: str, std: str, median: str, sigma: str,
        lam: str, scale: str, loc: str, weights_: Any, by_: str, cases_: Any,
    ) -> tuple[str, str]:  # fmt: skip
        """Declare a field's distribution (categorical weights, uniform, normal, lognormal, poisson, exponential), optionally per value of another field; returns the updated template JSON.

        Args:
            text: the template JSON (name, description, schema, examples).
            name: the field to declare.
            kind_: "(none)", "categorical", "uniform", "normal", "lognormal", "poisson" or "exponential".
            low: the lowest value (uniform, normal, lognormal); empty for none.
            high: the highest value (uniform, normal, lognormal); empty for none.
            mean: the mean of a normal distribution.
            std: the standard deviation of a normal distribution.
            median: the median of a lognormal distribution.
            sigma: the sigma (spread) of a lognormal distribution.
            lam: the mean count of a poisson distribution.
            scale: the mean of an exponential distribution.
            loc: the offset of an exponential distribution.
            weights_: categorical weights, a table of rows [value, weight].
            by_: the field this one depends on, or "(none)".
            cases_: per value of by_, a table of rows [when, parameter or category, value].
        """
        values = (kind_, low, high, mean, std, median, sigma, lam, scale, loc, weights_, by_, cases_)
        decl = declaration(*values)
        updated = set_declaration(text, name, decl)
        return updated, f"Declared `{name}`: `{json.dumps(decl, ensure_ascii=False)}`" if decl else f"Cleared `{name}`."

    applied = apply.click(
        set_distribution, [template_json, field, *form], [template_json, note], api_name="set_distribution"
    )

    @guarded
    def remove_distribution(text: str, name: str) -> tuple[str, str]:
        """Remove a field's x-distribution declaration; returns the updated template JSON.

        Args:
            text: the template JSON.
            name: the field name.
        """
        return set_declaration(text, name, None), f"Removed the distribution of `{name}`."

    cleared = clear.click(
        remove_distribution, [template_json, field], [template_json, note], api_name="remove_distribution"
    )

    @guarded
    def suggest_distributions(text: str, kind_: str, model_: str, base_url_: str, api_key_: str) -> tuple[Any, ...]:
        """Ask the backend to propose x-distribution declarations and x-rules for a template; every proposal is checked.

        Args:
            text: the template JSON.
            kind_: the backend: "llamacpp" (offline), "transformers", "ollama", "hf_inference" or "openai_compat".
            model_: model name or path (empty: the backend's default).
            base_url_: server address for remote backends (empty: the default).
            api_key_: API key for remote backends, used for this call only and never stored.
        """
        data = _template(text)
        schema = load_schema(data["schema"], examples=data.get("examples") or None)
        studio = access.studio  # reads nothing stored: the backend only
        found = studio.suggest(schema, backend_choice(studio, kind_, model_, base_url_, api_key_))
        rows = suggestions.diff_rows(schema, found)
        dropped = "".join(f"\n- dropped: {reason}" for reason in found.dropped)
        items = [r["item"] for r in rows]
        return (
            pd.DataFrame(rows, columns=["item", "now", "proposed"]),
            gr.update(choices=items, value=items),
            found,
            found.message() + dropped,
        )

    ask.click(
        suggest_distributions,
        [template_json, *generate_tab.backend_inputs],
        [diff, accept, found_state, suggest_note],
        api_name="suggest_distributions",
    )

    @guarded
    def suggest_priors(text: str) -> tuple[Any, ...]:
        """List the priors undeclared numbers are drawn from (vote counts mostly 0, J-shaped ratings, skewed money), as proposals to accept into the template; no model is asked.

        Args:
            text: the template JSON.
        """
        schema = _schema(text)
        found = suggestions.Suggestions(distributions=implied_priors(schema))
        rows = suggestions.diff_rows(schema, found)
        items = [r["item"] for r in rows]
        note_ = f"{len(items)} priors; accepting one writes it as the field's x-distribution." if items else ""
        return (
            pd.DataFrame(rows, columns=["item", "now", "proposed"]),
            gr.update(choices=items, value=items),
            found,
            note_ or "No undeclared number whose name implies a shape (counts, ratings, ages, money ...).",
        )

    ask_priors.click(
        suggest_priors, [template_json], [diff, accept, found_state, suggest_note], api_name="suggest_priors"
    )

    @guarded
    def accept_suggestions(text: str, found: Any, chosen: list[str]) -> tuple[str, str]:
        """Write the chosen proposals (from suggest_distributions in this session) into the template JSON.

        Args:
            text: the template JSON.
            found: the proposals kept by this page session.
            chosen: the items to accept (field names or "rule N").
        """
        if found is None or not found.usable:
            raise InputError("ask for suggestions first")
        data = _template(text)
        schema = load_schema(data["schema"], examples=data.get("examples") or None)
        updated = suggestions.apply(schema, found, list(chosen or []))
        data["schema"] = updated.json_schema
        return json.dumps(data, indent=2, ensure_ascii=False), f"Accepted {len(chosen or [])} proposals."

    accepted = accept_button.click(
        accept_suggestions,
        [template_json, found_state, accept],
        [template_json, suggest_note],
        api_name="accept_suggestions",
        api_visibility="undocumented",  # needs this page session's proposals (a gr.State): no use to agents
    )
    return [applied, cleared, accepted]
