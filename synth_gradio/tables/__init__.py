"""Reading real tables: one file, a folder of files, a workbook of sheets or a SQLite database.

One reader for inference, learning and quality alike, so an upload that cannot be used gets the
same sentence wherever it is given (schema/infer, learn via studio, quality reports).
This is a bottom layer: it imports only the standard library, pandas and synth_gradio.errors.
"""

from synth_gradio.tables.durations import write_duration
from synth_gradio.tables.files import READERS
from synth_gradio.tables.keys import key_text
from synth_gradio.tables.read import read_table, read_tables
from synth_gradio.tables.rules import held_share, once_counts, once_rules
from synth_gradio.tables.shapes import CLASSES, CODE, code_shape, codes_pattern, holds_nested, shape_size
from synth_gradio.tables.sqlite import MANY
from synth_gradio.tables.written import UNIT, find_units, read_columns, read_written

__all__ = [
    "CLASSES",
    "CODE",
    "MANY",
    "READERS",
    "UNIT",
    "code_shape",
    "codes_pattern",
    "find_units",
    "held_share",
    "holds_nested",
    "key_text",
    "once_counts",
    "once_rules",
    "read_columns",
    "read_table",
    "read_tables",
    "read_written",
    "shape_size",
    "write_duration",
]
