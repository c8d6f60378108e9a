"""``impetus bench engine|env|levels|train --json``: the records they print, devices, errors.

Tiny configurations: these check what the benchmarks report, never how fast anything is.
"""

import json
import os
import subprocess
import sys

import pytest

from impetus.cli.jaxsetup import largest_divisor, usable_cores
from impetus.cli.main import main

QUICK = ["--reps", "1", "--min-seconds", "0", "--json"]


def bench_json(capsys, *args) -> dict:
    assert main(["bench", *args, *QUICK]) == 0
    return json.loads(capsys.readouterr().out)


def run_cli(*args) -> subprocess.CompletedProcess:
    """The CLI in a fresh process (host devices can only be split before JAX starts)."""
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    env.pop("XLA_FLAGS", None)
    code = "import sys; from impetus.cli.main import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)


def test_engine_record(capsys):
    r = bench_json(capsys, "engine", "--size", "s", "--batch", "6", "--steps", "2", "--devices", "1")
    assert (r["benchmark"], r["size"], r["batch"], r["steps_per_call"]) == ("engine", "s", 6, 2)
    assert r["steps_per_s"] > 0 and r["compile_s"] > 0 and r["peak_rss_mb"] > 0
    assert r["nonfinite_scenes"] == 0 and r["device"].startswith("cpu")
    assert r["devices"] == 1


@pytest.mark.parametrize("devices, expected", [("3", 3), ("auto", largest_divisor(6, usable_cores()))])
def test_engine_shards_over_host_devices(devices, expected):
    out = run_cli("bench", "engine", "--size", "s", "--batch", "6", "--steps", "2", "--devices", devices, *QUICK)
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout)
    assert r["devices"] == expected and r["batch"] == 6 and r["nonfinite_scenes"] == 0


@pytest.mark.parametrize("reset", ["levels", "random"])
def test_env_shards_over_host_devices(reset):
    # random: the level pool's batch-level scalars are replicated, the per-env leaves split
    out = run_cli("bench", "env", "--size", "s", "--batch", "4", "--steps", "2", "--num-levels", "2", "--reset", reset,
                  "--devices", "2", *QUICK)
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout)
    assert (r["devices"], r["reset"], r["batch"]) == (2, reset, 4) and r["steps_per_s"] > 0


def test_engine_batch_not_divisible_by_devices_is_one_line_error():
    out = run_cli("bench", "engine", "--size", "s", "--batch", "6", "--devices", "4", *QUICK)
    assert out.returncode == 2 and out.stdout == ""
    assert "batch 6 is not divisible by --devices 4" in out.stderr and "Traceback" not in out.stderr


def test_devices_must_be_positive_or_auto():
    out = run_cli("bench", "engine", "--devices", "0")
    assert out.returncode == 2 and "expected a positive integer, got '0'" in out.stderr


def test_largest_divisor():
    assert largest_divisor(2048, 2) == 2 and largest_divisor(6, 4) == 3 and largest_divisor(7, 2) == 1
    assert largest_divisor(1, 16) == 1 and largest_divisor(5, 0) == 1


def test_env_record(capsys):
    r = bench_json(capsys, "env", "--size", "s", "--batch", "4", "--steps", "2", "--num-levels", "2", "--devices", "1")
    assert (r["benchmark"], r["size"], r["obs"], r["reset"], r["batch"]) == ("env", "s", "entity", "levels", 4)
    assert r["devices"] == 1
    assert r["steps_per_s"] > 0 and r["physics_steps_per_s"] == pytest.approx(r["steps_per_s"] * r["frame_skip"])


def test_levels_record(capsys):
    r = bench_json(capsys, "levels", "--size", "s", "--batch", "4")
    assert r["levels_per_s"] > 0 and r["seconds_per_batch"] > 0 and r["batch"] == 4


def test_train_record(capsys):
    r = bench_json(capsys, "train", "--size", "s", "--network", "pi-mlp", "--preset", "tiny", "--envs", "4",
                   "--warmup", "0")
    assert (r["benchmark"], r["network"], r["envs"], r["preset"]) == ("train", "pi-mlp", 4, "tiny")
    assert r["steps_per_s"] > 0 and r["params"] > 0 and r["timed_calls"] == 1
