"""Impetus engine vs Jax2D, measured in one sitting, interleaved per configuration.

Usage (from the repository root; the Jax2D venv as described in ../shared/anchor-bench/README.md)::

    .venv/bin/python benchmarks/compare_engine.py --jax2d-python ~/anchor-venvs/kinetix/bin/python \
        --sizes s,m,l --batches 1,256,2048,8192 [--devices auto|N] [--out out/compare_engine.json]

For each (size, batch) it runs Jax2D's anchor benchmark and ``impetus bench engine --json`` one
after the other (so both see the same machine load) and prints a markdown table of steps/s,
the ratio, compile times and our peak memory.  Impetus sets XLA:CPU flags on import
(``impetus._xla``); ``--jax2d-impetus-xla-flags`` runs Jax2D with the same flags, to compare
the two engines under one XLA configuration.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LEVEL_CACHE = str(Path(tempfile.gettempdir()) / "jax2d-level-cache")
ANCHOR = Path(__file__).resolve().parents[2] / "shared" / "anchor-bench" / "bench_jax2d_engine.py"


def jax2d(python: str, size: str, batch: int, reps: int, xla_flags: str | None = None) -> dict:
    env = None if xla_flags is None else {**os.environ, "XLA_FLAGS": xla_flags}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        subprocess.run([python, str(ANCHOR), "--sizes", size, "--batches", str(batch), "--reps", str(reps),
                        "--level-cache", LEVEL_CACHE, "--json-out", str(out)], check=True, capture_output=True,
                       text=True, env=env)
        row = json.loads(out.read_text())["rows"][0]
    row["compile_total_s"] = row["trace_lower_s"] + row["compile_s"]
    return row


def impetus(size: str, batch: int, reps: int, devices: str) -> dict:
    cmd = [sys.executable, "-m", "impetus.cli.main", "bench", "engine", "--size", size, "--batch", str(batch),
           "--reps", str(reps), "--devices", str(devices), "--json"]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jax2d-python", required=True)
    ap.add_argument("--sizes", default="m")
    ap.add_argument("--batches", default="2048")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--devices", default="auto", help="passed to impetus bench engine (auto: one per core)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--jax2d-impetus-xla-flags", action="store_true",
                    help="also give Jax2D the XLA:CPU flags Impetus sets on import (impetus._xla.CPU_DEFAULTS)")
    args = ap.parse_args()
    rows = []
    xla_flags = None
    if args.jax2d_impetus_xla_flags:  # (importing impetus also sets them in this process's environment)
        from impetus._xla import CPU_DEFAULTS
        xla_flags = " ".join(CPU_DEFAULTS)
    print("| size | batch | Jax2D steps/s | Impetus steps/s | ratio | Jax2D compile s | Impetus compile s |"
          " Impetus peak RSS MiB | Impetus devices |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes.split(","):
        for batch in (int(b) for b in args.batches.split(",")):
            ref = jax2d(args.jax2d_python, size, batch, args.reps, xla_flags)
            devices = args.devices if args.devices == "auto" or batch >= int(args.devices) else "1"
            ours = impetus(size, batch, args.reps, devices)
            ref_rate = ref["steps_per_s_median"]
            ratio = ours["steps_per_s"] / ref_rate
            rows.append({"size": size, "batch": batch, "jax2d": ref, "impetus": ours, "ratio": ratio})
            print(f"| {size.upper()} | {batch} | {ref_rate:,.0f} | {ours['steps_per_s']:,.0f} | {ratio:.2f}x | "
                  f"{ref['compile_total_s']:.1f} | {ours['compile_s']:.1f} | {ours['peak_rss_mb']:.0f} | "
                  f"{ours['devices']} |",
                  flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
