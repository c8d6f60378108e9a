"""Action encodings (reference section 3.6) and the fan-out through bindings."""

import jax.numpy as jnp
import numpy as np
import pytest

from impetus.env import actions as act
from impetus.env import make_static_env_params
from impetus.levels.world import walls_level


def channels(action, kind):
    return np.asarray(act.to_channels(jnp.asarray(action), make_static_env_params("m", action=kind)))


def test_multi_discrete_order_is_zero_plus_minus():
    np.testing.assert_array_equal(channels([1, 2, 0, 0, 1, 0], "multi_discrete"), [1, -1, 0, 0, 1, 0])


@pytest.mark.parametrize(("action", "expected"), [
    (0, [-1, 0, 0, 0, 0, 0]), (1, [1, 0, 0, 0, 0, 0]), (7, [0, 0, 0, 1, 0, 0]),
    (8, [0, 0, 0, 0, 0, 0]), (9, [0, 0, 0, 0, 1, 0]), (10, [0, 0, 0, 0, 0, 1])])
def test_discrete_actions(action, expected):
    np.testing.assert_array_equal(channels(action, "discrete"), expected)
    assert int(act.noop_action(make_static_env_params("m", action="discrete"))) == 8


def test_continuous_thrusters_are_clipped_to_unit_interval():
    np.testing.assert_allclose(channels([0.5, -2.0, 0, 0, -0.5, 3.0], "continuous"), [0.5, -1, 0, 0, 0, 1])


def test_bindings_fan_out_and_motor_auto():
    static = make_static_env_params("m")
    level = walls_level(static.sim)
    joint = level.joint.replace(motor_binding=jnp.array([2, 2]), motor_auto=jnp.array([False, True]))
    level = level.replace(joint=joint, thruster=level.thruster.replace(binding=jnp.array([1, 0])))
    ch = act.to_channels(jnp.array([0, 0, 2, 0, 0, 1]), static)  # motor channel 2 at -1, thruster channel 1 on
    np.testing.assert_array_equal(np.asarray(act.slot_commands(ch, level, static)), [-1, 1, 1, 0])


def test_full_policy():
    np.testing.assert_array_equal(channels(act.full_action(make_static_env_params("m")), "multi_discrete"), [1] * 6)
    with pytest.raises(ValueError, match="discrete"):
        act.full_action(make_static_env_params("m", action="discrete"))
