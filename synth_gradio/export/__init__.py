"""Write records to CSV, JSON, JSONL, Parquet or Excel, chosen by the file extension.

Records arrive as an iterator and are written in chunks, so exporting a large run never holds it
all in memory for CSV, JSONL and Parquet. CSV and Excel get flat columns: nested objects become
dotted column names and arrays are JSON-encoded.

Spreadsheet formula injection is neutralized by default: in CSV and Excel a text cell that begins
with =, +, -, @, tab or CR gets a leading apostrophe (not a signed number or phone number such as
"+61 412 555 019": nothing in it can run). Excel cells are always written as text, never
as formulas, even with neutralization turned off. Metadata (schema, template, backend, parameters,
quality) goes into the Parquet file's key-value metadata, or a NAME.meta.json file beside the others.

Formats live in a registry (`WRITERS`, format name -> `Writer`); `register_writer` adds one.
This package depends on nothing in synth_gradio but its errors, so any storage or interface can use it.
"""

from synth_gradio.export.dataset import export_dataset
from synth_gradio.export.flat import CHUNK, FORMULA_STARTS, flat_columns, flatten, neutralize
from synth_gradio.export.metadata import run_metadata
from synth_gradio.export.parquet import META_KEY
from synth_gradio.export.splits import SPLITS, parse_ratios, split_of, split_path, split_records
from synth_gradio.export.tables import write_tables
from synth_gradio.export.writers import (
    EXPORT_FORMATS,
    FORMATS,
    WRITERS,
    WriteFn,
    Writer,
    format_for,
    metadata_path,
    register_writer,
    write_records,
)

__all__ = [
    "CHUNK",
    "EXPORT_FORMATS",
    "FORMATS",
    "FORMULA_STARTS",
    "META_KEY",
    "SPLITS",
    "WRITERS",
    "WriteFn",
    "Writer",
    "export_dataset",
    "flat_columns",
    "flatten",
    "format_for",
    "metadata_path",
    "neutralize",
    "parse_ratios",
    "register_writer",
    "run_metadata",
    "split_of",
    "split_path",
    "split_records",
    "write_records",
    "write_tables",
]
