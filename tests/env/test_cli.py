"""``impetus rollout`` and ``impetus render`` on level files written from the example levels."""

import json

import imageio.v3 as iio
import pytest

from impetus.cli.main import main
from impetus.env import examples as ex
from impetus.levels import RED, save_level


@pytest.fixture(scope="module")
def level_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("levels")
    paths = {}
    for name, level in {"goal": ex.ball_drop(), "death": ex.ball_drop(RED), "timeout": ex.resting_ball(),
                        "thrust": ex.motor_and_thruster()}.items():
        paths[name] = folder / f"{name}.json"
        save_level(level, paths[name])
    return paths


def test_rollout_json_lines(level_files, capsys):
    names = ["goal", "death", "timeout"]
    assert main(["rollout", *(str(level_files[n]) for n in names), "--steps", "64", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["level"] for r in records] == [str(level_files[n]) for n in names]
    assert [r["outcome"] for r in records] == ["goal", "death", "timeout"]
    assert [(r["terminated"], r["truncated"]) for r in records] == [(True, False), (True, False), (False, True)]
    goal = records[0]
    assert goal["return"] == pytest.approx(1.0 + 0.2 * 1.0, abs=1e-3)  # +1 and 0.2 x 1 m of approach
    assert [s["id"] for s in goal["shapes"]] == ["p0", "p1", "p2", "p3", "p4", "c0"]
    ball = goal["shapes"][-1]
    assert ball["position"][0] == pytest.approx(2.5, abs=1e-3) and ball["position"][1] == pytest.approx(1.0, abs=0.01)
    assert records[2]["length"] == 8  # resting_ball's own time limit


def test_rollout_step_limit_and_policies(level_files, capsys):
    path = str(level_files["thrust"])
    assert main(["rollout", path, "--steps", "5", "--policy", "full", "--json"]) == 0
    assert main(["rollout", path, "--steps", "5", "--policy", "noop", "--json"]) == 0
    full, noop = (json.loads(line) for line in capsys.readouterr().out.strip().splitlines())
    assert full["length"] == noop["length"] == 5 and full["outcome"] == "timeout" and full["truncated"]
    assert full["shapes"][4]["position"][1] > noop["shapes"][4]["position"][1] + 0.05  # the thruster lifts the box


def test_render_gif_and_mp4_message(level_files, tmp_path, capsys):
    out = tmp_path / "goal.gif"
    assert main(["render", str(level_files["goal"]), "--steps", "40", "--pixels", "100", "-o", str(out)]) == 0
    frames = iio.imread(out, index=None)
    assert frames.shape[1:3] == (100, 100) and 10 <= frames.shape[0] <= 21  # initial frame + one per step
    assert main(["render", str(level_files["goal"]), "-o", str(tmp_path / "x.webm")]) == 2
    assert "unsupported" in capsys.readouterr().err
