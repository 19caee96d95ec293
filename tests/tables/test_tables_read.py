"""One reader of real tables: a file, a folder, a workbook, a SQLite file; one sentence per bad upload."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from openpyxl import Workbook

from synth_gradio.errors import InputError
from synth_gradio.tables import read_table, read_tables

A = pd.DataFrame({"id": [1, 2, 3], "name": ["x", "y", "z"]})
B = pd.DataFrame({"b_id": [1, 2], "id": [1, 1]})


def test_a_folder_a_workbook_and_a_sqlite_file_give_named_tables(tmp_path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    A.to_csv(folder / "people.csv", index=False)
    B.to_parquet(folder / "visits.parquet")
    (folder / "readme.txt").write_text("not a table")
    got = read_tables(folder)
    assert list(got) == ["people", "visits"] and got["people"].equals(A)
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        A.to_excel(writer, sheet_name="people", index=False)
        B.to_excel(writer, sheet_name="visits", index=False)
    assert list(read_tables(book)) == ["people", "visits"]
    assert read_table(book).equals(A)  # one table: the first sheet
    db = tmp_path / "set.sqlite"
    with sqlite3.connect(db) as con:
        A.to_sql("people", con, index=False)
        B.to_sql("visits", con, index=False)
    assert list(read_tables([db])) == ["people", "visits"]
    with pytest.raises(InputError, match=r"set\.sqlite has tables people, visits"):
        read_table(db)


def test_bad_uploads_get_one_sentence(tmp_path) -> None:
    book = tmp_path / "gaps.xlsx"
    wb = Workbook()
    wb.active.title = "people"
    wb.active.append(["id", "name"])
    wb.active.append([1, "x"])
    wb.create_sheet("empty")
    wb.save(book)
    with pytest.raises(InputError, match=r"sheet empty of gaps\.xlsx is empty"):
        read_tables(book)
    empty = tmp_path / "none"
    empty.mkdir()
    with pytest.raises(InputError, match="holds no CSV, Parquet"):
        read_tables(empty)
    fake = tmp_path / "picture.parquet"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(InputError, match=r"cannot read picture\.parquet as PARQUET"):
        read_tables(fake)
    one, two = tmp_path / "a", tmp_path / "b"
    for folder in (one, two):
        folder.mkdir()
        A.to_csv(folder / "people.csv", index=False)
    with pytest.raises(InputError, match="two tables are named people"):
        read_tables([one, two])
    with pytest.raises(InputError, match="reference file not found"):
        read_tables(tmp_path / "missing.csv")
