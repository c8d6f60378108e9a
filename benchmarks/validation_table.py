"""Run the 11 validation scenes of ../shared/physics-ref on Impetus and compare with the references.

    .venv/bin/python benchmarks/validation_table.py [--shared ../shared] [--out out/validation_impetus.json]

Writes our results in the format of ``physics-ref/results_ref.json`` (engine name ``impetus``) and
prints ``judge.py``'s markdown table of Box2D v3, pybox2d, pymunk, Jax2D and Impetus side by side.
"""

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path


def _clean(v):
    if isinstance(v, float):
        return round(v, 5) if math.isfinite(v) else str(v)
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    return v


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--out", default="out/validation_impetus.json")
    args = parser.parse_args()
    ref = Path(args.shared) / "physics-ref"
    sys.path.insert(0, str(ref))
    from judge import CRITERIA
    from scenes import SCENES

    from impetus.engine.validation import ImpetusAdapter

    results = {}
    for name, scene in SCENES.items():
        t0 = time.time()
        r = scene(ImpetusAdapter())
        r["pass"] = bool(CRITERIA[name][0](r))
        r["wall_s"] = time.time() - t0
        results[name] = _clean(r)
        print(f"{name:22s} {'pass' if r['pass'] else 'FAIL'}  {json.dumps(results[name])}", file=sys.stderr)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"impetus": results}, indent=1))
    subprocess.run([sys.executable, str(ref / "judge.py"), str(ref / "results_ref.json"),
                    str(ref / "results_jax2d.json"), str(out)], check=True)
    return 0 if all(r["pass"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
