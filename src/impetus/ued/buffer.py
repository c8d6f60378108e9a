"""The level buffer (a pytree) and the stateless level sampler of PLR / ACCEL / SFL.

In jaxued's ``level_sampler`` style the sampler holds only hyper-parameters (a hashable frozen
dataclass, closed over by ``jit``) and every operation maps a :class:`LevelBuffer` to a new one::

    sampler = LevelSampler(capacity=4000, replay_prob=0.5, staleness_coeff=0.3)
    buffer = sampler.initialize(template_level)
    buffer, slots = sampler.insert_batch(buffer, levels, scores, solve_rates, max_returns)
    if sampler.sample_replay_decision(buffer, key):          # jnp bool; use lax.cond in jit
        buffer, slots, levels = sampler.sample_replay_levels(buffer, key, 32)
        buffer = sampler.update_batch(buffer, slots, new_scores, solve_rates, max_returns)

Sampling weights (reference section 6.5)::

    P(i) = (1 - staleness_coeff) * P_score(i) + staleness_coeff * P_stale(i)
    P_score(i) ∝ (1 / rank_i) ** (1 / temperature)      (``rank``; rank 1 = highest score)
    P_score(i) = 1/k on the k best levels, else 0          (``topk``)
    P_stale(i) ∝ episode_count - timestamp_i               (uniform if all are 0)

``episode_count`` counts insertions and sampled levels; a level's timestamp is the count when
it was last inserted or sampled.  Insertion fills empty slots first; a full buffer replaces its
**lowest-scoring** level, and only when the new score is higher (jaxued replaces the lowest
*weighted* level; with staleness in the weight that can evict a good level that was not
sampled for a while).  Scores of ``-inf`` (nothing measured) or NaN are never inserted.
"""

import dataclasses

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..engine._pytree import PyTreeNode
from ..levels import Level

PRIORITIZATIONS = ("rank", "topk")


class LevelBuffer(PyTreeNode):
    """``N`` level slots; the first ``size`` are filled (see :attr:`valid`)."""

    levels: Level  # stacked, leading axis N
    scores: Float[Array, " n"]  # -inf in empty slots
    timestamps: Int[Array, " n"]  # episode_count when last inserted or sampled
    solve_rate: Float[Array, " n"]  # last measured success rate in [0, 1]; NaN if never measured
    max_return: Float[Array, " n"]  # best episode return seen on the level (MaxMC); -inf if none
    size: Int[Array, ""]
    episode_count: Int[Array, ""]

    @property
    def capacity(self) -> int:
        return int(self.scores.shape[0])

    @property
    def valid(self) -> Bool[Array, " n"]:
        """Which slots hold a level."""
        return jnp.arange(self.capacity) < self.size


def take(levels: Level, index: Int[Array, "..."]) -> Level:
    """``levels[index]`` for a stacked level pytree."""
    return jax.tree_util.tree_map(lambda x: x[index], levels)


def set_rows(buffer: LevelBuffer, index, levels: Level, scores, solve_rate, max_return) -> LevelBuffer:
    """``buffer`` with slots ``index`` overwritten (levels, scores and extras; not timestamps)."""
    new_levels = jax.tree_util.tree_map(lambda b, x: b.at[index].set(x), buffer.levels, levels)
    return buffer.replace(levels=new_levels, scores=buffer.scores.at[index].set(scores),
                          solve_rate=buffer.solve_rate.at[index].set(solve_rate),
                          max_return=buffer.max_return.at[index].set(max_return))


def fill(buffer: LevelBuffer, levels: Level, scores: Float[Array, " k"],
         solve_rate: Float[Array, " k"]) -> LevelBuffer:
    """Replace the whole contents by ``k <= N`` levels (SFL keeps its top ``k`` this way)."""
    k = int(scores.shape[0])
    if k > buffer.capacity:
        raise ValueError(f"fill: {k} levels do not fit a buffer of {buffer.capacity}")
    empty = buffer.replace(scores=jnp.full_like(buffer.scores, -jnp.inf),
                           solve_rate=jnp.full_like(buffer.solve_rate, jnp.nan),
                           max_return=jnp.full_like(buffer.max_return, -jnp.inf))
    index = jnp.arange(k)
    out = set_rows(empty, index, levels, scores, solve_rate, jnp.full((k,), -jnp.inf))
    stamp = buffer.episode_count + k
    return out.replace(size=jnp.asarray(k, jnp.int32), episode_count=stamp,
                       timestamps=jnp.zeros_like(buffer.timestamps).at[index].set(stamp))


