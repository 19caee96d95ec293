"""CPU feature detection for llama.cpp: AMX tiles crash in sandboxes that do not grant tile state."""

from __future__ import annotations

from synth_gradio.backends.llamacpp_model import use_extra_buffers


def test_amx_cpus_keep_the_plain_cpu_path(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SYNTH_LLAMA_EXTRA_BUFFERS", raising=False)
    amx = tmp_path / "amx"
    amx.write_text("flags\t\t: fpu sse avx2 avx512f amx_bf16 amx_tile amx_int8\n")
    plain = tmp_path / "plain"
    plain.write_text("flags\t\t: fpu sse avx2 fma\n")
    assert use_extra_buffers(str(amx)) is False
    assert use_extra_buffers(str(plain)) is True
    assert use_extra_buffers(str(tmp_path / "missing")) is True
    monkeypatch.setenv("SYNTH_LLAMA_EXTRA_BUFFERS", "1")
    assert use_extra_buffers(str(amx)) is True
    monkeypatch.setenv("SYNTH_LLAMA_EXTRA_BUFFERS", "0")
    assert use_extra_buffers(str(plain)) is False
