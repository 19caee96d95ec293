"""llama-cpp-python's OpenAI-compatible server, started the way this project loads models.

The server has no option for llama.cpp's extra buffer types, and on AMX CPUs in a sandbox those
crash (see synth_gradio.backends.llamacpp_model.use_extra_buffers). This wrapper applies the same
choice to the server's model parameters, then runs `python -m llama_cpp.server` with its arguments.
"""

from __future__ import annotations

import runpy

import llama_cpp.llama_cpp as bindings

from synth_gradio.backends.llamacpp_model import use_extra_buffers

_default = bindings.llama_model_default_params


def _model_params():  # type: ignore[no-untyped-def]
    params = _default()
    params.use_extra_bufts = use_extra_buffers()
    return params


bindings.llama_model_default_params = _model_params

if __name__ == "__main__":
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
