"""Level scores from rollouts: MaxMC, positive value loss, learnability (reference 6.4, 6.5).

Each env plays one level (auto-replayed) for a period of one or more rollouts;
:func:`accumulate` folds every rollout's time-major arrays into per-level
:class:`EpisodeStats`, carrying the unfinished episode across rollouts, and the scores are
means over the **completed** episodes of each level:

* ``maxmc``: the episode's time-average of ``R_max - V(s_t)``, where ``R_max`` is the best
  episode return ever seen on the level (its buffer ``max_return`` and this period's episodes);
  equal to ``R_max - mean_episodes(mean_t V(s_t))``, so only value means are accumulated;
* ``pvl`` (positive value loss): the episode's time-average of ``max(A_t, 0)`` with ``A_t`` the
  GAE advantage;
* ``learnability``: ``p (1 - p)`` with ``p`` the fraction of completed episodes that ended on the
  goal (SFL adds ``0.001 p`` as a tie-break, :func:`sfl_learnability`).

A level without a completed episode scores ``-inf`` (so it is never inserted into a buffer) and
has solve rate NaN.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..engine._pytree import PyTreeNode

SCORE_FUNCTIONS = ("maxmc", "pvl", "learnability")
SFL_TIE_BREAK = 0.001


class EpisodeStats(PyTreeNode):
    """Per-level accumulators, every field ``(B,)``."""

    steps: Int[Array, " b"]  # steps of the unfinished episode so far
    value_sum: Float[Array, " b"]  # sum of V(s_t) over the unfinished episode
    positive_advantage_sum: Float[Array, " b"]  # sum of max(A_t, 0) over the unfinished episode
    episodes: Int[Array, " b"]  # completed episodes
    solved: Int[Array, " b"]  # completed episodes that ended on the goal
    return_sum: Float[Array, " b"]
    return_max: Float[Array, " b"]  # -inf before the first completed episode
    mean_value_sum: Float[Array, " b"]  # sum over completed episodes of their mean V(s_t)
    pvl_sum: Float[Array, " b"]  # sum over completed episodes of their mean max(A_t, 0)


def empty_stats(n: int) -> EpisodeStats:
    """Accumulators for ``n`` levels with nothing seen."""
    f, i = jnp.zeros((n,), jnp.float32), jnp.zeros((n,), jnp.int32)
    return EpisodeStats(steps=i, value_sum=f, positive_advantage_sum=f, episodes=i, solved=i, return_sum=f,
                        return_max=jnp.full((n,), -jnp.inf, jnp.float32), mean_value_sum=f, pvl_sum=f)


def _step(stats: EpisodeStats, row) -> EpisodeStats:
    done, solved, episode_return, value, advantage = row
    steps = stats.steps + 1
    value_sum = stats.value_sum + value
    pos_sum = stats.positive_advantage_sum + jnp.maximum(advantage, 0.0)
    n = steps.astype(jnp.float32)
    d = done.astype(jnp.int32)
    return EpisodeStats(
        steps=jnp.where(done, 0, steps), value_sum=jnp.where(done, 0.0, value_sum),
        positive_advantage_sum=jnp.where(done, 0.0, pos_sum), episodes=stats.episodes + d,
        solved=stats.solved + (done & solved).astype(jnp.int32),
        return_sum=stats.return_sum + jnp.where(done, episode_return, 0.0),
        return_max=jnp.where(done, jnp.maximum(stats.return_max, episode_return), stats.return_max),
        mean_value_sum=stats.mean_value_sum + jnp.where(done, value_sum / n, 0.0),
        pvl_sum=stats.pvl_sum + jnp.where(done, pos_sum / n, 0.0))


def accumulate(stats: EpisodeStats, done: Bool[Array, "t b"], solved: Bool[Array, "t b"],
               episode_return: Float[Array, "t b"], value: Float[Array, "t b"],
               advantage: Float[Array, "t b"]) -> EpisodeStats:
    """Fold one rollout into ``stats``.  ``done[t]``: step ``t`` ended an episode; ``solved[t]``
    and ``episode_return[t]`` describe that episode (read only where ``done``); ``value[t]`` is
    ``V(s_t)`` and ``advantage[t]`` its GAE advantage."""
    stats, _ = jax.lax.scan(lambda s, row: (_step(s, row), None), stats,
                            (done, solved, episode_return, value, advantage))
    return stats


def solve_rate(stats: EpisodeStats) -> Float[Array, " b"]:
    """Fraction of completed episodes that reached the goal; NaN where none completed."""
    n = stats.episodes.astype(jnp.float32)
    return jnp.where(stats.episodes > 0, stats.solved / jnp.maximum(n, 1.0), jnp.nan)


def learnability(p: Float[Array, "..."]) -> Float[Array, "..."]:
    """``p (1 - p)``: 0 for levels always or never solved, 0.25 at ``p = 0.5``."""
    return p * (1.0 - p)


def sfl_learnability(p: Float[Array, "..."]) -> Float[Array, "..."]:
    """SFL's ranking score: ``p (1 - p) + 0.001 p`` (prefers solvable levels among ties)."""
    return learnability(p) + SFL_TIE_BREAK * p


def max_return(stats: EpisodeStats, previous: Float[Array, " b"]) -> Float[Array, " b"]:
    """The best episode return seen: ``previous`` (-inf if none) and this period's."""
    return jnp.maximum(previous, stats.return_max)


def _per_episode(stats: EpisodeStats, total: Float[Array, " b"]) -> Float[Array, " b"]:
    return jnp.where(stats.episodes > 0, total / jnp.maximum(stats.episodes, 1).astype(jnp.float32), -jnp.inf)


def max_mc(stats: EpisodeStats, previous_max_return: Float[Array, " b"]) -> Float[Array, " b"]:
    """MaxMC regret estimate: mean over completed episodes of ``R_max - mean_t V(s_t)``."""
    mean_value = _per_episode(stats, stats.mean_value_sum)
    return jnp.where(stats.episodes > 0, max_return(stats, previous_max_return) - mean_value, -jnp.inf)


def positive_value_loss(stats: EpisodeStats) -> Float[Array, " b"]:
    """Mean over completed episodes of the time-average of ``max(A_t, 0)``."""
    return _per_episode(stats, stats.pvl_sum)


def score(name: str, stats: EpisodeStats, previous_max_return: Float[Array, " b"]) -> Float[Array, " b"]:
    """The score ``name`` (one of :data:`SCORE_FUNCTIONS`) of every level; ``-inf`` without episodes."""
    if name == "maxmc":
        return max_mc(stats, previous_max_return)
    if name == "pvl":
        return positive_value_loss(stats)
    if name == "learnability":
        return jnp.where(stats.episodes > 0, learnability(solve_rate(stats)), -jnp.inf)
    raise ValueError(f"unknown score function {name!r}; expected one of {', '.join(SCORE_FUNCTIONS)}")
