"""Auto-reset and log wrappers, on a physics-free stand-in env (cheap to compile).

``CountingEnv`` pays reward 1 per step and terminates an episode when its step counter reaches
the level's ``max_timesteps``; its observation is ``[timestep, max_timesteps]``, so which level
an env restarted on can be read off the observation.
"""

import jax
import jax.numpy as jnp
import numpy as np

from impetus.env import (
    AutoReplayWrapper,
    AutoResetFromSetWrapper,
    AutoResetRandomWrapper,
    GymnaxLegacyWrapper,
    ImpetusEnv,
    LogWrapper,
    ResetToGivenLevelWrapper,
    StaticEnvParams,
)
from impetus.levels import stack
from impetus.levels.world import walls_level

from .common import TINY

STATIC = StaticEnvParams(sim=TINY)


class CountingEnv(ImpetusEnv):
    def step_env(self, key, state, action, params):
        state = state.replace(timestep=state.timestep + 1)
        terminated = state.timestep >= state.level.max_timesteps
        info = {"goal": terminated, "death": jnp.array(False), "distance": jnp.float32(0.0),
                "nonfinite": jnp.array(False), "timestep": state.timestep}
        return state, jnp.float32(1.0), terminated, jnp.array(False), info

    def get_obs(self, state, params):
        return jnp.stack([state.timestep, state.level.max_timesteps])


ENV = CountingEnv(STATIC)
PARAMS = ENV.default_params
LEVELS = {k: walls_level(TINY, max_timesteps=k) for k in (2, 3, 5)}
ACTION = jnp.zeros((6,), jnp.int32)


def batched(level_list):
    return stack(level_list)


def roll(wrapper, state, steps, *extra, batch=2):
    step = jax.jit(jax.vmap(wrapper.step, (0, 0, None, None) + (0,) * len(extra)))
    out = []
    for k in jax.random.split(jax.random.key(1), steps):
        obs, state, reward, terminated, _, info = step(jax.random.split(k, batch), state, ACTION, PARAMS,
                                                       *extra)
        out.append(jax.device_get((obs, reward, terminated, info)))
    return state, out


def test_auto_replay_restarts_on_the_same_level():
    wrapper = AutoReplayWrapper(ENV)
    obs, state = jax.jit(jax.vmap(wrapper.reset, (None, None, 0)))(jax.random.key(0), PARAMS,
                                                           batched([LEVELS[2], LEVELS[3]]))
    np.testing.assert_array_equal(obs, [[0, 2], [0, 3]])
    _, out = roll(wrapper, state, 6)
    ends = np.array([o[2] for o in out])
    np.testing.assert_array_equal(ends[:, 0], [0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(ends[:, 1], [0, 0, 1, 0, 0, 1])
    obs, _, _, info = out[1]  # env 0 ended its first episode here
    np.testing.assert_array_equal(obs[0], [0, 2])  # ... and starts again on its level
    np.testing.assert_array_equal(info["final_observation"][0], [2, 2])
    np.testing.assert_array_equal(obs[1], info["final_observation"][1])  # env 1 goes on


def test_reset_to_given_level():
    wrapper = ResetToGivenLevelWrapper(ENV, final_observation=False)
    _, state = jax.jit(jax.vmap(wrapper.reset, (None, None, 0)))(jax.random.key(0), PARAMS, batched([LEVELS[2]] * 2))
    _, out = roll(wrapper, state, 2, batched([LEVELS[5], LEVELS[3]]))
    obs, _, _, info = out[-1]
    np.testing.assert_array_equal(obs, [[0, 5], [0, 3]])
    assert "final_observation" not in info


def test_auto_reset_from_set_draws_uniformly():
    wrapper = AutoResetFromSetWrapper(ENV, batched(list(LEVELS.values())))
    assert wrapper.num_levels == 3
    obs, _ = jax.jit(jax.vmap(wrapper.reset, (0, None)))(jax.random.split(jax.random.key(0), 600), PARAMS)
    counts = np.bincount(np.asarray(obs[:, 1]), minlength=6)[[2, 3, 5]]
    assert counts.sum() == 600 and counts.min() > 150
    obs, state = jax.jit(jax.vmap(wrapper.reset, (0, None)))(jax.random.split(jax.random.key(1), 64), PARAMS)
    _, out = roll(wrapper, state, 5, batch=64)
    restarted = np.concatenate([o[0][o[2], 1] for o in out])
    assert len(restarted) > 64 and set(restarted.tolist()) == {2, 3, 5}


def test_log_wrapper_reports_finished_episodes():
    wrapper = LogWrapper(AutoReplayWrapper(ENV))
    reset = jax.jit(jax.vmap(wrapper.reset, (None, None, 0)))
    _, state = reset(jax.random.key(0), PARAMS, batched([LEVELS[2], LEVELS[3]]))
    state, out = roll(wrapper, state, 3)
    info = out[1][3]
    assert info["returned_episode"].tolist() == [True, False]
    assert info["returned_episode_returns"][0] == 2.0 and info["returned_episode_lengths"][0] == 2
    assert bool(info["returned_episode_solved"][0])
    assert out[2][3]["returned_episode_lengths"].tolist() == [2, 3]
    np.testing.assert_array_equal(state.episode_length, [1, 0])


def sampler(key):
    """A level whose gravity x is a unique random id and whose length is 2..4 steps."""
    k_id, k_len = jax.random.split(key)
    level = walls_level(TINY)
    return level.replace(gravity=level.gravity.at[0].set(jax.random.uniform(k_id)),
                         max_timesteps=jax.random.randint(k_len, (), 2, 5))


def test_random_pool_hands_out_fresh_levels_and_refills():
    wrapper = AutoResetRandomWrapper(ENV, sampler, num_envs=6, pool_size=8, refill=4)
    _, state = jax.jit(wrapper.reset)(jax.random.key(0), PARAMS)
    step = jax.jit(wrapper.step)
    ids_used, refilled = [], False
    for k in jax.random.split(jax.random.key(2), 12):
        pool_before, read, stale = np.asarray(state.pool.level.gravity[:, 0]), int(state.read), int(state.stale)
        _, state, _, terminated, _, info = step(k, state, jnp.zeros((6, 6), jnp.int32), PARAMS)
        done = np.asarray(terminated)
        ids = np.asarray(state.env_state.level.gravity[:, 0])[done]
        expected = pool_before[(read + np.arange(done.sum())) % 8]
        np.testing.assert_array_equal(ids, expected)  # next unused pool levels, in batch order
        np.testing.assert_array_equal(np.asarray(state.env_state.timestep)[done], 0)
        ids_used += ids.tolist()
        if stale + done.sum() >= 4:
            assert int(state.stale) == stale + done.sum() - 4
            refilled |= not np.array_equal(np.asarray(state.pool.level.gravity[:, 0]), pool_before)
        assert int(info["pool_fresh"][0]) == 8 - int(state.stale)
    assert refilled and len(ids_used) > 16


def test_gymnax_legacy_folds_the_flags():
    wrapper = GymnaxLegacyWrapper(AutoReplayWrapper(ENV, final_observation=False))
    _, state = jax.jit(wrapper.reset)(jax.random.key(0), PARAMS, LEVELS[2])
    step = jax.jit(wrapper.step)
    dones = []
    for _ in range(4):
        _, state, _, done, info = step(jax.random.key(0), state, ACTION, PARAMS)
        dones.append(bool(done))
        assert bool(done) == bool(info["terminated"] | info["truncated"])
    assert dones == [False, True, False, True]
