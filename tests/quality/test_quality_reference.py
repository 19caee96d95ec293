"""Reference comparison: agreement with SDMetrics, privacy, bad uploads, and every plot renders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synth_gradio.errors import InputError
from synth_gradio.quality import plots
from synth_gradio.quality.compare import compare_reference, ks_complement, tv_complement
from synth_gradio.tables import read_table

rng = np.random.default_rng(7)
REAL = pd.DataFrame(
    {
        "age": rng.integers(18, 90, 400),
        "income": rng.lognormal(10, 0.5, 400).round(2),
        "country": rng.choice(["US", "DE", "FR", "JP"], 400, p=[0.4, 0.3, 0.2, 0.1]),
        "active": rng.choice([True, False], 400),
        "joined": pd.date_range("2020-01-01", periods=400, freq="D"),
    }
)
SYN = pd.DataFrame(
    {
        "age": rng.integers(20, 80, 250),
        "income": rng.lognormal(10.2, 0.6, 250).round(2),
        "country": rng.choice(["US", "DE", "FR", "BR"], 250),
        "active": rng.choice([True, False], 250, p=[0.7, 0.3]),
        "joined": pd.date_range("2021-06-01", periods=250, freq="2D"),
    }
)


@pytest.mark.parametrize("column", ["age", "income", "joined"])
def test_ks_complement_matches_sdmetrics(column: str) -> None:
    sdmetrics = pytest.importorskip("sdmetrics.single_column")
    assert ks_complement(REAL[column], SYN[column]) == pytest.approx(
        sdmetrics.KSComplement.compute(REAL[column], SYN[column]), abs=1e-6
    )


@pytest.mark.parametrize("column", ["country", "active"])
def test_tv_complement_matches_sdmetrics(column: str) -> None:
    sdmetrics = pytest.importorskip("sdmetrics.single_column")
    assert tv_complement(REAL[column], SYN[column]) == pytest.approx(
        sdmetrics.TVComplement.compute(REAL[column], SYN[column]), abs=1e-6
    )


def test_report_has_shapes_trends_and_privacy() -> None:
    gen = SYN.copy()
    gen.loc[:4] = REAL.loc[:4].to_numpy()  # five copied real rows
    report = compare_reference(REAL.assign(joined=REAL.joined.astype(str)), gen.assign(joined=gen.joined.astype(str)))
    assert set(report["column_shapes"]) == set(REAL.columns)
    assert report["column_shapes"]["joined"]["kind"] == "datetime"
    assert {t["metric"] for t in report["column_pair_trends"]} == {"CorrelationSimilarity", "ContingencySimilarity"}
    assert report["privacy"]["exact_copies"] >= 5
    assert report["privacy"]["dcr"]["min"] == 0.0
    assert 0 < report["overall"]["score"] < 100
    same = compare_reference(REAL, REAL)
    assert same["overall"]["score"] == 100.0 and same["privacy"]["exact_copy_rate"] == 1.0


def test_bad_uploads_get_clear_messages(tmp_path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="is empty"):
        read_table(empty)
    with pytest.raises(InputError, match=r"CSV, Parquet, JSONL, Excel \(\.xlsx\) or SQLite; got data\.txt"):
        read_table(tmp_path / "data.txt")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,city\nJosé,Málaga\n".encode("latin-1"))
    assert read_table(latin)["city"][0] == "Málaga"
    other = pd.DataFrame({"colour": ["red"], "size": [3]})
    with pytest.raises(InputError, match="reference has colour, size; the run has age"):
        compare_reference(other, SYN)


def test_every_plot_renders_a_png(tmp_path) -> None:
    figures = [
        plots.field_figure("age", SYN.age.tolist(), REAL.age.tolist()),
        plots.field_figure("country", SYN.country.tolist(), REAL.country.tolist()),
        plots.field_figure("tags", [["a", "b"], ["c"], None]),
        plots.box_figure(SYN, REAL),
        plots.correlation_figure(SYN),
        plots.score_history_figure(
            [
                {
                    "created_at": "2026-01-01T00:00:00",
                    "backend": "llamacpp",
                    "model": "m",
                    "quality": {"score": {"score": 80}},
                },
                {
                    "created_at": "2026-01-02T00:00:00",
                    "backend": "llamacpp",
                    "model": "m",
                    "quality": {"score": {"score": 90}},
                },
            ]
        ),
    ]
    for i, fig in enumerate(figures):
        path = plots.save(fig, str(tmp_path / f"p{i}.png"))
        data = Path(path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_dates_held_as_numpy_strings_are_read_as_dates() -> None:
    """A frame built in code (np.choice of ISO dates) holds numpy.str_, which pandas' ISO parser rejects."""
    import numpy as np

    from synth_gradio.quality.compare import _as_dates, _kind

    days = pd.Series([np.str_(d) for d in ["2023-01-05", "2023-02-01", "2023-03-09"] * 20], dtype=object)
    assert _kind(days) == "datetime"
    assert _as_dates(days).notna().all() and _as_dates(days).iloc[1].month == 2


def test_ids_codes_texts_and_times_of_day_are_compared_by_what_they_are() -> None:
    """New ids, codes and sentences never equal real ones, and should not: compared as categories
    they scored 0 and pulled a learned run's column shapes to .74; a time of day ("22:05") was a
    category too, so 22:05 was as far from 22:10 as from 06:00."""
    n = 300
    local = np.random.default_rng(1)
    real = pd.DataFrame(
        {
            "txn_id": [f"T{100000 + i}" for i in range(n)],
            "note": [f"paid {w} for the {x} order" for w, x in zip(local.integers(1, 99, n), local.integers(1, 9999, n), strict=True)],
            "time": [f"{h:02d}:{m:02d}" for h, m in zip(local.integers(6, 23, n), local.integers(0, 60, n), strict=True)],
        }
    )  # fmt: skip
    like = real.assign(txn_id=[f"T{500000 + i}" for i in range(n)], note=real["note"].str.replace("paid", "sent"))
    unlike = real.assign(txn_id=[f"tx-{i}" for i in range(n)], note="ok", time="03:00")
    shapes = compare_reference(real, like)["column_shapes"]
    assert {c: s["metric"] for c, s in shapes.items()} == {
        "txn_id": "TVComplement (form)",
        "note": "KSComplement (length)",
        "time": "KSComplement",
    }
    assert all(s["score"] > 0.95 for s in shapes.values()), shapes
    assert all(s["score"] < 0.3 for s in compare_reference(real, unlike)["column_shapes"].values())
