"""Reading real tables: one file, a folder of files, a workbook of sheets or a SQLite database.

One reader for inference, learning and quality alike, so an upload that cannot be used gets the
same sentence wherever it is given (schema/infer, learn via studio, quality reports).
"""

from synth_gradio.tables.reader import MANY, READERS, read_table, read_tables

__all__ = ["MANY", "READERS", "read_table", "read_tables"]
