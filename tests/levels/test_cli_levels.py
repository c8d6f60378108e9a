"""``impetus levels validate|convert|show``: exit codes, one-line errors, no tracebacks."""

import json

import numpy as np
import pytest
from PIL import Image

from impetus.cli import levels as cli_levels
from impetus.cli.main import build_parser, main
from impetus.levels import load_level, save_level
from impetus.levels.format import from_document

from .fixtures import car_doc, level_equal, sample_params


@pytest.fixture
def car(tmp_path):
    path = tmp_path / "car.json"
    save_level(from_document(car_doc()), path)
    return path


@pytest.fixture
def broken(tmp_path):
    doc = car_doc()
    doc["shapes"][4]["vertices"] = [[0, 0], [0, 1], [1, 1], [1, 0]]  # clockwise
    doc["shapes"][6]["radius"] = -1
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc))
    return path


def _run(capsys, *argv):
    code = main(["levels", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_validate_reports_one_line_per_file(capsys, car, broken, tmp_path):
    syntax = tmp_path / "syntax.json"
    syntax.write_text("{\n  \"schema_version\": 1,,\n}")
    code, out, _ = _run(capsys, "validate", car, broken, syntax, tmp_path / "missing.json")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 4
    assert lines[0] == f"ok: {car}"
    assert lines[1].startswith(f"{broken}: $.shapes[4].vertices: vertices are listed clockwise")
    assert lines[1].endswith("(and 1 more problem)")
    assert lines[2].startswith(f"{syntax}:2:23: invalid JSON")
    assert lines[3].startswith(f"{tmp_path / 'missing.json'}: cannot read")


def test_validate_all_and_success(capsys, car, broken):
    code, out, _ = _run(capsys, "validate", "--all", broken)
    assert code == 1 and len(out.splitlines()) == 2 and "$.shapes[6].radius" in out.splitlines()[1]
    assert _run(capsys, "validate", car)[0] == 0


@pytest.mark.parametrize("path", sample_params())
def test_validate_accepts_kinetix_samples(capsys, path):
    code, out, _ = _run(capsys, "validate", path)
    assert code == 0 and out == f"ok: {path}\n"


def test_convert_both_ways(capsys, car, tmp_path):
    kin = tmp_path / "car_kinetix.json"
    code, _, err = _run(capsys, "convert", car, kin, "--to", "kinetix")
    assert code == 0 and "wrote" in err and "env_state" in json.loads(kin.read_text())
    back = tmp_path / "back.json"
    assert _run(capsys, "convert", kin, back)[0] == 0  # ours by default
    assert json.loads(back.read_text())["schema_version"] == 1
    again = tmp_path / "again.json"
    assert _run(capsys, "convert", back, again)[0] == 0
    assert again.read_bytes() == back.read_bytes()
    assert level_equal(load_level(again), load_level(back))


def test_convert_refuses_to_overwrite_its_input(capsys, car):
    before = car.read_bytes()
    code, _, err = _run(capsys, "convert", car, car.parent / "." / car.name)
    assert code == 2 and car.read_bytes() == before
    assert err.strip().startswith("error: ") and "refusing to overwrite the input" in err
    assert len(err.strip().splitlines()) == 1


def test_bad_input_is_one_line_exit_2(capsys, broken, tmp_path):
    long_name = tmp_path / ("a-very-long-directory-name-" * 3) / "level [draft].json"
    long_name.parent.mkdir()
    long_name.write_text(broken.read_text())
    for argv in (("convert", long_name, tmp_path / "out.json"), ("show", long_name, "-o", tmp_path / "x.png")):
        code, out, err = _run(capsys, *argv)
        assert code == 2 and out == ""
        assert len(err.strip().splitlines()) == 1, err  # never wrapped, brackets not eaten as markup
        assert err.startswith(f"error: {long_name}: $.shapes[4].vertices: ")
    assert not (tmp_path / "out.json").exists() and not (tmp_path / "x.png").exists()


def test_show_draws_roles(capsys, car, tmp_path):
    out = tmp_path / "car.png"
    code, _, err = _run(capsys, "show", car, "-o", out, "--pixels", 200)
    assert code == 0 and f"wrote {out}" in err
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape == (200, 200, 3)
    colours = {tuple(c) for c in image.reshape(-1, 3)}
    for rgb in (cli_levels.ROLE_RGB[1], cli_levels.ROLE_RGB[2], cli_levels.ROLE_RGB[3], cli_levels.SCENERY_RGB,
                cli_levels.THRUSTER_RGB):
        assert rgb in colours, rgb


def test_show_default_output_is_in_the_working_directory(capsys, car, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert _run(capsys, "show", car, "--pixels", 50)[0] == 0
    assert (work / "car.png").is_file()


def test_extra_subcommands_hook_and_unknown_subcommand():
    def register(lsub):
        extra = lsub.add_parser("hello")
        extra.set_defaults(func=lambda args, console: 7)

    cli_levels.EXTRA_SUBCOMMANDS.append(register)
    try:
        assert main(["levels", "hello"]) == 7
    finally:
        cli_levels.EXTRA_SUBCOMMANDS.remove(register)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["levels", "no-such-subcommand"])
