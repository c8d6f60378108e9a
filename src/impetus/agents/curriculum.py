"""Curricula as a config choice: DR, PLR (robust or not), ACCEL and SFL in one training loop.

Training is cut into **periods** of ``ued.level_period`` PPO updates.  At the start of a period
the curriculum chooses one level per env (``num_envs`` levels); each env is reset onto its level
and replays it (``AutoReplayWrapper``) for the whole period.  Every update folds its rollout into
per-level statistics (``impetus.ued.accumulate``: episodes, solves, returns, values, GAE
advantages).  At the end of a period :meth:`Curriculum.advance` scores the period's levels,
updates the buffer and chooses the next batch (jitted, see ``train``).

=========  ====================================================================================
``dr``     fresh random levels every period (no buffer)
``plr``    each period is *new* (fresh levels, scored and inserted into the buffer) or, with
           ``replay_prob`` once the buffer is ``minimum_fill_ratio`` full, *replay* (levels drawn
           by rank + staleness weights, then re-scored).  ``plr.robust``: only replay periods
           update the policy (PLR-perp)
``accel``  PLR, and the period after every replay period is *mutate*: the replayed levels, each
           edited ``num_edits`` times (``impetus.levels.mutate_level``), are played and inserted
``sfl``    every ``buffer_update_every`` updates, ``score_num_batches x score_batch_size`` fresh
           levels are rolled out for ``score_steps`` steps with the current policy; the
           ``num_to_save`` with the highest learnability ``p(1-p)`` (+0.001 p) become the
           buffer.  Each period, ``sampled_envs_ratio`` of the envs play uniform draws from the
           buffer and the rest fresh levels (reference 6.4)
=========  ====================================================================================

Fresh levels come from ``impetus.levels`` (``sample_filtered_levels`` with ``ued.filter_levels``,
which drops levels the do-nothing policy solves, else ``sample_level``).  Scores: ``plr.score_function``
(``maxmc``, ``pvl``, ``learnability``).  Every period also reports scalar metrics
(``curriculum/*``: branch, solve rates on buffer and fresh levels, scores, level complexity,
buffer score distribution); pictures and histograms are logged by ``curriculum_log``.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..engine._pytree import PyTreeNode
from ..levels import Level, empty_level, mutate_level, sample_filtered_levels, sample_level
from ..ued import (
    EpisodeStats,
    LevelBuffer,
    LevelSampler,
    complexity,
    empty_stats,
    max_return,
    score,
    solve_rate,
    summary,
)
from .config import TrainConfig
from .envs import BatchedEnv

NEW, REPLAY, MUTATE = 0, 1, 2
BRANCHES = ("new", "replay", "mutate")


class CurriculumState(PyTreeNode):
    """What a curriculum carries between updates (leading axis ``B = num_envs`` where shown)."""

    buffer: LevelBuffer | None  # None for DR
    levels: Level  # (B,) the level each env plays this period
    slot: Int[Array, " b"]  # buffer slot of each env's level; -1 for levels not drawn from the buffer
    branch: Int[Array, ""]  # NEW / REPLAY / MUTATE
    learn: Bool[Array, ""]  # whether this period's rollouts update the policy
    train_on_new: Bool[Array, ""]  # whether new and mutated levels update it (False: robust PLR)
    stats: EpisodeStats  # (B,) this period's statistics so far
    key: jax.Array
    fresh_score: Float[Array, ""]  # SFL: mean learnability of the last scored fresh levels (NaN otherwise)
    fresh_solve_rate: Float[Array, ""]  # SFL: their mean solve rate


def broadcast(level: Level, n: int) -> Level:
    return jax.tree_util.tree_map(lambda x: jnp.broadcast_to(x, (n, *jnp.shape(x))), level)


def concat(a: Level, b: Level) -> Level:
    return jax.tree_util.tree_map(lambda x, y: jnp.concatenate([x, y]), a, b)


class Curriculum:
    """Domain randomisation, and the skeleton the other curricula fill in (module docstring)."""

    name = "dr"

    def __init__(self, config: TrainConfig, env: BatchedEnv, apply_fn, dist):
        self.config = config
        self.env = env
        self.apply_fn, self.dist = apply_fn, dist
        self.num_envs = config.ppo.num_envs
        self.period = config.ued.level_period
        self.static = env.static.sim

    # -- hooks ------------------------------------------------------------------------------------
    def initial_buffer(self) -> LevelBuffer | None:
        return None

    def score_period(self, cur: CurriculumState) -> CurriculumState:
        """Use the finished period's statistics (update the buffer)."""
        return cur

    def refresh(self, cur: CurriculumState, params, update, key: jax.Array) -> CurriculumState:
        """Work that needs the policy between periods (SFL rebuilds its buffer)."""
        del params, update, key
        return cur

    def choose(self, cur: CurriculumState, key: jax.Array) -> CurriculumState:
        """The next period's levels, slots, branch and learn flag."""
        return cur.replace(levels=self.fresh_levels(key, self.num_envs), slot=jnp.full((self.num_envs,), -1, jnp.int32),
                           branch=jnp.int32(NEW), learn=jnp.array(True))

    # -- shared -----------------------------------------------------------------------------------
    def fresh_levels(self, key: jax.Array, n: int) -> Level:
        """``n`` random levels (no-op-filtered with ``ued.filter_levels``)."""
        if self.config.ued.filter_levels:
            return sample_filtered_levels(key, self.static, n)[0]
        return jax.vmap(sample_level, (0, None))(jax.random.split(key, n), self.static)

    def init(self, key: jax.Array):
        """``(CurriculumState, obs, env_state)`` of a placeholder period on empty levels, with no
        statistics; the first :meth:`advance` (``train`` runs it in ``init``) chooses real levels,
        so the first levels come from the same compiled program as all later ones."""
        k_reset, k_next = jax.random.split(key)
        n = self.num_envs
        nan = jnp.float32(jnp.nan)
        cur = CurriculumState(buffer=self.initial_buffer(), levels=broadcast(empty_level(self.static), n),
                              slot=jnp.full((n,), -1, jnp.int32), branch=jnp.int32(NEW), learn=jnp.array(True),
                              train_on_new=jnp.array(not self.config.plr.robust),  # read by PLR / ACCEL only
                              stats=empty_stats(n), key=k_next, fresh_score=nan, fresh_solve_rate=nan)
        obs, env_state = self.env.reset(k_reset, cur.levels)
        return cur, obs, env_state

    def advance(self, cur: CurriculumState, params, update):
        """End the period that finished at PPO update ``update``: ``(cur, obs, env_state, metrics)``."""
        key, k_refresh, k_choose, k_reset = jax.random.split(cur.key, 4)
        metrics = self.period_metrics(cur)
        cur = self.refresh(self.score_period(cur), params, update, k_refresh)
        cur = self.choose(cur, k_choose).replace(stats=empty_stats(self.num_envs), key=key)
        obs, env_state = self.env.reset(k_reset, cur.levels)
        metrics.update(self.buffer_metrics(cur))
        return cur, obs, env_state, metrics

    def period_metrics(self, cur: CurriculumState) -> dict:
        """Scalars about the period that just finished."""
        p = solve_rate(cur.stats)
        from_buffer = cur.slot >= 0
        out = {f"curriculum/branch_{name}": (cur.branch == i).astype(jnp.float32) for i, name in enumerate(BRANCHES)}
        out["curriculum/learn"] = cur.learn.astype(jnp.float32)
        out["curriculum/period_solve_rate"] = summary(p, jnp.ones_like(from_buffer))["mean"]
        out["curriculum/period_solve_rate_buffer"] = summary(p, from_buffer)["mean"]
        out["curriculum/period_solve_rate_fresh"] = summary(p, ~from_buffer)["mean"]
        learn = p * (1.0 - p)
        out["curriculum/period_learnability"] = summary(learn, jnp.ones_like(from_buffer))["mean"]
        out["curriculum/period_learnability_buffer"] = summary(learn, from_buffer)["mean"]
        out["curriculum/period_learnability_fresh"] = summary(learn, ~from_buffer)["mean"]
        out["curriculum/period_unsolvable"] = jnp.mean((cur.stats.solved == 0).astype(jnp.float32))
        for name, counts in complexity(cur.levels).items():
            out[f"curriculum/level_{name}"] = jnp.mean(counts)
        return out

    def buffer_metrics(self, cur: CurriculumState) -> dict:
        """Scalars about the buffer after the update (none for DR)."""
        buf = cur.buffer
        if buf is None:
            return {}
        out = {"curriculum/buffer_size": buf.size.astype(jnp.float32)}
        out.update({f"curriculum/buffer_score_{k}": v for k, v in summary(buf.scores, buf.valid).items()})
        out["curriculum/buffer_solve_rate"] = summary(buf.solve_rate, buf.valid)["mean"]
        for name in ("shapes", "joints", "thrusters"):
            out[f"curriculum/buffer_{name}"] = summary(complexity(buf.levels)[name], buf.valid)["mean"]
        out["curriculum/sfl_fresh_learnability"] = cur.fresh_score
        out["curriculum/sfl_fresh_solve_rate"] = cur.fresh_solve_rate
        return out


