"""``AutoResetRandomWrapper``: restart finished episodes on freshly generated levels, cheaply.

Generating a level inside every step (Kinetix's gymnax-style auto-reset generates one per env
per step and throws ~99 % away) is what made random-level training 4-11x slower upstream.  Under
``vmap`` a per-env ``lax.cond`` becomes a select, and ``cond(any(done))`` at the batch level does
not help either: with 2048 envs some episode ends on almost every step.  So this wrapper works
on the *whole batch* and keeps a pool of pre-generated levels:

* the pool is a ring of ``pool_size`` levels, stored as ready initial states (``init_state`` runs
  once per generated level, not once per env per step); the ``k``-th env (in batch order) whose
  episode ends in a step takes the next unused pool entry, so each generated level starts at
  most one episode while generation keeps up;
* consumed slots are counted; once ``refill`` of them are stale, one ``lax.cond`` (a real branch:
  its predicate is a batch-level scalar) regenerates exactly those slots with the vmapped sampler.

Generation therefore runs at the rate episodes end, in chunks of ``refill`` levels, instead of
``num_envs`` levels per step.  If more episodes end than the pool holds fresh levels, older
levels are replayed (``info["pool_fresh"]`` counts the fresh ones left).

WARN: batch-level. ``reset`` and ``step`` take and return batched values (leading axis
``num_envs``) and must not be vmapped; the sampler must be jittable.
"""

from collections.abc import Callable

import jax
import jax.numpy as jnp
from jaxtyping import Array, Int

from ..engine._pytree import PyTreeNode
from ..levels import Level
from .params import EnvParams, EnvState
from .wrappers import Wrapper, select_tree


class PoolState(PyTreeNode):
    """The batch of env states and the shared level pool."""

    env_state: EnvState  # leading axis num_envs
    pool: EnvState  # initial states of generated levels, leading axis pool_size
    read: Int[Array, ""]  # next pool slot to hand out
    stale: Int[Array, ""]  # consumed slots (just behind ``read``) not yet regenerated
    key: jax.Array  # for the sampler


class AutoResetRandomWrapper(Wrapper):
    """Batch-level auto-reset to fresh random levels from a pool (module docstring).

    Args:
        env: the core env.
        sampler: ``sampler(key) -> Level`` of the env's capacities, jittable (for example
            ``functools.partial(impetus.levels.generate.sample_level, static=env.static.sim)``).
        num_envs: batch size.
        pool_size: levels in the pool (default ``max(num_envs, 64)``).
        refill: levels generated per refill (default ``max(8, num_envs // 64)``).
        final_observation: add ``info["final_observation"]`` (see ``wrappers``).
    """

    def __init__(self, env, sampler: Callable[[jax.Array], Level], num_envs: int, pool_size: int | None = None,
                 refill: int | None = None, final_observation: bool = True):
        super().__init__(env)
        self.sampler = sampler
        self.num_envs = int(num_envs)
        self.pool_size = int(pool_size or max(self.num_envs, 64))
        self.refill = int(min(refill or max(8, self.num_envs // 64), self.pool_size))
        self.final_observation = final_observation

    def _generate(self, key, n: int, params: EnvParams) -> EnvState:
        """Initial states of ``n`` fresh levels."""
        levels = jax.vmap(self.sampler)(jax.random.split(key, n))
        return jax.vmap(self._env.init_state, (0, None))(levels, params)

    def reset(self, key: jax.Array, params: EnvParams):
        """Batched ``(obs, PoolState)``: ``num_envs`` fresh levels and a full pool."""
        k_env, k_pool, k_next = jax.random.split(key, 3)
        state = self._generate(k_env, self.num_envs, params)
        zero = jnp.zeros((), jnp.int32)
        pool = PoolState(env_state=state, pool=self._generate(k_pool, self.pool_size, params), read=zero, stale=zero,
                         key=k_next)
        return jax.vmap(self._env.get_obs, (0, None))(state, params), pool

    def _take(self, state: PoolState, done) -> tuple[EnvState, PoolState]:
        """The pool state for every env (meaningful where ``done``) and the advanced read pointer."""
        Q = self.pool_size
        rank = jnp.cumsum(done.astype(jnp.int32)) - 1
        index = (state.read + rank) % Q
        restart = jax.tree_util.tree_map(lambda x: x[index], state.pool)
        used = jnp.sum(done.astype(jnp.int32))
        return restart, state.replace(read=(state.read + used) % Q, stale=jnp.minimum(state.stale + used, Q))

    def _refill(self, state: PoolState, params: EnvParams) -> PoolState:
        """Regenerate the ``refill`` oldest stale slots when that many are stale (one lax.cond)."""
        Q, R = self.pool_size, self.refill
        key, sub = jax.random.split(state.key)

        def regenerate(pool: EnvState, stale):
            slots = (state.read - stale + jnp.arange(R)) % Q
            fresh = self._generate(sub, R, params)
            return jax.tree_util.tree_map(lambda p, f: p.at[slots].set(f), pool, fresh), stale - R

        # only the pool passes through the conditional (not the batch of env states)
        pool, stale = jax.lax.cond(state.stale >= R, regenerate, lambda p, s: (p, s), state.pool, state.stale)
        return state.replace(pool=pool, stale=stale, key=key)

    def step(self, key: jax.Array, state: PoolState, action, params: EnvParams):
        """Batched ``(obs, state, reward, terminated, truncated, info)`` with auto-reset."""
        keys = jax.random.split(key, self.num_envs)
        step_env = jax.vmap(self._env.step_env, (0, 0, 0, None))
        ended, reward, terminated, truncated, info = step_env(keys, state.env_state, action, params)
        done = terminated | truncated
        restart, state = self._take(state, done)
        new = select_tree(done, restart, ended)
        state = self._refill(state.replace(env_state=new), params)
        get_obs = jax.vmap(self._env.get_obs, (0, None))
        info = dict(info, pool_fresh=jnp.broadcast_to(self.pool_size - state.stale, done.shape))
        if self.final_observation:
            info["final_observation"] = get_obs(ended, params)
        return get_obs(new, params), state, reward, terminated, truncated, info
