"""Evaluate a policy on a set of levels (reference section 6.6, plus deterministic policies).

Protocol: every level is reset ``num_attempts`` times (different keys); each attempt runs its
**first episode** to the end (goal, death or time limit) without auto-reset; the result per
attempt is its return, length (env steps) and whether it ended on a goal (a time-out is not a
solve).  The policy samples from its distribution (``stochastic``, the Kinetix protocol) or
takes the most likely action (``deterministic``).  All ``L * A`` attempts run as one batch in a
jitted ``lax.while_loop`` that stops once every episode has ended.

``summarize`` reduces the ``(L, A)`` arrays to per-level, per-group and overall means.
"""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np

from ..env import EnvParams, ImpetusEnv
from .levelsets import LevelSet

MODES = ("stochastic", "deterministic")


@dataclasses.dataclass(frozen=True)
class EvalResult:
    """Per-attempt results, arrays ``(L, A)``, for one mode."""

    mode: str
    names: tuple[str, ...]
    groups: tuple[str, ...]
    returns: np.ndarray
    lengths: np.ndarray
    solved: np.ndarray

    def summarize(self) -> dict:
        """JSON-ready means: ``levels`` (per level), ``groups`` and ``overall``."""
        def stats(rows):
            return {"solve_rate": float(self.solved[rows].mean()), "return": float(self.returns[rows].mean()),
                    "length": float(self.lengths[rows].mean())}

        per_level = {n: stats([i]) for i, n in enumerate(self.names)}
        groups = {g: stats([i for i, h in enumerate(self.groups) if h == g]) for g in dict.fromkeys(self.groups)}
        return {"mode": self.mode, "attempts": int(self.returns.shape[1]), "levels": per_level, "groups": groups,
                "overall": stats(list(range(len(self.names))))}


def make_episode_runner(env: ImpetusEnv, params: EnvParams, apply_fn, dist, deterministic: bool):
    """``run(net_params, levels (stacked, K), key) -> (returns, lengths, solved)``, each ``(K,)``."""
    step = jax.vmap(env.step, (0, 0, 0, None))

    def act(net_params, obs, key):
        out = apply_fn(net_params, obs)
        if deterministic:
            return dist.mode(out.pi, out.log_std)
        return dist.sample(key, out.pi, out.log_std)

    def run(net_params, levels, key):
        K = jax.tree_util.tree_leaves(levels)[0].shape[0]
        obs, state = jax.vmap(env.reset_to_level, (0, 0, None))(jax.random.split(key, K), levels, params)
        zeros = jnp.zeros((K,), jnp.float32)
        carry = (state, obs, jnp.ones((K,), bool), zeros, zeros.astype(jnp.int32), zeros.astype(bool), key)

        def body(c):
            state, obs, alive, ret, length, solved, key = c
            key, k_act, k_env = jax.random.split(key, 3)
            action = act(net_params, obs, k_act)
            obs, state, reward, terminated, truncated, info = step(jax.random.split(k_env, K), state, action,
                                                                   params)
            ret = ret + jnp.where(alive, reward, 0.0)
            length = length + alive.astype(jnp.int32)
            solved = solved | (alive & terminated & info["goal"])
            return state, obs, alive & ~(terminated | truncated), ret, length, solved, key

        _, _, _, ret, length, solved, _ = jax.lax.while_loop(lambda c: jnp.any(c[2]), body, carry)
        return ret, length, solved

    return run


class Evaluator:
    """Jitted evaluation of network parameters on a :class:`LevelSet`, in either mode."""

    def __init__(self, env: ImpetusEnv, params: EnvParams, apply_fn, dist, level_set: LevelSet, num_attempts: int):
        self.level_set = level_set
        self.num_attempts = num_attempts
        repeated = jax.tree_util.tree_map(lambda x: jnp.repeat(x, num_attempts, axis=0), level_set.levels)
        self._levels = repeated
        self._runs = {mode: jax.jit(make_episode_runner(env, params, apply_fn, dist, mode == "deterministic"))
                      for mode in MODES}

    def __call__(self, net_params, key: jax.Array, mode: str = "stochastic") -> EvalResult:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        ret, length, solved = self._runs[mode](net_params, self._levels, key)
        shape = (len(self.level_set), self.num_attempts)
        return EvalResult(mode, self.level_set.names, self.level_set.groups,
                          np.asarray(ret).reshape(shape), np.asarray(length).reshape(shape),
                          np.asarray(solved).reshape(shape))


def record_episode(env: ImpetusEnv, params: EnvParams, apply_fn, dist, net_params, level, key: jax.Array,
                   deterministic: bool = True, max_steps: int = 512, downscale: int = 2) -> np.ndarray:
    """RGB frames ``uint8 (T, H, W, 3)`` of one episode on ``level`` (initial state included)."""
    from ..render.pixels import PixelConfig, render_level_scene

    config = PixelConfig.for_screen(env.static.screen_size, env.static.pixels_per_metre, downscale)
    render = jax.jit(lambda s: render_level_scene(s.sim, s.level, config))
    runner = jax.jit(make_policy_step(env, params, apply_fn, dist, deterministic))
    obs, state = env.reset_to_level(key, level, params)
    frames = [np.asarray(render(state))]
    for k in jax.random.split(key, max_steps):
        obs, state, done = runner(net_params, obs, state, k)
        frames.append(np.asarray(render(state)))
        if bool(done):
            break
    return np.stack(frames)


def make_policy_step(env: ImpetusEnv, params: EnvParams, apply_fn, dist, deterministic: bool):
    """``step(net_params, obs, state, key) -> (obs, state, done)`` for one (unbatched) env."""

    def step(net_params, obs, state, key):
        k_act, k_env = jax.random.split(key)
        out = apply_fn(net_params, jax.tree_util.tree_map(lambda x: x[None], obs))
        pi = out.pi[0]
        action = dist.mode(pi, out.log_std) if deterministic else dist.sample(k_act, pi, out.log_std)
        obs, state, _, terminated, truncated, _ = env.step(k_env, state, action, params)
        return obs, state, terminated | truncated

    return step


def evaluate_checkpoint(path, spec: str, num_attempts: int = 20, modes=MODES, seed: int = 0) -> dict:
    """Evaluate the policy in checkpoint ``path`` on the level set ``spec`` (``levelsets``).

    Returns a JSON-ready dict: ``checkpoint``, ``update``, ``env_steps``, ``levels`` (names and
    groups) and one :meth:`EvalResult.summarize` per mode.
    """
    from . import checkpoint
    from .envs import env_params, make_core_env
    from .levelsets import load_level_set
    from .networks import distribution_for, dummy_observation, make_network
    from .train import make_config_static

    tensors, meta = checkpoint.read(path)
    config = checkpoint.config_of(meta, str(path))
    env = make_core_env(config)
    dist = distribution_for(env.action_space())
    network = make_network(config.network, dist)
    template = jax.eval_shape(network.init, jax.random.key(0), dummy_observation(env.observation_space()))
    template = jax.tree_util.tree_map(lambda s: np.zeros(s.shape, s.dtype), template)
    net_params = checkpoint.restore_params(template, tensors, str(path))
    level_set = load_level_set(spec, make_config_static(config))
    evaluator = Evaluator(env, env_params(config), network.apply, dist, level_set, num_attempts)
    key = jax.random.key(seed)
    return {"checkpoint": str(checkpoint.resolve_path(path)), "update": meta.get("update"),
            "env_steps": meta.get("env_steps"), "levels": dict(zip(level_set.names, level_set.groups, strict=True)),
            **{mode: evaluator(net_params, key, mode).summarize() for mode in modes}}
