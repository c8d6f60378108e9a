"""The DR-vs-SFL table and curve of ``docs/curricula.md``: ``python docs/make_curricula_report.py RUN...``.

Reads only the JSON files a run writes (``config.json``, ``summary.json``, ``metrics.jsonl``,
``eval/update_*.json``) and, when present, ``final_eval.json`` (written by
``impetus eval RUN library:s --attempts 100 --out RUN/final_eval.json``).  Prints a Markdown table
and, with ``--png FILE`` and matplotlib installed, draws the held-out solve rate over env steps.
"""

import argparse
import json
import math
from pathlib import Path


def _mean(values: list) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return sum(finite) / len(finite) if finite else float("nan")


def load(run: Path) -> dict:
    """One run's figures: config, wall time, eval curve, SFL buffer / fresh learnability."""
    config = json.loads((run / "config.json").read_text())
    summary = json.loads((run / "summary.json").read_text())
    curve = []
    for path in sorted((run / "eval").glob("update_*.json")):
        record = json.loads(path.read_text())
        curve.append((record["env_steps"], record["stochastic"]["overall"]["solve_rate"],
                      record["deterministic"]["overall"]["solve_rate"]))
    lines = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    out = {"name": run.name, "curriculum": config["ued"]["curriculum"], "seed": config["run"]["seed"],
           "env_steps": summary["env_steps"], "wall_s": summary["wall_s"], "curve": curve,
           "buffer_learnability": _mean([x.get("curriculum/buffer_score_mean") for x in lines]),
           "fresh_learnability": _mean([x.get("curriculum/sfl_fresh_learnability") for x in lines])}
    final = run / "final_eval.json"
    if final.exists():
        result = json.loads(final.read_text())
        out["final"] = {mode: result[mode]["overall"]["solve_rate"] for mode in ("stochastic", "deterministic")}
        out["final_attempts"] = result["stochastic"]["attempts"]
    return out


def table(rows: list[dict]) -> str:
    """A Markdown table, one line per run."""
    head = ("| curriculum | seed | env steps | wall | solve rate at end, stoch. / det. (10 att.) | "
            "mean of last 4 evals, stoch. | final re-eval, stoch. / det. | SFL buffer vs fresh p(1-p) |")
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    for r in rows:
        _, sto, det = r["curve"][-1]
        last4 = _mean([c[1] for c in r["curve"][-4:]])
        final = (f"{r['final']['stochastic']:.3f} / {r['final']['deterministic']:.3f} ({r['final_attempts']} att.)"
                 if "final" in r else "-")
        sfl = (f"{r['buffer_learnability']:.3f} vs {r['fresh_learnability']:.3f}"
               if math.isfinite(r["fresh_learnability"]) else "-")
        lines.append(f"| {r['curriculum']} | {r['seed']} | {r['env_steps']:,} | {r['wall_s'] / 60:.1f} min | "
                     f"{sto:.3f} / {det:.3f} | {last4:.3f} | {final} | {sfl} |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    """Held-out solve rate over env steps, stochastic and deterministic, one line per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    colours = {"dr": "tab:blue", "sfl": "tab:red", "plr": "tab:green", "accel": "tab:purple"}
    for r in rows:
        steps = [c[0] / 1e6 for c in r["curve"]]
        style = "-" if r["seed"] == 0 else "--"
        for ax, col in zip(axes, (1, 2), strict=True):
            ax.plot(steps, [c[col] for c in r["curve"]], style, color=colours.get(r["curriculum"], "black"),
                    label=f"{r['curriculum']} seed {r['seed']}", marker="o", markersize=3)
    for ax, mode in zip(axes, ("stochastic (10 attempts / level)", "deterministic (argmax)"), strict=True):
        ax.set_title(f"library:s solve rate, {mode}", fontsize=10)
        ax.set_xlabel("env steps (millions)")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("solve rate (12 levels)")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--png", type=Path, help="write the solve-rate curves here (needs matplotlib)")
    args = parser.parse_args()
    rows = [load(run) for run in args.runs]
    print(table(rows))
    if args.png:
        plot(rows, args.png)
        print(f"written {args.png}")


if __name__ == "__main__":
    main()
