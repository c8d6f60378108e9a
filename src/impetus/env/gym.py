"""Gymnasium adapter (host side): ``ImpetusGymEnv`` (one env) and ``ImpetusVectorEnv`` (a jitted batch).

Both wrap the functional env, convert observations to numpy and describe them with
``gymnasium.spaces`` (:func:`to_gymnasium`).  Level sources, for both: ``levels=None`` draws a
fresh generated level (``impetus.levels.generate.sample_level``) per episode; otherwise a
``Level``, a stacked ``Level``, a list of levels or level-file paths, drawn uniformly per episode.
``reset(options={"level": level})`` plays a given level.

The vector env auto-resets in the same step (``AutoresetMode.SAME_STEP``): after an episode ends
the returned observation starts the next one, ``info["final_obs"]`` (batched like the
observation) holds the last observation of the ended one and ``info["_final_obs"]`` marks which
envs ended.  Call :func:`register_envs` to make ``gymnasium.make("Impetus-v0", ...)`` and
``gymnasium.make_vec("Impetus-v0", num_envs=...)`` work.
"""

import functools
from typing import ClassVar

import gymnasium
import jax
import numpy as np
from gymnasium.vector import AutoresetMode

from ..levels import Level, pad, stack
from . import spaces
from .params import EnvParams, make_static_env_params
from .pool import AutoResetRandomWrapper
from .rollout import jitted
from .wrappers import AutoResetFromSetWrapper

ENV_ID = "Impetus-v0"


def to_gymnasium(space) -> gymnasium.spaces.Space:
    """The ``gymnasium.spaces`` equivalent of an ``impetus.env.spaces`` space."""
    if isinstance(space, spaces.Dict):
        return gymnasium.spaces.Dict({k: to_gymnasium(v) for k, v in space.spaces.items()})
    if isinstance(space, spaces.Discrete):
        return gymnasium.spaces.Discrete(space.n)
    if isinstance(space, spaces.MultiDiscrete):
        return gymnasium.spaces.MultiDiscrete(space.nvec, dtype=np.int32)
    dtype = np.dtype(space.dtype)
    if dtype == np.bool_:
        return gymnasium.spaces.Box(0, 1, space.shape, np.bool_)
    return gymnasium.spaces.Box(space.low.astype(dtype), space.high.astype(dtype), space.shape, dtype)


def level_set(levels, static_sim) -> Level | None:
    """A stacked level set (padded to ``static_sim``) from any accepted source, or None."""
    if levels is None:
        return None
    if isinstance(levels, (str, bytes)) or hasattr(levels, "__fspath__"):
        levels = [levels]
    if isinstance(levels, Level):
        if levels.shape.active.ndim == 1:
            levels = [levels]
        else:
            return levels if levels.static == static_sim else jax.vmap(lambda lv: pad(lv, static_sim))(levels)
    from ..levels.io import load_level

    loaded = [lv if isinstance(lv, Level) else load_level(lv, static_sim) for lv in levels]
    return stack([lv if lv.static == static_sim else pad(lv, static_sim) for lv in loaded])


def _static_of(levels):
    if isinstance(levels, Level):
        return levels.static
    if isinstance(levels, (list, tuple)) and levels and isinstance(levels[0], Level):
        return levels[0].static
    return None


def _numpy(tree):
    return jax.tree_util.tree_map(np.asarray, jax.device_get(tree))


class ImpetusGymEnv(gymnasium.Env):
    """One Impetus env as a ``gymnasium.Env`` (see the module docstring).

    Args:
        levels: level source (module docstring).
        size: ``"s"``, ``"m"`` or ``"l"``; default: the levels' capacities, else ``"m"``.
        observation, action, frame_skip: as in :class:`~impetus.env.StaticEnvParams`.
        params: :class:`~impetus.env.EnvParams` (default ``EnvParams()``).
        render_mode: ``None`` or ``"rgb_array"`` (``render()`` returns a 500 x 500 x 3 ``uint8`` frame).
    """

    metadata: ClassVar[dict] = {"render_modes": ["rgb_array"], "render_fps": 30}

    def __init__(self, levels=None, size: str | None = None, observation: str = "entity",
                 action: str = "multi_discrete", frame_skip: int = 2, params: EnvParams | None = None,
                 render_mode: str | None = None):
        static = make_static_env_params(size or "m", observation=observation, action=action, frame_skip=frame_skip)
        if size is None and _static_of(levels) is not None:
            static = static.replace(sim=_static_of(levels))
        fns = jitted(static)
        self.env = fns.env
        self.params = params or self.env.default_params
        self.levels = level_set(levels, static.sim)
        self.observation_space = to_gymnasium(self.env.observation_space())
        self.action_space = to_gymnasium(self.env.action_space())
        self.render_mode = render_mode
        self._reset, self._step, self._render = fns.reset, fns.step, functools.partial(fns.render, config=None)
        self._state = None

    def _pick_level(self, key) -> Level:
        if self.levels is None:
            return _jitted_sampler(self.env.static.sim)(key)
        index = int(self.np_random.integers(jax.tree_util.tree_leaves(self.levels)[0].shape[0]))
        return jax.tree_util.tree_map(lambda x: x[index], self.levels)

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        key = jax.random.key(int(self.np_random.integers(2**31)))
        level = (options or {}).get("level")
        level = level_set(level, self.env.static.sim) if level is not None else None
        level = jax.tree_util.tree_map(lambda x: x[0], level) if level is not None else self._pick_level(key)
        obs, self._state = self._reset(key, level, self.params)
        return _numpy(obs), {}

    def step(self, action):
        if self._state is None:
            raise RuntimeError("call reset() before step()")
        key = jax.random.key(0)  # the env's dynamics are deterministic
        obs, self._state, reward, terminated, truncated, info = self._step(key, self._state, action, self.params)
        return _numpy(obs), float(reward), bool(terminated), bool(truncated), _numpy(info)

    def render(self):
        if self.render_mode != "rgb_array" or self._state is None:
            return None
        return np.asarray(self._render(self._state))


