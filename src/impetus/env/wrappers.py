"""Functional wrappers: auto-reset named by what it resets to, and episode statistics.

Every auto-reset wrapper has the same ``step`` semantics: the inner env takes the step; where
the episode ended (``terminated | truncated``) the returned state and observation are those of
a *new* episode, while ``reward``, ``terminated``, ``truncated`` and ``info`` describe the step
that ended the old one.  With ``final_observation=True`` (the default), ``info["final_observation"]``
holds the observation of the state the old episode ended in (for bootstrapping on truncation;
it costs a second observation, which matters for pixels).  The observation is built once from
the selected state, never for a reset that is thrown away.

==============================  ==============================  ===========================================
wrapper                         reset                           a finished episode restarts from
==============================  ==============================  ===========================================
``AutoReplayWrapper``           ``reset(key, params, level)``   the level it was playing (``state.level``)
``AutoResetFromSetWrapper``     ``reset(key, params)``          a uniform draw from a fixed level set
``ResetToGivenLevelWrapper``    ``reset(key, params, level)``   the ``level`` passed to ``step``
``AutoResetRandomWrapper``      ``reset(key, params)``          a fresh generated level from a pool
                                (batch-level, ``pool``)
==============================  ==============================  ===========================================

These wrap the core :class:`~impetus.env.ImpetusEnv` and are vmappable (one env per call).
:class:`LogWrapper` goes outside them; it uses elementwise operations only, so it also wraps the
batch-level ``AutoResetRandomWrapper``.  :class:`GymnaxLegacyWrapper` (outermost) folds the two
flags into one ``done`` for code written against gymnax < 1.0 or Kinetix.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..engine._pytree import PyTreeNode
from ..levels import Level
from .params import EnvParams, EnvState


def select_tree(done: Bool[Array, "..."], if_done, otherwise):
    """Leafwise ``where(done, if_done, otherwise)``; ``done`` is broadcast over trailing axes."""
    def pick(a, b):
        mask = jnp.reshape(done, done.shape + (1,) * (jnp.ndim(a) - done.ndim))
        return jnp.where(mask, a, b)
    return jax.tree_util.tree_map(pick, if_done, otherwise)


def inner_env_state(state) -> EnvState:
    """The :class:`EnvState` inside wrapper states (following ``.env_state``)."""
    while not isinstance(state, EnvState):
        state = state.env_state
    return state


class Wrapper:
    """Base: forwards unknown attributes (``static``, spaces, ``default_params``) to the inner env."""

    def __init__(self, env):
        self._env = env

    def __getattr__(self, name: str):
        if name == "_env":  # not set yet (copy / unpickling): avoid infinite recursion
            raise AttributeError(name)
        return getattr(self._env, name)

    @property
    def unwrapped(self):
        return getattr(self._env, "unwrapped", self._env)


class _AutoReset(Wrapper):
    """Shared auto-reset step: ``_restart(key, state, params, *extra) -> EnvState`` picks the new episode."""

    def __init__(self, env, final_observation: bool = True):
        super().__init__(env)
        self.final_observation = final_observation

    def _restart(self, key, state: EnvState, params: EnvParams, *extra) -> EnvState:
        raise NotImplementedError

    def step(self, key: jax.Array, state: EnvState, action, params: EnvParams, *extra):
        """``(obs, state, reward, terminated, truncated, info)`` with auto-reset (module docstring)."""
        key_step, key_reset = jax.random.split(key)
        ended, reward, terminated, truncated, info = self._env.step_env(key_step, state, action, params)
        done = terminated | truncated
        new = select_tree(done, self._restart(key_reset, ended, params, *extra), ended)
        info = dict(info)
        if self.final_observation:
            info["final_observation"] = self._env.get_obs(ended, params)
        return self._env.get_obs(new, params), new, reward, terminated, truncated, info


class AutoReplayWrapper(_AutoReset):
    """Restart every finished episode on the same level (UED / evaluation)."""

    def reset(self, key: jax.Array, params: EnvParams, level: Level):
        return self._env.reset_to_level(key, level, params)

    def _restart(self, key, state: EnvState, params: EnvParams) -> EnvState:
        return self._env.init_state(state.level, params)


class ResetToGivenLevelWrapper(_AutoReset):
    """Restart finished episodes on the level passed to ``step(key, state, action, params, level)``."""

    def reset(self, key: jax.Array, params: EnvParams, level: Level):
        return self._env.reset_to_level(key, level, params)

    def _restart(self, key, state: EnvState, params: EnvParams, level: Level) -> EnvState:
        return self._env.init_state(level, params)


class AutoResetFromSetWrapper(_AutoReset):
    """Start every episode on a level drawn uniformly from a fixed set.

    Args:
        env: the core env.
        levels: a stacked :class:`Level` (leading axis = set size), of the env's capacities.

    The set's initial states are computed once here (outside ``jit``) and closed over, so a
    reset is one gather.  A different set needs a new wrapper (and a recompile); for a set
    that changes every update (UED), pass levels per call with ``ResetToGivenLevelWrapper``.
    """

    def __init__(self, env, levels: Level, final_observation: bool = True):
        super().__init__(env, final_observation)
        self.num_levels = int(jax.tree_util.tree_leaves(levels)[0].shape[0])
        self.initial_states = jax.jit(jax.vmap(env.init_state, (0, None)))(levels, env.default_params)

    def _draw(self, key) -> EnvState:
        index = jax.random.randint(key, (), 0, self.num_levels)
        return jax.tree_util.tree_map(lambda x: x[index], self.initial_states)

    def reset(self, key: jax.Array, params: EnvParams):
        state = self._draw(key)
        return self._env.get_obs(state, params), state

    def _restart(self, key, state: EnvState, params: EnvParams) -> EnvState:
        return self._draw(key)


class LogState(PyTreeNode):
    """Episode statistics around an inner state."""

    env_state: object
    episode_return: Float[Array, "..."]
    episode_length: Int[Array, "..."]
    returned_episode_return: Float[Array, "..."]
    returned_episode_length: Int[Array, "..."]
    returned_episode_solved: Bool[Array, "..."]


class LogWrapper(Wrapper):
    """Track the return, length and success of the current and of the last finished episode.

    ``info`` gains ``returned_episode_returns``, ``returned_episode_lengths``,
    ``returned_episode_solved`` (the last finished episode ended on a goal) and
    ``returned_episode`` (this step ended an episode).  Wrap an auto-reset wrapper with it.
    """

    def reset(self, key: jax.Array, params: EnvParams, *extra):
        obs, state = self._env.reset(key, params, *extra)
        zeros = jnp.zeros(jnp.shape(inner_env_state(state).timestep), jnp.float32)
        return obs, LogState(env_state=state, episode_return=zeros, episode_length=zeros.astype(jnp.int32),
                             returned_episode_return=zeros, returned_episode_length=zeros.astype(jnp.int32),
                             returned_episode_solved=zeros.astype(bool))

    def step(self, key: jax.Array, state: LogState, action, params: EnvParams, *extra):
        obs, inner, reward, terminated, truncated, info = self._env.step(key, state.env_state, action, params, *extra)
        done = terminated | truncated
        ret = state.episode_return + reward
        length = state.episode_length + 1
        new = LogState(env_state=inner, episode_return=jnp.where(done, 0.0, ret),
                       episode_length=jnp.where(done, 0, length),
                       returned_episode_return=jnp.where(done, ret, state.returned_episode_return),
                       returned_episode_length=jnp.where(done, length, state.returned_episode_length),
                       returned_episode_solved=jnp.where(done, info["goal"], state.returned_episode_solved))
        info = dict(info, returned_episode_returns=new.returned_episode_return,
                    returned_episode_lengths=new.returned_episode_length,
                    returned_episode_solved=new.returned_episode_solved, returned_episode=done)
        return obs, new, reward, terminated, truncated, info


class GymnaxLegacyWrapper(Wrapper):
    """The pre-1.0 gymnax 5-tuple: ``step -> (obs, state, reward, done, info)`` with
    ``done = terminated | truncated`` and both flags kept in ``info`` (for old training code)."""

    def reset(self, key: jax.Array, params: EnvParams, *extra):
        return self._env.reset(key, params, *extra)

    def step(self, key: jax.Array, state, action, params: EnvParams, *extra):
        obs, state, reward, terminated, truncated, info = self._env.step(key, state, action, params, *extra)
        info = dict(info, terminated=terminated, truncated=truncated)
        return obs, state, reward, terminated | truncated, info
