"""Data-parallel training (``run.devices``, ``agents.parallel``).

The multi-device checks run in a fresh process that splits the CPU into two XLA devices
(``parallel_checks.py``); config errors and the mesh run here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from impetus.agents.config import ConfigError, resolve
from impetus.agents.parallel import device_mesh, learner_config


@pytest.fixture(scope="module")
def checks():
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    env.pop("XLA_FLAGS", None)
    script = Path(__file__).with_name("parallel_checks.py")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_learners_own_their_envs_and_share_parameters(checks):
    assert checks["devices"] == 2
    assert checks["obs_leading"] == [2, 4]  # (learners, envs per learner)
    assert checks["learners_see_different_envs"]  # keys folded with the device index
    assert checks["metrics_finite"] and checks["params_changed"] and checks["deterministic"]
    assert checks["params_identical_on_learners"]  # pmean'd gradients keep the copies bitwise equal


def test_split_minibatch_step_equals_the_whole_minibatch_step(checks):
    # two halves with pmean'd gradients == one step on the whole minibatch (float rounding only),
    # while one half alone moves the parameters by as much as the step itself
    assert checks["grad_split_max_diff"] < 1e-6 < checks["grad_step_size"] * 1e-2
    assert checks["half_batch_diff"] > 0.1 * checks["grad_step_size"]


def test_curriculum_run_with_two_learners_checkpoints_and_resumes(checks):
    assert checks["curriculum_run_update"] == 8
    assert checks["curriculum_levels_leading"] == 8  # the one-device layout: all envs
    assert checks["resume_equal"]


def test_learner_config_splits_the_envs():
    config = resolve("tiny", ["devices=2"])
    local = learner_config(config, 2)
    assert (local.ppo.num_envs, local.run.devices, local.ppo.num_steps) == (8, 1, config.ppo.num_steps)


@pytest.mark.parametrize("overrides, message", [
    (["devices=3"], "num_envs (16) must be divisible by devices (3)"),
    (["devices=8", "num_steps=1", "num_minibatches=4"], "num_envs / devices * num_steps (2) must be divisible by "
                                                        "num_minibatches (4)"),
    (["devices=0"], "bad value for devices: 0; must be > 0"),
])
def test_bad_device_counts_are_one_line_errors(overrides, message):
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        resolve("tiny", overrides)


def test_more_devices_than_jax_has_is_a_config_error():
    with pytest.raises(ConfigError, match=r"^devices=64 but JAX has \d+ cpu device"):
        device_mesh(64)
