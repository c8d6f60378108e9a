"""Observation contents: entity features and attention masks, flat layout, pixels."""

import jax
import numpy as np
import pytest

from impetus.env import ImpetusEnv, noop_action
from impetus.env import examples as ex
from impetus.env.params import StaticEnvParams

from .common import STATIC_S, run


@pytest.fixture(scope="module")
def landed():
    """The motor_and_thruster level after a few noop steps (the wheel rests on the floor)."""
    *_, out = run(ex.motor_and_thruster(), [noop_action(STATIC_S)] * 12, stop_at_end=False)
    return out[-1][1]


def observe(state, kind):
    env = ImpetusEnv(StaticEnvParams(sim=STATIC_S.sim, observation=kind))
    obs = jax.jit(env.get_obs)(state, env.default_params)
    assert bool(env.observation_space().contains(obs))
    return jax.device_get(obs)


def test_entity_rows_masks_and_indexes(landed):
    obs = observe(landed, "entity")
    P = STATIC_S.sim.num_polygons
    active = np.asarray(landed.sim.body.active)
    np.testing.assert_array_equal(obs["polygon_mask"], active[:P])
    np.testing.assert_array_equal(obs["circle_mask"], active[P:])
    box, wheel = 4, P  # the green box and the wheel (circle 0)
    np.testing.assert_allclose(obs["polygons"][box, 0:2], landed.sim.body.position[box], rtol=1e-6)
    np.testing.assert_array_equal(obs["polygons"][box, 8:12], [0, 1, 0, 0])  # green
    assert obs["circles"][0, 16] == pytest.approx(0.15) and obs["circles"][0, 17] == 1.0
    assert obs["polygons"][box, -1] == pytest.approx(-0.981)  # gravity_y / 10
    assert not obs["circles"][1].any() or obs["circle_mask"][1]  # inactive rows are zero
    np.testing.assert_array_equal(obs["joint_indexes"], [[box, wheel], [wheel, box]])  # b -> a, then a -> b
    np.testing.assert_array_equal(obs["joint_mask"], [True, True])
    assert obs["joints"][0, 12 + 1] == 1.0 and obs["thrusters"][0, 3] == 1.0  # bindings 1 and 0


def test_attention_channels(landed):
    mask = observe(landed, "entity")["attention_mask"]
    P = STATIC_S.sim.num_polygons
    box, wheel, floor = 4, P, 0
    everyone, component, joint, contact = mask
    active = np.asarray(landed.sim.body.active)
    np.testing.assert_array_equal(everyone, active[:, None] & active[None, :])
    assert component[box, wheel] and component[wheel, box] and component[box, box] and not component[box, floor]
    assert joint[box, wheel] and joint[wheel, box] and not joint[box, box] and joint.sum() == 2
    assert contact[wheel, floor] and contact[floor, wheel]  # symmetric, touching now
    assert not contact[box, wheel]  # jointed shapes never count as touching


def test_flat_layout(landed):
    flat = observe(landed, "flat")
    assert flat.shape == (141,) and np.abs(flat).max() <= 10.0
    floor_row, box_row = flat[:26], flat[26:52]  # walls and ceiling are dropped
    np.testing.assert_allclose(box_row[:2], landed.sim.body.position[4], rtol=1e-6)
    assert floor_row[4] == 0.0  # the floor is fixed: zero inverse mass
    assert flat[-1] == pytest.approx(-0.981)


def test_pixel_observation(landed):
    obs = observe(landed, "pixels")
    image = obs["image"]
    assert image.shape == (125, 125, 3) and image.dtype == np.uint8
    green = np.all(image == [0, 204, 0], axis=-1)
    assert green.sum() > 20  # the green box (0.6 m x 0.2 m = 15 x 5 px)
    x, y = np.asarray(landed.sim.body.position[4])
    assert green[int(125 - 25 * y), int(25 * x)]  # the box centre, in display order (row 0 at the top)
    np.testing.assert_allclose(obs["global_info"], [-0.981], rtol=1e-6)
