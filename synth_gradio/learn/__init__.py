"""Learn a joint model of a reference table's structured columns and draw new rows from it.

    model = fit_table(frame)                  # fitted on the training split, about a second
    rows = model.sample(300, seed)            # [{column: int | float | str | bool | None}]
    row = model.sampler(seed).next_row(rng)   # per record, drawn 256 at a time
    stored = model.to_dict()                  # JSON; LearnedModel.from_dict(stored) draws the same rows

The model is a Gaussian copula of our own on numpy and scipy (SDV, copulas and rdt are BUSL-1.1
and may not be runtime dependencies; mostlyai-engine needs torch, about 750 MB, and minutes of
training). It fits 10,000 x 20 in about half a second, samples tens of thousands of rows a second
and stores as a small JSON object.

- Marginals: numbers and dates keep a quantile grid (at most 256 points, at most half the rows),
  low-cardinality numbers, categories and booleans keep their frequent values and probabilities.
  Integers come out as ints within the observed range, numbers with their observed decimals,
  dates and datetimes (ISO and common strings, or pandas datetimes) in the reference's format.
- Nulls: each column with some nulls gets a "missing" latent variable inside the copula, so
  missingness follows the other columns as it does in the reference.
- Dependence: one correlation matrix over latent normal scores, corrected for discrete variables
  (polyserial to first order, polychoric exactly), made positive definite (copula.py). Categories
  with three or more values are laid out along the direction in which the other columns change
  most (optimal scaling, as in correspondence analysis).
  When one category explains much of the other columns (a class label), each of its values gets
  its own copula (segments.py).
- Not modelled: free text (high-cardinality or long strings) is reported as `text_columns` for
  the language model; unique keys, emails, UUIDs and URLs as `id_columns`; all-null columns are
  skipped with a note in `summary()` (an error only when nothing is left to model).
- Rare values: a category's value seen in fewer than `rare_categories` training rows (default 2:
  in one row only) is never emitted, nor is a low-cardinality number's value seen in fewer than
  `rare_threshold` (default 5). Categories are dropped from the
  marginal and their probability mass goes to the others in proportion; a low-cardinality number's
  rare values are merged into the nearest frequent value, except its smallest and largest, which
  keep the column's range. The summary reports how many values and rows per column, never the
  values. Numbers keep their observed minimum and maximum, as an inferred schema does.
- No copies: sampled rows whose keyed digest matches any reference row (training or holdout) are
  redrawn; privacy.py says what the stored digests reveal. If the structured columns have so few
  combinations that more than half the draws are copies, redrawing would distort the table, so
  fitting fails with an InputError, unless free-text columns make every row new anyway: then only
  combinations shared by fewer than `rare_threshold` reference rows stay guarded (k-anonymity, as
  `shared_rows` asks for explicitly), with a note.
- Holdout: fitting uses a deterministic content-hash split (`split_reference`, 20%), so quality
  code can measure distance to closest record and ML efficacy on rows the model never saw.
- Sampling is stratified within each block of rows (copula.stratify), which removes most sampling
  noise from column shapes without changing the dependence.
"""

from synth_gradio.learn.fit import fit_table
from synth_gradio.learn.model import FORMAT, VERSION, LearnedModel, RowSampler
from synth_gradio.learn.privacy import holdout_mask, split_reference

__all__ = ["FORMAT", "VERSION", "LearnedModel", "RowSampler", "fit_table", "holdout_mask", "split_reference"]