@functools.lru_cache(maxsize=8)
def _jitted_sampler(static_sim):
    from ..levels.generate import sample_level

    return jax.jit(functools.partial(sample_level, static=static_sim))


class ImpetusVectorEnv(gymnasium.vector.VectorEnv):
    """``num_envs`` Impetus envs stepped as one jitted batch, with same-step auto-reset.

    Arguments as :class:`ImpetusGymEnv`; episodes restart on a uniform draw from ``levels``
    (``AutoResetFromSetWrapper``) or, with ``levels=None``, on fresh generated levels
    (``AutoResetRandomWrapper``).
    """

    metadata: ClassVar[dict] = {"render_modes": ["rgb_array"], "render_fps": 30,
                                "autoreset_mode": AutoresetMode.SAME_STEP}

    def __init__(self, num_envs: int, levels=None, size: str | None = None, observation: str = "entity",
                 action: str = "multi_discrete", frame_skip: int = 2, params: EnvParams | None = None,
                 render_mode: str | None = None):
        single = ImpetusGymEnv(levels, size, observation, action, frame_skip, params, render_mode)
        self.env, self.params, self.num_envs, self.render_mode = single.env, single.params, num_envs, render_mode
        self.single_observation_space = single.observation_space
        self.single_action_space = single.action_space
        self.observation_space = gymnasium.vector.utils.batch_space(self.single_observation_space, num_envs)
        self.action_space = gymnasium.vector.utils.batch_space(self.single_action_space, num_envs)
        if single.levels is None:
            from ..levels.generate import sample_level

            sampler = functools.partial(sample_level, static=self.env.static.sim)
            self.wrapper = AutoResetRandomWrapper(self.env, sampler, num_envs)
            self._reset, self._step = jax.jit(self.wrapper.reset), jax.jit(self.wrapper.step)
        else:
            self.wrapper = AutoResetFromSetWrapper(self.env, single.levels)
            batch_reset = jax.vmap(self.wrapper.reset, (0, None))
            batch_step = jax.vmap(self.wrapper.step, (0, 0, 0, None))
            self._reset = jax.jit(lambda key, p: batch_reset(jax.random.split(key, num_envs), p))
            self._step = jax.jit(lambda key, s, a, p: batch_step(jax.random.split(key, num_envs), s, a, p))
        self._render = single._render
        self._key, self._state = None, None

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        if seed is not None or self._key is None:
            self._key = jax.random.key(0 if seed is None else int(seed))
        self._key, sub = jax.random.split(self._key)
        obs, self._state = self._reset(sub, self.params)
        return _numpy(obs), {}

    def step(self, actions):
        if self._state is None:
            raise RuntimeError("call reset() before step()")
        self._key, sub = jax.random.split(self._key)
        obs, self._state, reward, terminated, truncated, info = self._step(sub, self._state, actions, self.params)
        info = _numpy(info)
        info["final_obs"] = info.pop("final_observation")
        info["_final_obs"] = np.asarray(terminated) | np.asarray(truncated)
        return _numpy(obs), np.asarray(reward), np.asarray(terminated), np.asarray(truncated), info

    def render(self):
        """The first env's frame."""
        if self.render_mode != "rgb_array" or self._state is None:
            return None
        state = self._state.env_state if hasattr(self._state, "pool") else self._state
        return np.asarray(self._render(jax.tree_util.tree_map(lambda x: x[0], state)))


def register_envs() -> None:
    """Register ``Impetus-v0`` with gymnasium (idempotent)."""
    if ENV_ID not in gymnasium.registry:
        gymnasium.register(id=ENV_ID, entry_point="impetus.env.gym:ImpetusGymEnv",
                           vector_entry_point="impetus.env.gym:ImpetusVectorEnv")
