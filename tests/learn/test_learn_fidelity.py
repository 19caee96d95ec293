"""The learned model on sklearn's real tables: clearly above the old column-by-column draw, no copies."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from learn_helpers import as_frame, column_by_column, fidelity, row_keys, sklearn_table

from synth_gradio.learn import fit_table

TABLES = ["wine", "breast_cancer", "diabetes", "iris"]


@pytest.mark.parametrize("name", TABLES)
def test_fidelity_beats_column_by_column_and_copies_nothing(name: str) -> None:
    real = sklearn_table(name)
    model = fit_table(real, seed=0)
    assert model.columns == list(real.columns)
    synthetic = as_frame(model.sample(300, 1), model.columns)
    learned = fidelity(real, synthetic)
    baseline = fidelity(real, column_by_column(real, 300))
    assert learned["overall"] >= baseline["overall"] + 0.12, (learned, baseline)
    assert learned["pairs"] >= baseline["pairs"] + 0.1, (learned, baseline)
    assert learned["shapes"] >= 0.9, learned
    assert not row_keys(synthetic) & row_keys(real)


def test_wine_strongest_correlation_keeps_its_sign_and_size() -> None:
    real = sklearn_table("wine").drop(columns="target")
    corr = real.corr().to_numpy()
    np.fill_diagonal(corr, 0)
    i, j = np.unravel_index(np.abs(corr).argmax(), corr.shape)
    a, b = real.columns[i], real.columns[j]
    synthetic = as_frame(fit_table(real, seed=0).sample(2000, 3), list(real.columns))
    learned = synthetic[a].corr(synthetic[b])
    assert np.sign(learned) == np.sign(corr[i, j])
    assert abs(learned - corr[i, j]) < 0.12, (a, b, corr[i, j], learned)


def test_iris_classes_keep_their_own_shapes() -> None:
    """One copula per class (the segment) keeps setosa's petals short, as in the real table."""
    real = sklearn_table("iris")
    model = fit_table(real, seed=0, method="copula")
    assert model.summary()["segment"] == "target"
    synthetic = as_frame(model.sample(900, 2), model.columns)
    by_class = synthetic.groupby("target")["petal length (cm)"].mean()
    truth = real.groupby("target")["petal length (cm)"].mean()
    assert (by_class - truth).abs().max() < 0.3, (by_class, truth)


def test_sdmetrics_quality_report_on_mixed_tables() -> None:
    """The SDMetrics report itself (test-only oracle) on wine and a mixed table with dates and nulls."""
    sdmetrics = pytest.importorskip("sdmetrics")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sdmetrics.reports.single_table import QualityReport

    placements = Path(sdmetrics.__file__).parent / "demos/single_table/student_placements_real.csv"
    cases = [(sklearn_table("wine"), 0.92, 0.95), (pd.read_csv(placements), 0.89, 0.94)]
    for frame, overall, shapes in cases:
        model = fit_table(frame, seed=0)
        real = frame[model.columns]
        synthetic = pd.DataFrame(model.sample(300, 0), columns=model.columns).astype(real.dtypes.to_dict())
        columns = {}
        for name in real.columns:
            columns[name] = {
                "sdtype": {"b": "boolean", "i": "numerical", "f": "numerical"}.get(real[name].dtype.kind, "categorical")
            }
        for name in ("start_date", "end_date"):
            if name in columns:
                columns[name] = {"sdtype": "datetime", "datetime_format": "%Y-%m-%d"}
        report = QualityReport()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report.generate(real, synthetic, {"columns": columns}, verbose=False)
        props = report.get_properties().set_index("Property")["Score"]
        assert report.get_score() >= overall, report.get_properties()
        assert props["Column Shapes"] >= shapes, report.get_properties()
