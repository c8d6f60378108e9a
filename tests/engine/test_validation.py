"""The 11 validation scenes of physics-validation.md section 3, run with the shared
engine-agnostic scene code and judged with its authoritative criteria."""

import importlib.util
import sys

import pytest

from impetus.engine.validation import ImpetusAdapter

from ..conftest import shared_dir

REF = (shared_dir() / "physics-ref") if shared_dir() else None
SCENE_NAMES = ["hello_box", "vertical_stack12", "vertical_stack12_gap", "pyramid6", "pyramid5_top300",
               "mass_ratio400", "restitution", "friction_ramp", "chain10_ball", "pendulum", "bullet"]


def _load(name):
    spec = importlib.util.spec_from_file_location(f"physics_ref_{name}", REF / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(REF))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REF))
    return module


@pytest.mark.skipif(REF is None, reason="../shared/physics-ref not found (set IMPETUS_SHARED)")
@pytest.mark.parametrize("scene", SCENE_NAMES)
def test_validation_scene_passes(scene):
    scenes, judge = _load("scenes"), _load("judge")
    result = scenes.SCENES[scene](ImpetusAdapter())
    passed, criterion = judge.CRITERIA[scene]
    assert passed(result), f"{scene}: {criterion}; measured {result}"
