"""The Gymnasium adapter: env_checker, seeding, the vector env (batch of one == one env)."""

import warnings

import gymnasium
import jax
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from impetus.env import examples as ex
from impetus.env.examples import LevelSketch
from impetus.env.gym import ENV_ID, ImpetusGymEnv, ImpetusVectorEnv, register_envs
from impetus.levels import BLUE, GREEN

from .common import TINY

#: gymnasium warns about unbounded Box spaces; the entity features are unbounded on purpose
pytestmark = pytest.mark.filterwarnings("ignore:.*A Box observation space (minimum|maximum) value is:UserWarning")


def checked(env):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*alternative render modes.*")
        check_env(env)


def tiny_level():
    sk = LevelSketch(TINY, max_timesteps=20)
    sk.add_box((2.5, 0.6), (0.5, 0.2), role=BLUE, fixed=True)
    sk.add_circle((2.5, 1.5), 0.2, role=GREEN)
    return sk.build()


def test_env_checker_entity():
    env = ImpetusGymEnv(levels=[ex.ball_drop(), ex.resting_ball()], render_mode="rgb_array")
    checked(env)
    env.reset(seed=3)
    frame = env.render()
    assert frame.shape == (500, 500, 3) and frame.dtype == np.uint8


def test_env_checker_pixels():
    env = ImpetusGymEnv(levels=tiny_level(), observation="pixels", action="continuous")
    assert env.env.static.sim == TINY  # capacities taken from the level
    checked(env)
    obs, _ = env.reset(seed=0)
    assert obs["image"].shape == (125, 125, 3)


def test_seeding_and_registration():
    register_envs()
    register_envs()  # idempotent
    env = gymnasium.make(ENV_ID, levels=[ex.ball_drop(), ex.resting_ball(), ex.red_floor()])
    first = [env.reset(seed=s)[0]["circles"][0, :2] for s in (1, 2, 1)]
    np.testing.assert_array_equal(first[0], first[2])
    _, reward, terminated, _, info = env.step(env.action_space.sample())
    assert isinstance(reward, float) and not terminated and set(info) >= {"goal", "death", "distance"}


def test_vector_env_batch_of_one_matches_single_env_and_resets():
    single = ImpetusGymEnv(levels=[ex.ball_drop()])
    vector = ImpetusVectorEnv(1, levels=[ex.ball_drop()])
    assert vector.metadata["autoreset_mode"] == gymnasium.vector.AutoresetMode.SAME_STEP
    obs_s, _ = single.reset(seed=0)
    obs_v, _ = vector.reset(seed=0)
    noop = np.zeros((1, 6), np.int32)
    for _ in range(40):
        jax.tree_util.tree_map(lambda a, b: np.testing.assert_array_equal(a, b[0]), obs_s, obs_v)
        obs_s, r_s, term, _, _ = single.step(noop[0])
        obs_v, r_v, term_v, _, info = vector.step(noop)
        assert r_s == pytest.approx(float(r_v[0]), abs=0) and term == bool(term_v[0])
        if term:
            break
    assert term and info["_final_obs"][0]
    jax.tree_util.tree_map(lambda a, b: np.testing.assert_array_equal(a, b[0]), obs_s, info["final_obs"])
    initial, _ = single.reset(seed=0)
    jax.tree_util.tree_map(lambda a, b: np.testing.assert_array_equal(a, b[0]), initial, obs_v)  # restarted
