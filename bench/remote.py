"""Remote-backend throughput against a local OpenAI-compatible server with a fixed latency.

    python bench/remote.py [--latency 0.2] [--levels 8,16,32,64] [--rounds 4]

A server process answers every chat completion after `latency` seconds with a valid record. The
client (the Studio facade over OpenAICompatBackend) runs at each concurrency level and prints
records/s as a share of the ideal (concurrency / latency) and the client's CPU time per request.
"""

from __future__ import annotations

import argparse
import itertools
import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCHEMA = {
    "title": "Note",
    "type": "object",
    "properties": {
        "text": {"type": "string", "description": "a short note", "x-strategy": "model"},
        "level": {"type": "integer", "minimum": 1, "maximum": 5},
    },
    "required": ["text", "level"],
}


def serve(port: int, latency: float) -> None:
    counter = itertools.count()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            # Real servers disable Nagle; without it, headers and body in two writes wait ~40 ms for an ACK.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _send(self, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._send({"object": "list", "data": [{"id": "bench", "object": "model"}]})

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            time.sleep(latency)
            with lock:
                n = next(counter)
            content = json.dumps({"text": f"Benchmark note number {n}"})
            self._send(
                {
                    "id": str(n),
                    "object": "chat.completion",
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 40, "completion_tokens": 10, "total_tokens": 50},
                }
            )

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.serve_forever()


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    """This file's server in its own process, answering; (the process, its /v1 URL)."""
    import httpx

    port = 18000 + int(time.time() * 1000) % 2000
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--latency", str(latency)])
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(100):
        try:
            httpx.get(url + "/models", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    return server, url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--latency", type=float, default=0.5)
    ap.add_argument("--levels", default="8,16,32,64")
    ap.add_argument("--rounds", type=int, default=10, help="waves of requests per level")
    ap.add_argument(
        "--batch-factor", type=int, default=2, help="records per engine batch, as a multiple of the concurrency"
    )
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.latency)
        return

    import tempfile

    from synth_gradio.backends.openai_compat import OpenAICompatBackend
    from synth_gradio.schema.model import load_schema
    from synth_gradio.settings import Settings
    from synth_gradio.studio import GenerationRequest, Studio

    studio = Studio(Settings(db_path=Path(tempfile.mkdtemp(prefix="synth_bench_")) / "history.db"))

    server, url = start_server(args.latency)
    try:
        schema = load_schema(SCHEMA)
        print(json.dumps({"latency_s": args.latency}))
        for level in (int(x) for x in args.levels.split(",")):
            backend = OpenAICompatBackend(model="bench", base_url=url, concurrency=level, mode="json_object")
            n = level * args.rounds
            cpu0, t0 = time.process_time(), time.perf_counter()
            request = GenerationRequest(schema=schema, n=n, seed=1, batch_size=args.batch_factor * level)
            last = list(studio.run(request, backend))[-1]
            wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            ideal = level / args.latency
            print(
                json.dumps(
                    {
                        "concurrency": level,
                        "records": last.achieved,
                        "wall_s": round(wall, 2),
                        "records_per_s": round(last.achieved / wall, 1),
                        "ideal_per_s": round(ideal, 1),
                        "share_of_ideal": round(last.achieved / wall / ideal, 3),
                        "client_cpu_ms_per_request": round(1000 * cpu / max(1, backend.attempts), 2),
                    }
                )
            )
            backend.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
