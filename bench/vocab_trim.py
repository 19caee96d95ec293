"""How much faster the bundled model decodes with its vocabulary trimmed (prints figures).

    python bench/vocab_trim.py [--n 60] [--seeds 7,11,13]

Runs the prose scenario (bench/support_ticket_prose.json, the product's Studio facade) in fresh
processes, alternating the full vocabulary (SYNTH_FULL_VOCABULARY=1) and the trimmed one
(backends/gguf_vocab.py), once per seed, and prints per run: model-written characters per second,
sampled tokens and decode milliseconds per sampled token; then the means and the ratios
trimmed/full. Ratios come from one run on one machine, so load and noise touch both sides alike.
A seed is one trajectory (the first accepted records become the prompt's examples), so judge the
characters-per-second ratio on several seeds; the per-token decode time is steadier.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from text_quality import ROOT, WORKER


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60, help="records per run")
    ap.add_argument("--seeds", default="7,11,13", help="comma-separated seeds, one run per side each")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    runs: dict[str, list[dict]] = {"full": [], "trimmed": []}
    with tempfile.TemporaryDirectory(prefix="synth_vocab_") as tmp:
        for seed in seeds:
            for side in runs:
                env = {**os.environ, "PYTHONPATH": str(ROOT), "SYNTH_FULL_VOCABULARY": "1" if side == "full" else "0"}
                cmd = [sys.executable, "-c", WORKER, str(HERE / "support_ticket_prose.json"), str(args.n), str(seed),
                       str(args.batch_size)]  # fmt: skip
                proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, check=False)
                line: dict = {"side": side, "seed": seed}
                if proc.returncode:
                    line["error"] = proc.stderr.strip().splitlines()[-3:]
                else:
                    got = json.loads(proc.stdout.strip().splitlines()[-1])
                    got.pop("module", None)
                    runs[side].append(got)
                    line.update({k: round(v, 2) if isinstance(v, float) else v for k, v in got.items()})
                print(json.dumps(line), flush=True)
    mean = {
        side: {k: round(sum(r[k] for r in rs) / len(rs), 2) for k in ("chars_per_s", "decode_ms_per_sampled_token")}
        for side, rs in runs.items()
        if rs
    }
    summary: dict = {"n": args.n, "seeds": seeds, **{f"{side}_mean": m for side, m in mean.items()}}
    if len(mean) == 2:
        summary["chars_per_s_ratio_trimmed_over_full"] = round(
            mean["trimmed"]["chars_per_s"] / mean["full"]["chars_per_s"], 3
        )
        summary["decode_speedup_per_token"] = round(
            mean["full"]["decode_ms_per_sampled_token"] / mean["trimmed"]["decode_ms_per_sampled_token"], 3
        )
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
