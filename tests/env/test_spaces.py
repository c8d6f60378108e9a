"""Shapes and dtypes of observations, actions and steps against their spaces, for every size,
observation type and action type (``jax.eval_shape``: traced, never compiled)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.env import ACTION_TYPES, OBSERVATION_TYPES, SIZES, ImpetusEnv, make_static_env_params, spaces
from impetus.env import actions as act
from impetus.env.observations import flat_size
from impetus.levels.world import walls_level


def abstract_state(env, params):
    """The abstract (shape-only) state of an empty world: no eager op-by-op execution."""
    return jax.eval_shape(lambda: env.init_state(walls_level(env.static.sim), params))


def _matches(space, tree):
    """Structure, shapes and dtypes of an abstract value against a space."""
    if isinstance(space, spaces.Dict):
        assert set(tree) == set(space.spaces)
        for k, sub in space.spaces.items():
            _matches(sub, tree[k])
        return
    assert tree.shape == space.shape, (tree.shape, space.shape)
    assert tree.dtype == space.dtype, (tree.dtype, space.dtype)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("obs", OBSERVATION_TYPES)
def test_observation_matches_space(size, obs):
    env = ImpetusEnv(make_static_env_params(size, observation=obs))
    params = env.default_params
    _matches(env.observation_space(), jax.eval_shape(env.get_obs, abstract_state(env, params), params))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("action", ACTION_TYPES)
def test_actions_map_to_engine_commands(size, action):
    static = make_static_env_params(size, action=action)
    space = act.action_space(static)
    level = jax.eval_shape(lambda: walls_level(static.sim))
    sample = space.sample(jax.random.key(0))
    assert bool(space.contains(sample)) and bool(space.contains(act.noop_action(static)))
    channels = jax.eval_shape(lambda a: act.to_channels(a, static), sample)
    assert channels.shape == (static.num_action_channels,) and channels.dtype == jnp.float32
    commands = jax.eval_shape(lambda c, lv: act.slot_commands(c, lv, static), channels, level)
    assert commands.shape == (static.sim.num_joints + static.sim.num_thrusters,)


@pytest.mark.parametrize("size", SIZES)
def test_step_outputs_match_spaces(size):
    env = ImpetusEnv(make_static_env_params(size))
    params = env.default_params
    state = abstract_state(env, params)
    action = act.noop_action(env.static)
    obs, new, reward, terminated, truncated, info = jax.eval_shape(env.step, jax.random.key(0), state, action, params)
    _matches(env.observation_space(), obs)
    assert jax.tree_util.tree_structure(new) == jax.tree_util.tree_structure(state)
    assert all(a.shape == b.shape and a.dtype == b.dtype for a, b in
               zip(jax.tree_util.tree_leaves(new), jax.tree_util.tree_leaves(state), strict=True))
    assert (reward.shape, reward.dtype) == ((), jnp.float32)
    assert terminated.dtype == truncated.dtype == jnp.bool_ and terminated.shape == truncated.shape == ()
    assert set(info) == {"goal", "death", "distance", "nonfinite", "timestep"}


def test_flat_sizes():
    # Kinetix's 140 / 247 / 679 plus one motor_auto column per joint (1 / 2 / 6 joints)
    assert [flat_size(make_static_env_params(s)) for s in SIZES] == [141, 249, 685]


def test_pixel_observation_size_follows_downscale():
    assert make_static_env_params("m", downscale=4).image_size == (125, 125)
    assert make_static_env_params("m", downscale=2, screen_size=(500, 300)).image_size == (150, 250)
    with pytest.raises(ValueError, match="downscale"):
        make_static_env_params("m", downscale=3)


def test_spaces_reject_wrong_values():
    box = spaces.Box(-1.0, 1.0, (2,))
    assert bool(box.contains(jnp.array([0.5, -1.0]))) and not bool(box.contains(jnp.array([0.5, 2.0])))
    assert not bool(box.contains(jnp.zeros(3)))
    md = spaces.MultiDiscrete([3, 2])
    assert bool(md.contains(jnp.array([2, 1]))) and not bool(md.contains(jnp.array([3, 0])))
    d = spaces.Dict({"a": spaces.Discrete(4)})
    assert bool(d.contains({"a": jnp.int32(3)})) and not bool(d.contains({"a": jnp.int32(4)}))
    samples = np.asarray(jax.vmap(md.sample)(jax.random.split(jax.random.key(0), 200)))
    assert set(samples[:, 0]) == {0, 1, 2} and set(samples[:, 1]) == {0, 1}
