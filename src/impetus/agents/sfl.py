"""SFL, Sampling For Learnability (reference 6.4): a buffer of the most learnable random levels.

:func:`make_level_scorer` rolls the current (stochastic) policy out on a batch of levels, each
env auto-replaying its level, and counts completed and solved episodes per level.  :class:`SFL`
uses it before the first PPO update and then every ``sfl.buffer_update_every`` updates to score
``score_num_batches x score_batch_size`` fresh levels, keeps the ``num_to_save`` with the highest
``p (1 - p) + 0.001 p`` as its buffer, and each period puts ``sampled_envs_ratio`` of the envs on
uniform draws from the buffer and the rest on fresh levels.  Training rollouts on buffer levels
refresh the buffer's solve rates (not its scores, which only change at a rebuild).
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, Int

from ..env import AutoReplayWrapper
from ..levels import Level, empty_level
from ..ued import LevelBuffer, LevelSampler, fill, sample_uniform, sfl_learnability, solve_rate, take
from .config import TrainConfig
from .curriculum import NEW, REPLAY, Curriculum, CurriculumState, concat
from .envs import BatchedEnv


def make_level_scorer(env: BatchedEnv, apply_fn, dist, steps: int):
    """``score(params, levels (B,), key) -> (episodes, solved)``, both ``int32 (B,)``: completed and
    goal-reaching episodes of the stochastic policy in ``steps`` env steps per level."""
    replay = AutoReplayWrapper(env.core, final_observation=False)
    reset = jax.vmap(replay.reset, (0, None, 0))
    step = jax.vmap(replay.step, (0, 0, 0, None))

    def score(params, levels: Level, key: jax.Array) -> tuple[Int[Array, " b"], Int[Array, " b"]]:
        n = jax.tree_util.tree_leaves(levels)[0].shape[0]
        k_reset, k_steps = jax.random.split(key)
        obs, state = reset(jax.random.split(k_reset, n), env.params, levels)

        def body(carry, k):
            obs, state, episodes, solved = carry
            k_act, k_env = jax.random.split(k)
            out = apply_fn(params, obs)
            action = dist.sample(k_act, out.pi, out.log_std)
            obs, state, _, terminated, truncated, info = step(jax.random.split(k_env, n), state, action, env.params)
            episodes = episodes + (terminated | truncated).astype(jnp.int32)
            return (obs, state, episodes, solved + (terminated & info["goal"]).astype(jnp.int32)), None

        zeros = jnp.zeros((n,), jnp.int32)
        (_, _, episodes, solved), _ = jax.lax.scan(body, (obs, state, zeros, zeros), jax.random.split(k_steps, steps))
        return episodes, solved

    return score


def learnability_of(episodes: Int[Array, " b"], solved: Int[Array, " b"]) -> tuple[Float[Array, " b"], ...]:
    """``(score, p)``: SFL learnability (``-inf`` without a completed episode) and solve rate."""
    p = jnp.where(episodes > 0, solved / jnp.maximum(episodes, 1).astype(jnp.float32), jnp.nan)
    return jnp.where(episodes > 0, sfl_learnability(p), -jnp.inf), p


class SFL(Curriculum):
    """Sampling For Learnability (module docstring)."""

    name = "sfl"

    def __init__(self, config: TrainConfig, env: BatchedEnv, apply_fn, dist):
        super().__init__(config, env, apply_fn, dist)
        c = config.sfl
        self.scorer = make_level_scorer(env, apply_fn, dist, c.score_steps)
        self.num_buffer_envs = round(self.num_envs * c.sampled_envs_ratio)

    def initial_buffer(self) -> LevelBuffer:
        return LevelSampler(self.config.sfl.num_to_save).initialize(empty_level(self.static))

    def score_fresh(self, params, key: jax.Array) -> tuple[Level, Float[Array, " n"], Float[Array, " n"]]:
        """Fresh levels with their learnability and solve rate, ``n = score_num_batches * score_batch_size``."""
        c = self.config.sfl

        def batch(_, k):
            k_levels, k_roll = jax.random.split(k)
            levels = self.fresh_levels(k_levels, c.score_batch_size)
            return None, (levels, *learnability_of(*self.scorer(params, levels, k_roll)))

        _, (levels, scores, p) = jax.lax.scan(batch, None, jax.random.split(key, c.score_num_batches))
        n = c.score_num_batches * c.score_batch_size
        return jax.tree_util.tree_map(lambda x: x.reshape((n, *x.shape[2:])), levels), scores.reshape(n), p.reshape(n)

    def rebuild(self, cur: CurriculumState, params, key: jax.Array) -> CurriculumState:
        """Score fresh levels and keep the ``num_to_save`` most learnable as the buffer."""
        levels, scores, p = self.score_fresh(params, key)
        _, best = jax.lax.top_k(scores, self.config.sfl.num_to_save)
        buf = fill(cur.buffer, take(levels, best), scores[best], p[best])
        finite = jnp.isfinite(scores)
        mean = lambda x: jnp.sum(jnp.where(finite, x, 0.0)) / jnp.maximum(jnp.sum(finite), 1)  # noqa: E731
        return cur.replace(buffer=buf, fresh_score=mean(scores), fresh_solve_rate=mean(p))

    def refresh(self, cur: CurriculumState, params, update, key: jax.Array) -> CurriculumState:
        every = self.config.sfl.buffer_update_every
        # before the first period (empty buffer), then whenever a multiple of `every` was passed
        due = (cur.buffer.size == 0) | (update // every > (update - self.period) // every)
        return jax.lax.cond(due, lambda c: self.rebuild(c, params, key), lambda c: c, cur)

    def score_period(self, cur: CurriculumState) -> CurriculumState:
        """Buffer levels played this period get their measured solve rate (scores stay)."""
        p = solve_rate(cur.stats)
        measured = (cur.slot >= 0) & jnp.isfinite(p)
        slot = jnp.where(measured, cur.slot, cur.buffer.capacity)  # out of range: dropped
        return cur.replace(buffer=cur.buffer.replace(solve_rate=cur.buffer.solve_rate.at[slot].set(p, mode="drop")))

    def choose(self, cur: CurriculumState, key: jax.Array) -> CurriculumState:
        k_buffer, k_fresh = jax.random.split(key)
        n_buf, n_fresh = self.num_buffer_envs, self.num_envs - self.num_buffer_envs
        slot = sample_uniform(cur.buffer, k_buffer, n_buf)
        parts, slots = [], []
        if n_buf:
            parts.append(take(cur.buffer.levels, slot))
            slots.append(slot.astype(jnp.int32))
        if n_fresh:
            parts.append(self.fresh_levels(k_fresh, n_fresh))
            slots.append(jnp.full((n_fresh,), -1, jnp.int32))
        levels = parts[0] if len(parts) == 1 else concat(*parts)
        branch = jnp.int32(REPLAY if n_buf else NEW)
        return cur.replace(levels=levels, slot=jnp.concatenate(slots), branch=branch, learn=jnp.array(True))
