"""Unsupervised environment design: the level buffer, its sampler, level scores, statistics.

Pure JAX and stateless (jaxued's ``level_sampler`` style): the buffer is a pytree and every
operation returns a new one, so it lives inside the jitted training loop.  The training glue
(which levels the envs play, when levels are scored) is ``impetus.agents.curriculum``.

Public surface::

    LevelSampler, LevelBuffer                 # rank / top-k prioritisation, temperature, staleness,
                                              # replay decision, insert (replace lowest), update
    fill, sample_uniform, top, take           # SFL buffer: keep the top levels; uniform draws
    EpisodeStats, empty_stats, accumulate     # per-level rollout statistics over a period
    score, max_mc, positive_value_loss,       # MaxMC, PVL (from GAE), learnability p(1-p)
    learnability, sfl_learnability, solve_rate, SCORE_FUNCTIONS
    complexity, summary                       # shape / joint / thruster counts; masked summaries

Modules: ``buffer``, ``scores``, ``stats``.
"""

from .buffer import PRIORITIZATIONS, LevelBuffer, LevelSampler, fill, sample_uniform, take, top
from .scores import (
    SCORE_FUNCTIONS,
    EpisodeStats,
    accumulate,
    empty_stats,
    learnability,
    max_mc,
    max_return,
    positive_value_loss,
    score,
    sfl_learnability,
    solve_rate,
)
from .stats import COMPLEXITY, complexity, summary

__all__ = ["COMPLEXITY", "PRIORITIZATIONS", "SCORE_FUNCTIONS", "EpisodeStats", "LevelBuffer", "LevelSampler",
           "accumulate", "complexity", "empty_stats", "fill", "learnability", "max_mc", "max_return",
           "positive_value_loss", "sample_uniform", "score", "sfl_learnability", "solve_rate", "summary", "take",
           "top"]