class PLR(Curriculum):
    """Prioritised level replay; ACCEL with ``accel=True`` (module docstring)."""

    name = "plr"

    def __init__(self, config: TrainConfig, env: BatchedEnv, apply_fn, dist, accel: bool = False):
        super().__init__(config, env, apply_fn, dist)
        c = config.plr
        self.accel = accel
        self.name = "accel" if accel else "plr"
        self.sampler = LevelSampler(c.buffer_size, c.replay_prob, c.staleness_coeff, c.prioritization,
                                    c.temperature, c.topk_k, c.minimum_fill_ratio)

    def initial_buffer(self) -> LevelBuffer:
        return self.sampler.initialize(empty_level(self.static))

    def score_period(self, cur: CurriculumState) -> CurriculumState:
        buf, stats = cur.buffer, cur.stats
        replayed = cur.slot >= 0
        previous = jnp.where(replayed, buf.max_return[jnp.maximum(cur.slot, 0)], -jnp.inf)
        scores = score(self.config.plr.score_function, stats, previous)
        p, best = solve_rate(stats), max_return(stats, previous)

        def insert(buf):
            return self.sampler.insert_batch(buf, cur.levels, scores, p, best)[0]

        def rescore(buf):
            return self.sampler.update_batch(buf, cur.slot, scores, p, best)

        return cur.replace(buffer=jax.lax.cond(cur.branch == REPLAY, rescore, insert, buf))

    def choose(self, cur: CurriculumState, key: jax.Array) -> CurriculumState:
        k_decide, k_levels = jax.random.split(key)
        replay = self.sampler.sample_replay_decision(cur.buffer, k_decide)
        branch = jnp.where(replay, REPLAY, NEW).astype(jnp.int32)
        if self.accel:
            branch = jnp.where(cur.branch == REPLAY, MUTATE, branch).astype(jnp.int32)
        n, none = self.num_envs, jnp.full((self.num_envs,), -1, jnp.int32)

        def new(buf):
            return buf, self.fresh_levels(k_levels, n), none

        def replay_levels(buf):
            buf, slot, levels = self.sampler.sample_replay_levels(buf, k_levels, n)
            return buf, levels, slot.astype(none.dtype)

        def mutate(buf):
            keys = jax.random.split(k_levels, n)
            return buf, jax.vmap(mutate_level, (0, 0, None))(keys, cur.levels, self.config.plr.num_edits), none

        branches = [new, replay_levels] + ([mutate] if self.accel else [])
        buf, levels, slot = jax.lax.switch(branch, branches, cur.buffer)
        learn = cur.train_on_new | (branch == REPLAY)  # data, so robust PLR shares PLR's programs
        return cur.replace(buffer=buf, levels=levels, slot=slot, branch=branch, learn=learn)

    def buffer_metrics(self, cur: CurriculumState) -> dict:
        out = super().buffer_metrics(cur)
        buf = cur.buffer
        weights = self.sampler.level_weights(buf)
        out["curriculum/buffer_weighted_score"] = jnp.sum(jnp.where(buf.valid, weights * buf.scores, 0.0))
        out["curriculum/buffer_episode_count"] = buf.episode_count.astype(jnp.float32)
        return out


def make_curriculum(config: TrainConfig, env: BatchedEnv, apply_fn, dist) -> Curriculum | None:
    """The curriculum of ``config.ued.curriculum`` (``None`` for ``none``)."""
    name = config.ued.curriculum
    if name == "none":
        return None
    if name == "dr":
        return Curriculum(config, env, apply_fn, dist)
    if name in ("plr", "accel"):
        return PLR(config, env, apply_fn, dist, accel=name == "accel")
    from .sfl import SFL

    return SFL(config, env, apply_fn, dist)
