"""A copy of a SentencePiece GGUF model whose vocabulary keeps only its frequent pieces.

Why: Gemma 3 270M has a 262,144-piece vocabulary and a 640-wide model, so the output layer (one
row per piece, computed for every generated token whatever the grammar allows) is the largest
matrix product of a decode step. Most of those rows are rare multi-character pieces of many
scripts. Keeping the most frequent multi-character pieces (with the other spacing and
capitalisation of the same words), the most frequent single characters, every byte piece and the
named control pieces shrinks that layer more than threefold, and every text is still writable: a
word whose piece was dropped is spelled from smaller pieces, and any character from its UTF-8
bytes. Decoding is then about 1.4 times faster per token (bench/vocab_trim.py).

Only SentencePiece vocabularies with byte fallback qualify (`tokenizer.ggml.model` "llama"): their
pieces are ranked by score, a piece's parts always outrank it, and tokenization merges only pairs
whose union is a piece, so dropping the lowest-ranked pieces leaves a consistent tokenizer. The
output layer must be the tied embedding (no separate `output.weight`). Anything else is used as is.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

KEEP_PIECES = 49_152  # multi-character pieces kept, the highest-scored first (then their word variants)
KEEP_CHARS = 4_096  # single-character pieces kept, the highest-scored first
_NORMAL, _CONTROL, _USER, _BYTE = 1, 3, 4, 6
_SPACE = "\u2581"  # SentencePiece's mark for a leading space
_VERSION = 2  # bump when the selection rule changes: the file name changes with it
_TOKENIZER_ARRAYS = ("tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type")


def cache_dir() -> Path:
    """Where derived model files are kept: SYNTH_CACHE_DIR, else ~/.cache/synth_gradio."""
    configured = os.environ.get("SYNTH_CACHE_DIR", "").strip()
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "synth_gradio"


def trimmed_model_path(source: str, pieces: int = KEEP_PIECES, chars: int = KEEP_CHARS) -> str:
    """The trimmed copy of `source`, written once into the cache; `source` itself when it cannot be.

    A model that does not qualify, a missing `gguf` package or a cache that cannot be written all
    fall back to the full vocabulary: trimming is a speed-up, never a condition for running.
    """
    src = Path(source)
    stat = src.stat()
    target = cache_dir() / f"{src.stem}.{stat.st_size}-{stat.st_mtime_ns}.vocab-{pieces}-{chars}-v{_VERSION}.gguf"
    if target.is_file():
        return str(target)
    try:
        import gguf
    except ImportError:
        log.info("the gguf package is missing: using the full vocabulary of %s", source)
        return source
    try:
        reader = gguf.GGUFReader(source, "r")
        keep = pieces_to_keep(reader, pieces, chars)
        if keep is None:
            return source
        target.parent.mkdir(parents=True, exist_ok=True)
        log.info("writing %s: %d of the vocabulary's pieces kept (once per model file)", target, len(keep))
        _write_trimmed(gguf, reader, keep, target)
        for stale in target.parent.glob(f"{src.stem}.*.vocab-*.gguf"):
            if stale != target:  # an older rule's or an older file's copy: nothing reads it again
                stale.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not write a trimmed vocabulary (%s): using the full one", exc)
        return source
    return str(target)


def pieces_to_keep(reader, pieces: int, chars: int) -> np.ndarray | None:
    """Ids of the kept pieces in their original order, or None when the model does not qualify."""
    fields = reader.fields
    if _text(fields.get("tokenizer.ggml.model")) != "llama" or any(t.name == "output.weight" for t in reader.tensors):
        return None
    if "token_embd.weight" not in {t.name for t in reader.tensors}:
        return None
    tokens = fields["tokenizer.ggml.tokens"]
    types = np.asarray(fields["tokenizer.ggml.token_type"].contents(), dtype=np.int64)
    scores = np.asarray(fields["tokenizer.ggml.scores"].contents(), dtype=np.float64)
    texts = [bytes(tokens.parts[i]).decode("utf-8", errors="replace") for i in tokens.data]
    if int((types == _BYTE).sum()) != 256 or len(types) <= pieces + chars:
        return None  # without byte fallback a dropped character could not be written at all
    single = np.array([len(t) == 1 for t in texts])
    normal = types == _NORMAL
    keep = (types == _BYTE) | (types == _USER)
    keep |= (types == _CONTROL) & np.array([not t.startswith("<unused") for t in texts])
    words = _best(normal & ~single, scores, pieces)
    keep[words] = True
    keep[_word_variants(words, texts, normal)] = True
    keep[_best(normal & single, scores, chars)] = True
    return np.flatnonzero(keep)


def _best(group: np.ndarray, scores: np.ndarray, budget: int) -> np.ndarray:
    """Ids of the `budget` highest-scored pieces in `group`."""
    ids = np.flatnonzero(group)
    return ids[np.argsort(-scores[ids], kind="stable")[:budget]]


def _word_variants(ids: np.ndarray, texts: list[str], normal: np.ndarray) -> list[int]:
    """The same words with and without a leading space and with the first letter in either case.

    A JSON string's first word has no space before it ('"billing', not ' billing'), and a sentence's
    first word is capitalised; those forms rank far below the common one, so by rank alone a
    frequent word would be spelled in pieces exactly where a value starts.
    """
    index = {t: i for i, t in enumerate(texts) if normal[i]}
    found: list[int] = []
    for i in ids:
        core = texts[i].removeprefix(_SPACE)
        forms = {core}
        if core[:1].isalpha():
            forms |= {core[0].upper() + core[1:], core[0].lower() + core[1:]}
        for form in forms:
            for piece in (form, _SPACE + form):
                j = index.get(piece)
                if j is not None:
                    found.append(j)
    return found


def _write_trimmed(gguf, reader, keep: np.ndarray, target: Path) -> None:
    """Copy every field and tensor, with the vocabulary arrays, special ids and embedding rows cut."""
    new_id = {int(old): new for new, old in enumerate(keep)}
    arch = _text(reader.fields["general.architecture"])
    fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".part", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)  # readable like any model file (mkstemp makes it private)
    quiet = logging.getLogger("gguf")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # the writer announces every file at INFO
    try:
        writer = gguf.GGUFWriter(tmp, arch=arch, endianess=reader.endianess)
        for field in reader.fields.values():
            if field.name.startswith("GGUF.") or field.name == "general.architecture":
                continue
            kind = field.types[0]
            sub = field.types[-1] if kind == gguf.GGUFValueType.ARRAY else None
            value = field.contents()
            if field.name in _TOKENIZER_ARRAYS:
                value = [value[i] for i in keep]
            elif field.name.startswith("tokenizer.ggml.") and field.name.endswith("_token_id"):
                if value not in new_id:
                    continue  # a special id that points at a dropped piece is left unset
                value = new_id[value]
            writer.add_key_value(field.name, value, kind, sub_type=sub)
        tensors = [(t, t.data[keep] if t.name == "token_embd.weight" else t.data) for t in reader.tensors]
        for tensor, data in tensors:
            writer.add_tensor_info(tensor.name, data.shape, data.dtype, data.nbytes, tensor.tensor_type)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        for _, data in tensors:
            writer.write_tensor_data(np.ascontiguousarray(data), tensor_endianess=reader.endianess)
        writer.close()
        os.replace(tmp, target)  # atomic: a second process either sees the whole file or builds its own
    finally:
        quiet.setLevel(level)
        if os.path.exists(tmp):
            os.unlink(tmp)


def _text(field) -> str | None:
    return None if field is None else str(field.contents())
