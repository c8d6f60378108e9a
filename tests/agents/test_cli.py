"""``impetus train`` / ``impetus eval`` end to end (tiny preset), Ctrl-C and resume, CLI errors."""

import json

import numpy as np
import pytest
from safetensors.numpy import load_file

from impetus.agents.config import resolve
from impetus.agents.run import TrainingRun
from impetus.cli.main import main


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    rc = main(["train", "--no-cache", "--preset", "tiny", f"run_dir={root}", "name=straight", "gif_every=2",
               "num_gifs=1"])
    assert rc == 0
    return root / "straight"


def test_train_writes_config_logs_evals_gifs_and_checkpoints(finished_run):
    config = json.loads((finished_run / "config.json").read_text())
    assert config["ppo"]["num_envs"] == 16 and config["run"]["name"] == "straight"
    lines = [json.loads(x) for x in (finished_run / "metrics.jsonl").read_text().splitlines()]
    assert [x["update"] for x in lines] == [8, 16]
    assert lines[-1]["env_steps"] == 16 * 16 * 32 and np.isfinite(lines[-1]["loss/total"])
    evals = sorted(p.name for p in (finished_run / "eval").glob("*.json"))
    assert evals == ["update_00000000.json", "update_00000008.json", "update_00000016.json"]
    assert sorted(p.name for p in (finished_run / "gifs").glob("*.gif")) == [
        "s_thrust_right_update_00000000.gif", "s_thrust_right_update_00000016.gif"]
    assert (finished_run / "checkpoints" / "update_00000016" / "state.safetensors").is_file()
    assert any((finished_run / "tb").iterdir())
    summary = json.loads((finished_run / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["update"] == 16


def test_interrupt_saves_and_resume_matches_the_straight_run(finished_run):
    run_dir = finished_run.parent / "interrupted"

    def interrupt(run, values):
        raise KeyboardInterrupt

    summary = TrainingRun(resolve("tiny", [f"run_dir={run_dir.parent}"]), run_dir).run(interrupt)
    assert summary["status"] == "interrupted" and summary["update"] == 8
    assert main(["train", "--no-cache", "--resume", str(run_dir)]) == 0
    straight = load_file(str(finished_run / "checkpoints" / "update_00000016" / "state.safetensors"))
    resumed = load_file(str(run_dir / "checkpoints" / "update_00000016" / "state.safetensors"))
    assert straight.keys() == resumed.keys()
    assert all(np.array_equal(straight[k], resumed[k]) for k in straight)


def test_eval_prints_a_table_and_writes_json(finished_run, tmp_path, capsys):
    out = tmp_path / "result.json"
    rc = main(["eval", str(finished_run), "s/thrust_right", "--attempts", "8", "--mode", "stochastic",
               "--out", str(out)])
    assert rc == 0
    result = json.loads(out.read_text())
    assert result["update"] == 16 and result["levels"] == {"s/thrust_right": "s/thrust"}
    overall = result["stochastic"]["overall"]
    assert 0.0 <= overall["solve_rate"] <= 1.0 and overall["length"] > 0
    assert "thrust_right" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["train", "lrr=1"], "error: unknown config key 'lrr'; did you mean 'lr'?"),
    (["train", "--preset", "tiny", "train_levels=nowhere.json"], "error: nowhere.json: no such level"),
    (["eval", "does/not/exist", "s/thrust_right"], "error: does/not/exist: no such checkpoint"),
])
def test_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(message) and "\n" not in err and "Traceback" not in err


def test_malformed_checkpoint_is_one_line_in_the_cli(tmp_path, capsys):
    bad = tmp_path / "update_00000001"
    bad.mkdir()
    (bad / "meta.json").write_text(json.dumps({"format": "impetus-checkpoint", "format_version": 1}))
    (bad / "state.safetensors").write_bytes(b"garbage")
    assert main(["eval", str(bad), "s/thrust_right"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "unreadable state.safetensors" in err and "\n" not in err
