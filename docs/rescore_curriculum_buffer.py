"""Learnability measured again: ``python docs/rescore_curriculum_buffer.py RUN...`` (``docs/curricula.md``).

Rolls each run's latest policy (stochastic) out for ``STEPS`` env steps per level, each level
auto-replayed (about 12-24 episodes on S levels), on (a) the curriculum buffer of its latest
checkpoint, if it has one, and (b) ``N_FRESH`` fresh no-op-filtered random levels (the same levels
for every run of one size).  Prints one JSON line per run: mean ``p(1-p)``, mean ``p`` and the
share of levels with ``0 < p < 1``, and the buffer's stored scores for comparison.
"""
import json
import sys

import jax
import jax.numpy as jnp
import numpy as np

from impetus.agents import checkpoint
from impetus.agents.sfl import make_level_scorer
from impetus.agents.train import make_train
from impetus.ued import take

STEPS, N_FRESH = 2048, 256


def stats(episodes, solved):
    episodes, solved = np.asarray(episodes), np.asarray(solved)
    ok = episodes > 0
    p = solved[ok] / episodes[ok]
    return {"n": int(ok.sum()), "episodes_mean": float(episodes.mean()), "learnability": float(np.mean(p * (1 - p))),
            "p": float(p.mean()), "frac_0<p<1": float(np.mean((p > 0) & (p < 1)))}


for run in sys.argv[1:]:
    tensors, meta = checkpoint.read(run)
    config = checkpoint.config_of(meta, run)
    train = make_train(config)
    state = checkpoint.restore(train.init(jax.random.key(config.run.seed)), tensors, run)
    scorer = jax.jit(make_level_scorer(train.env, train.network.apply, train.dist, STEPS))
    key = jax.random.key(1234)
    out = {"run": run, "update": int(state.update)}
    fresh = train.curriculum.fresh_levels(jax.random.fold_in(key, 1), N_FRESH)
    out["fresh"] = stats(*scorer(state.params, fresh, jax.random.fold_in(key, 2)))
    buf = state.curriculum.buffer
    if buf is not None and int(buf.size) > 0:
        levels = take(buf.levels, jnp.arange(int(buf.size)))
        out["buffer"] = stats(*scorer(state.params, levels, jax.random.fold_in(key, 3)))
        out["buffer_stored_score_mean"] = float(np.mean(np.asarray(buf.scores)[: int(buf.size)]))
    print(json.dumps(out))
