"""One reader of real tables: a file, a folder, a workbook, a SQLite file; one sentence per bad upload."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from synth_gradio.errors import InputError
from synth_gradio.tables import READERS, read_table, read_tables

A = pd.DataFrame({"id": [1, 2, 3], "name": ["x", "y", "z"]})
B = pd.DataFrame({"b_id": [1, 2], "id": [1, 1]})
C = pd.DataFrame({"c_id": [7, 8, 9], "note": ["p", "q", "r"]})


def sqlite_file(path: Path, **tables: pd.DataFrame) -> Path:
    with sqlite3.connect(path) as con:
        for name, frame in tables.items():
            frame.to_sql(name, con, index=False)
    con.close()
    return path


def workbook(path: Path, **sheets: list[list[object]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_the_known_suffixes_are_exported() -> None:
    assert {".csv", ".parquet", ".jsonl", ".json", ".xlsx"} <= set(READERS)


def test_a_folder_gives_each_table_file_by_its_stem_in_sorted_order(tmp_path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    C.to_csv(folder / "notes.csv", index=False)
    A.to_csv(folder / "people.csv", index=False)
    B.to_parquet(folder / "visits.parquet")
    (folder / "readme.txt").write_text("not a table")
    (folder / "~$people.xlsx").write_bytes(b"excel lock file")
    (folder / "nested").mkdir()
    C.to_csv(folder / "nested" / "deeper.csv", index=False)
    got = read_tables(folder)
    assert list(got) == ["notes", "people", "visits"]
    assert got["people"].equals(A) and got["visits"].equals(B) and got["notes"].equals(C)


def test_a_workbook_gives_one_table_per_sheet_and_read_table_the_first_with_rows(tmp_path) -> None:
    book = workbook(
        tmp_path / "book.xlsx",
        people=[["id", "name"], [1, "x"], [2, "y"]],
        visits=[["b_id", "id"], [1, 1], [2, 1], [3, 2]],
    )
    got = read_tables(book)
    assert list(got) == ["people", "visits"]
    assert list(got["visits"].columns) == ["b_id", "id"] and len(got["visits"]) == 3
    assert list(read_table(book)["name"]) == ["x", "y"]
    assert list(read_table(f"{book}:visits")["b_id"]) == [1, 2, 3]
    assert list(read_tables(f"{book}:visits")) == ["visits"]
    covered = workbook(tmp_path / "covered.xlsx", cover=[], data=[["id"], [5], [6]])
    assert list(read_table(covered)["id"]) == [5, 6]  # a blank cover sheet is skipped
    with pytest.raises(InputError, match=r"book\.xlsx has no sheet trips; its sheets are people, visits"):
        read_table(f"{book}:trips")


def test_a_lone_sheet_is_named_after_its_file(tmp_path) -> None:
    book = workbook(tmp_path / "clients.xlsx", Sheet1=[["id"], [1], [2]])
    assert list(read_tables(book)) == ["clients"]


def test_an_empty_sheet_is_named_in_the_error(tmp_path) -> None:
    book = workbook(tmp_path / "gaps.xlsx", people=[["id", "name"], [1, "x"]], empty=[])
    with pytest.raises(InputError, match=r"sheet empty of gaps\.xlsx is empty"):
        read_tables(book)
    assert list(read_table(book)["name"]) == ["x"]  # one table: the first sheet that has rows


def test_a_sqlite_file_gives_one_table_per_table(tmp_path) -> None:
    db = sqlite_file(tmp_path / "set.sqlite", people=A, visits=B)
    got = read_tables([db])
    assert list(got) == ["people", "visits"]
    assert got["people"].equals(A) and got["visits"].equals(B)
    assert read_table(sqlite_file(tmp_path / "one.db", people=A)).equals(A)


def test_file_colon_table_picks_one_sqlite_table(tmp_path) -> None:
    db = sqlite_file(tmp_path / "set.sqlite3", people=A, visits=B, **{'odd "name"': C})
    assert read_table(f"{db}:visits").equals(B)
    assert read_table(f'{db}:odd "name"').equals(C)
    assert list(read_tables([f"{db}:people"])) == ["people"]
    with pytest.raises(InputError, match=r"set\.sqlite3 has no table trips; its tables are people, visits"):
        read_table(f"{db}:trips")
    A.to_csv(tmp_path / "flat.csv", index=False)
    with pytest.raises(InputError, match=r"flat\.csv holds one table"):
        read_table(f"{tmp_path / 'flat.csv'}:people")


def test_several_sqlite_tables_given_as_one_is_an_error_listing_them(tmp_path) -> None:
    db = sqlite_file(tmp_path / "set.sqlite", people=A, visits=B)
    with pytest.raises(
        InputError, match=r"set\.sqlite has tables people, visits; give one of them as set\.sqlite:TABLE"
    ):
        read_table(db)
    none = tmp_path / "none.sqlite"
    con = sqlite3.connect(none)
    con.execute("CREATE VIEW v AS SELECT 1 AS x")  # a view is not a table
    con.commit()
    con.close()
    with pytest.raises(InputError, match=r"the SQLite file none\.sqlite has no tables"):
        read_tables(none)


def test_files_that_are_not_tables_get_one_sentence_naming_them(tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    with pytest.raises(InputError, match=r"CSV, Parquet, JSONL, Excel \(\.xlsx\) or SQLite; got notes\.txt"):
        read_table(notes)
    picture = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    for name, message in [
        ("picture.csv", r"picture\.csv is not a table: it holds binary data, not CSV text"),
        ("picture.jsonl", r"picture\.jsonl is not a table: it holds binary data"),
        ("picture.parquet", r"cannot read picture\.parquet as PARQUET"),
        ("picture.xlsx", r"cannot read picture\.xlsx as XLSX"),
        ("picture.sqlite", r"cannot read picture\.sqlite as SQLite"),
    ]:
        (tmp_path / name).write_bytes(picture)
        with pytest.raises(InputError, match=message):
            read_tables(tmp_path / name)


def test_a_utf16_csv_is_read_not_called_binary(tmp_path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes("id,name\n1,é\n2,ü\n".encode("utf-16"))
    assert list(read_table(path)["name"]) == ["é", "ü"]


def test_a_name_clash_names_both_sources(tmp_path) -> None:
    one, two = tmp_path / "a", tmp_path / "b"
    for folder in (one, two):
        folder.mkdir()
        A.to_csv(folder / "people.csv", index=False)
    with pytest.raises(InputError, match="two tables are named people") as caught:
        read_tables([one, two])
    assert str(one / "people.csv") in str(caught.value) and str(two / "people.csv") in str(caught.value)
    db = sqlite_file(tmp_path / "more.db", people=A, visits=B)
    with pytest.raises(InputError, match=r"more\.db:people"):
        read_tables([one / "people.csv", db])


def test_empty_and_missing_inputs(tmp_path) -> None:
    empty = tmp_path / "none"
    empty.mkdir()
    with pytest.raises(InputError, match=r"the folder none holds no CSV, Parquet"):
        read_tables(empty)
    with pytest.raises(InputError, match="give at least one reference table"):
        read_tables([])
    with pytest.raises(InputError, match="reference file not found"):
        read_tables(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="reference file not found"):
        read_table(f"{tmp_path / 'missing.sqlite'}:people")
    folder = tmp_path / "looks.csv"
    folder.mkdir()
    with pytest.raises(InputError, match=r"looks\.csv is a folder; give one file of it"):
        read_table(folder)


def test_numbers_with_leading_zeros_stay_text(tmp_path) -> None:
    """pandas reads zip codes as numbers: 02134 became 2134."""
    path = tmp_path / "places.csv"
    path.write_text("zip,visits,share\n02134,3,0.5\n10001,4,0.25\n00501,5,1.0\n")
    frame = read_table(path)
    assert frame["zip"].tolist() == ["02134", "10001", "00501"]
    assert frame["visits"].tolist() == [3, 4, 5] and frame["share"].dtype == float


def test_a_european_csv_is_read_with_its_separator_and_decimal_comma(tmp_path) -> None:
    """Excel in much of Europe writes ";" between fields and 3,14 for a number: read with commas it
    was one column of text, and learning said the table had no structured column."""
    path = tmp_path / "bestellungen.csv"
    path.write_text(
        "Nr;Datum;Preis (€);Menge;Rabatt\n0012;07.02.2024 11:13;1.234,50;5;10%\n0013;20.03.2024 01:13;98,28;1;\n",
        encoding="utf-8-sig",
    )
    frame = read_table(path)
    assert list(frame.columns) == ["Nr", "Datum", "Preis (€)", "Menge", "Rabatt"]
    assert frame["Preis (€)"].tolist() == [1234.5, 98.28] and frame["Menge"].tolist() == [5, 1]
    assert frame["Nr"].tolist() == ["0012", "0013"]  # leading zeros kept, as in a comma file


def test_tabs_and_pipes_separate_and_a_comma_file_with_semicolons_in_text_stays_commas(tmp_path) -> None:
    tabs = tmp_path / "t.csv"
    tabs.write_text("a\tb\n1.5\tx\n2.5\ty\n", encoding="utf-8")
    assert read_table(tabs)["a"].tolist() == [1.5, 2.5]
    pipes = tmp_path / "p.csv"
    pipes.write_text("a|b\n1|x\n2|y\n", encoding="utf-8")
    assert list(read_table(pipes).columns) == ["a", "b"]
    commas = tmp_path / "c.csv"
    commas.write_text('id,note,price\n1,"red; large",3.5\n2,"blue; small",4.25\n3,plain,1.0\n', encoding="utf-8")
    frame = read_table(commas)
    assert list(frame.columns) == ["id", "note", "price"] and frame["price"].tolist() == [3.5, 4.25, 1.0]


def test_a_decimal_comma_in_one_column_leaves_points_in_another(tmp_path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("id;price;size;code\n1;2.75;3,5;0012\n2;3.10;1.234,5;0013\n", encoding="utf-8")
    frame = read_table(path)
    assert frame["price"].tolist() == [2.75, 3.10] and frame["size"].tolist() == [3.5, 1234.5]
    assert frame["code"].tolist() == ["0012", "0013"]


def test_numbers_are_read_exactly_as_written(tmp_path) -> None:
    """A real value and the same value computed again must be equal: pandas' fast parser read
    log(0.1) one unit in the last place off, and a learned law's exact log(0.1) then looked new."""
    import math

    values = [math.log(0.1), math.log(2.1), 1 / 3, 0.1 + 0.2]
    path = tmp_path / "exact.csv"
    pd.DataFrame({"x": values}).to_csv(path, index=False)
    assert read_table(path)["x"].tolist() == values
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text("x;y\n" + "".join(f"{v!r};a\n" for v in values))
    assert read_table(semicolons)["x"].tolist() == values
    commas = tmp_path / "commas.csv"
    commas.write_text("x;y\n" + "".join(f"{v!r};a\n".replace(".", ",") for v in values))
    assert read_table(commas)["x"].tolist() == values  # decimal commas, exactly too
    lines = tmp_path / "exact.jsonl"
    lines.write_text("".join(f'{{"x": {v!r}}}\n' for v in values))
    assert read_table(lines)["x"].tolist() == values
