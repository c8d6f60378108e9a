"""The batched training environment: one ``reset`` / ``step`` over ``num_envs`` envs.

``make_batched_env(config, levels)`` wraps :class:`~impetus.env.ImpetusEnv` for training:

* ``levels is None`` (``train_levels=random``): ``AutoResetRandomWrapper`` restarts finished
  episodes on freshly generated levels (``levels.generate.sample_level``) from a pool; it is
  batch-level already;
* otherwise ``AutoResetFromSetWrapper`` over the given stacked levels, vmapped over envs;
* with a curriculum (``ued.curriculum != "none"``), ``AutoReplayWrapper``: ``reset(key, levels)``
  puts env ``i`` on ``levels[i]`` and finished episodes restart on the same level.

``LogWrapper`` goes outermost in both cases.  ``BatchedEnv.step(key, state, actions)`` returns
``(obs, state, reward, terminated, truncated, info)``, every array with a leading ``num_envs``
axis; ``info["final_observation"]`` is present only when truncations are bootstrapped.
"""

import functools

import jax

from ..env import (
    AutoReplayWrapper,
    AutoResetFromSetWrapper,
    AutoResetRandomWrapper,
    EnvParams,
    ImpetusEnv,
    LogWrapper,
    make_static_env_params,
)
from ..levels import Level
from .config import TrainConfig


def env_params(config: TrainConfig) -> EnvParams:
    """The traced env coefficients of ``config`` (reward shaping, episode length)."""
    return EnvParams(dense_reward_scale=config.env.dense_reward_scale, max_timesteps=config.env.max_timesteps)


def make_core_env(config: TrainConfig) -> ImpetusEnv:
    """The unwrapped env of ``config`` (size, observation, action, frame skip)."""
    static = make_static_env_params(config.env.size, frame_skip=config.env.frame_skip,
                                    observation=config.observation, action=config.env.action)
    return ImpetusEnv(static)


class BatchedEnv:
    """``num_envs`` envs behind batch-level ``reset(key)`` and ``step(key, state, actions)``."""

    def __init__(self, config: TrainConfig, levels: Level | None = None):
        self.core = make_core_env(config)
        self.static = self.core.static
        self.params = env_params(config)
        self.num_envs = config.ppo.num_envs
        final = config.env.bootstrap_truncated
        self.replay = config.ued.curriculum != "none"
        if self.replay:
            self._env = LogWrapper(AutoReplayWrapper(self.core, final_observation=final))
            self._batched = False
        elif levels is None:
            from ..levels.generate import sample_level

            sampler = functools.partial(sample_level, static=self.static.sim)
            self._env = LogWrapper(AutoResetRandomWrapper(self.core, sampler, self.num_envs, final_observation=final))
            self._batched = True
        else:
            self._env = LogWrapper(AutoResetFromSetWrapper(self.core, levels, final_observation=final))
            self._batched = False

    def observation_space(self):
        return self.core.observation_space()

    def action_space(self):
        return self.core.action_space()

    def reset(self, key: jax.Array, levels: Level | None = None):
        """``(obs, state)`` for all envs; ``levels`` (stacked, ``num_envs``) only with a curriculum."""
        if self._batched:
            return self._env.reset(key, self.params)
        keys = jax.random.split(key, self.num_envs)
        if self.replay:
            return jax.vmap(self._env.reset, (0, None, 0))(keys, self.params, levels)
        return jax.vmap(self._env.reset, (0, None))(keys, self.params)

    def step(self, key: jax.Array, state, actions):
        """One step of every env: ``(obs, state, reward, terminated, truncated, info)``."""
        if self._batched:
            return self._env.step(key, state, actions, self.params)
        keys = jax.random.split(key, self.num_envs)
        return jax.vmap(self._env.step, (0, 0, 0, None))(keys, state, actions, self.params)