def sample_uniform(buffer: LevelBuffer, key: jax.Array, n: int) -> Int[Array, " n"]:
    """``n`` slots drawn uniformly with replacement from the filled ones (SFL)."""
    return jax.random.randint(key, (n,), 0, jnp.maximum(buffer.size, 1))


def top(buffer: LevelBuffer, k: int) -> Int[Array, " k"]:
    """The slots of the ``k`` highest scores, best first (empty slots last)."""
    _, index = jax.lax.top_k(jnp.where(buffer.valid, buffer.scores, -jnp.inf), k)
    return index


def ranks(scores: Float[Array, " n"], valid: Bool[Array, " n"]) -> Int[Array, " n"]:
    """1 for the highest valid score, 2 for the next, ...; ties by slot order; invalid slots last."""
    order = jnp.argsort(-jnp.where(valid, scores, -jnp.inf), stable=True)
    return jnp.zeros_like(order).at[order].set(jnp.arange(1, order.shape[0] + 1))


@dataclasses.dataclass(frozen=True)
class LevelSampler:
    """Hyper-parameters of a prioritised level buffer (module docstring); hashable, never traced."""

    capacity: int
    replay_prob: float = 0.5
    staleness_coeff: float = 0.3
    prioritization: str = "rank"
    temperature: float = 1.0
    topk_k: int = 8
    minimum_fill_ratio: float = 0.5

    def __post_init__(self):
        problems = [
            (self.capacity >= 1, f"capacity must be >= 1, got {self.capacity}"),
            (0.0 <= self.replay_prob <= 1.0, f"replay_prob must be in [0, 1], got {self.replay_prob}"),
            (0.0 <= self.staleness_coeff <= 1.0, f"staleness_coeff must be in [0, 1], got {self.staleness_coeff}"),
            (self.prioritization in PRIORITIZATIONS,
             f"prioritization must be one of {', '.join(PRIORITIZATIONS)}, got {self.prioritization!r}"),
            (self.temperature > 0.0, f"temperature must be > 0, got {self.temperature}"),
            (self.topk_k >= 1, f"topk_k must be >= 1, got {self.topk_k}"),
            (0.0 <= self.minimum_fill_ratio <= 1.0,
             f"minimum_fill_ratio must be in [0, 1], got {self.minimum_fill_ratio}"),
        ]
        for ok, message in problems:
            if not ok:
                raise ValueError(f"LevelSampler: {message}")

    def initialize(self, template: Level) -> LevelBuffer:
        """An empty buffer whose slots are copies of ``template`` (one unbatched level)."""
        n = self.capacity
        levels = jax.tree_util.tree_map(lambda x: jnp.broadcast_to(x, (n, *jnp.shape(x))), template)
        return LevelBuffer(levels=levels, scores=jnp.full((n,), -jnp.inf, jnp.float32),
                           timestamps=jnp.zeros((n,), jnp.int32), solve_rate=jnp.full((n,), jnp.nan, jnp.float32),
                           max_return=jnp.full((n,), -jnp.inf, jnp.float32), size=jnp.zeros((), jnp.int32),
                           episode_count=jnp.zeros((), jnp.int32))

    # -- weights ----------------------------------------------------------------------------------
    def score_weights(self, buffer: LevelBuffer) -> Float[Array, " n"]:
        """(N,) the score part of the sampling distribution (sums to 1 over filled slots)."""
        valid = buffer.valid
        rank = ranks(buffer.scores, valid)
        if self.prioritization == "rank":
            w = jnp.where(valid, (1.0 / rank) ** (1.0 / self.temperature), 0.0)
        else:
            w = jnp.where(valid & (rank <= self.topk_k), 1.0, 0.0)
        return w / jnp.maximum(jnp.sum(w), 1e-30)

    def staleness_weights(self, buffer: LevelBuffer) -> Float[Array, " n"]:
        """(N,) ∝ episodes since each level was last seen; uniform over filled slots if all are 0."""
        valid = buffer.valid
        stale = jnp.where(valid, buffer.episode_count - buffer.timestamps, 0).astype(jnp.float32)
        uniform = valid / jnp.maximum(buffer.size, 1).astype(jnp.float32)
        total = jnp.sum(stale)
        return jnp.where(total > 0, stale / jnp.maximum(total, 1e-30), uniform)

    def level_weights(self, buffer: LevelBuffer) -> Float[Array, " n"]:
        """(N,) the replay distribution: score and staleness weights mixed by ``staleness_coeff``."""
        c = self.staleness_coeff
        return (1.0 - c) * self.score_weights(buffer) + c * self.staleness_weights(buffer)

    # -- replay -----------------------------------------------------------------------------------
    def sample_replay_decision(self, buffer: LevelBuffer, key: jax.Array) -> Bool[Array, ""]:
        """Replay (True) with probability ``replay_prob`` once the buffer is filled to
        ``minimum_fill_ratio`` (and holds at least one level); otherwise new levels (False)."""
        filled = buffer.size >= jnp.maximum(jnp.ceil(self.minimum_fill_ratio * self.capacity), 1)
        return filled & (jax.random.uniform(key) < self.replay_prob)

    def sample_replay_levels(self, buffer: LevelBuffer, key: jax.Array,
                             n: int) -> tuple[LevelBuffer, Int[Array, " n"], Level]:
        """``n`` slots drawn by :meth:`level_weights` with replacement, their levels, and the
        buffer with ``episode_count += n`` and the drawn slots stamped with the new count."""
        index = jax.random.choice(key, self.capacity, (n,), replace=True, p=self.level_weights(buffer))
        count = buffer.episode_count + n
        buffer = buffer.replace(timestamps=buffer.timestamps.at[index].set(count), episode_count=count)
        return buffer, index, take(buffer.levels, index)

    # -- insert / update --------------------------------------------------------------------------
    def insert(self, buffer: LevelBuffer, level: Level, score, solve_rate=jnp.nan,
               max_return=-jnp.inf) -> tuple[LevelBuffer, Int[Array, ""]]:
        """Insert one level; returns the buffer and its slot (-1 if the score was too low)."""
        lowest = jnp.argmin(jnp.where(buffer.valid, buffer.scores, jnp.inf))
        slot = jnp.where(buffer.size < self.capacity, buffer.size, lowest)
        accept = score > buffer.scores[slot]

        def pick(new, old):  # one row, so an insert costs O(level), not O(buffer)
            return jax.tree_util.tree_map(lambda a, b: jnp.where(accept, a, b), new, old)

        level = pick(level, take(buffer.levels, slot))
        row = pick((score, solve_rate, max_return),
                   (buffer.scores[slot], buffer.solve_rate[slot], buffer.max_return[slot]))
        count = buffer.episode_count + accept.astype(jnp.int32)
        out = set_rows(buffer, slot, level, *row)
        out = out.replace(timestamps=out.timestamps.at[slot].set(jnp.where(accept, count, buffer.timestamps[slot])),
                          episode_count=count, size=jnp.where(accept, jnp.minimum(buffer.size + 1, self.capacity),
                                                              buffer.size))
        return out, jnp.where(accept, slot, -1)

    def insert_batch(self, buffer: LevelBuffer, levels: Level, scores: Float[Array, " b"],
                     solve_rate: Float[Array, " b"], max_return: Float[Array, " b"]):
        """Insert ``B`` levels one after the other; returns the buffer and (B,) slots (-1: rejected)."""
        def body(buf, row):
            level, score, p, r = row
            return self.insert(buf, level, score, p, r)

        return jax.lax.scan(body, buffer, (levels, scores, solve_rate, max_return))

    def update_batch(self, buffer: LevelBuffer, index: Int[Array, " b"], scores: Float[Array, " b"],
                     solve_rate: Float[Array, " b"], max_return: Float[Array, " b"]) -> LevelBuffer:
        """New scores and extras for replayed slots (a slot drawn twice keeps one of its rows)."""
        return buffer.replace(scores=buffer.scores.at[index].set(scores),
                              solve_rate=buffer.solve_rate.at[index].set(solve_rate),
                              max_return=buffer.max_return.at[index].set(max_return))
