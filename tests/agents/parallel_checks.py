"""Data-parallel training checks, run by ``test_parallel.py`` in a fresh process with two host devices.

Prints one JSON object ``{check name: value}``; every value is computed here and judged there.
"""

import os
import sys
import tempfile

os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=2").strip()
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import json

import jax
import numpy as np
from jax.sharding import PartitionSpec

from impetus.agents import parallel
from impetus.agents.config import resolve
from impetus.agents.losses import Batch
from impetus.agents.run import TrainingRun
from impetus.agents.train import Train, make_train


def leaves_equal(a, b) -> bool:
    data = lambda t: [x for x in jax.tree_util.tree_leaves(t) if not jax.dtypes.issubdtype(x.dtype, jax.dtypes.prng_key)]  # noqa: E501, E731
    same = lambda x, y: np.array_equal(x, y, equal_nan=np.issubdtype(x.dtype, np.floating))  # noqa: E731
    return all(same(np.asarray(x), np.asarray(y)) for x, y in zip(data(a), data(b), strict=True))


def random_levels_checks(out: dict) -> None:
    config = resolve("tiny", ["devices=2", "train_levels=random", "num_envs=8"])
    train = make_train(config)
    state = train.init(jax.random.key(0))
    out["obs_leading"] = list(jax.tree_util.tree_leaves(state.obs)[0].shape[:2])
    out["learners_see_different_envs"] = not leaves_equal(
        jax.tree_util.tree_map(lambda x: x[0], state.obs), jax.tree_util.tree_map(lambda x: x[1], state.obs))
    new, metrics = train.update_step(state, 2)
    again, _ = train.update_step(state, 2)
    out["metrics_finite"] = all(bool(np.all(np.isfinite(np.asarray(v)))) for v in metrics.values())
    out["deterministic"] = leaves_equal(new, again)
    out["params_changed"] = not leaves_equal(new.params, state.params)

    def per_learner_params(s):  # the learners' own copies, stacked instead of taken from learner 0
        s, _ = train.learner.updates(parallel._unstack(s), 2)
        return jax.tree_util.tree_map(lambda x: x[None], s.params)

    stacked = jax.jit(train._shard(per_learner_params, in_specs=(parallel.SPECS,),
                                   out_specs=PartitionSpec(parallel.AXIS)))(state)
    out["params_identical_on_learners"] = all(bool(np.array_equal(x[0], x[1]))
                                              for x in jax.tree_util.tree_leaves(stacked))


def gradient_checks(out: dict) -> None:
    """One minibatch step split over two learners equals the step on the whole minibatch."""
    config = resolve("tiny", ["normalize_advantages=false"])
    whole = Train(config)
    learner = Train(config, axis_name=parallel.AXIS)
    state = jax.jit(whole._init)(jax.random.key(1))
    _, _, traj, _ = jax.jit(whole.rollout)(state.params, state.env_state, state.obs,
                                          jax.random.key(2))
    n = 64
    first = lambda x: x.reshape((-1, *x.shape[2:]))[:n]  # noqa: E731
    key = jax.random.key(3)
    batch = Batch(jax.tree_util.tree_map(first, traj.obs), jax.tree_util.tree_map(first, traj.action),
                  first(traj.log_prob), first(traj.value), jax.random.normal(key, (n,)), first(traj.value) + 0.5)
    carry = (state.params, state.opt_state)
    expected, _ = jax.jit(whole._minibatch_step)(carry, batch)
    mesh = parallel.device_mesh(2)
    split = jax.jit(jax.shard_map(lambda b: learner._minibatch_step(carry, b)[0], mesh=mesh,
                                  in_specs=(PartitionSpec(parallel.AXIS),), out_specs=PartitionSpec(),
                                  check_vma=False))
    got = split(batch)
    diffs = [float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
             for a, b in zip(jax.tree_util.tree_leaves(expected[0]), jax.tree_util.tree_leaves(got[0]), strict=True)]
    step = [float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
            for a, b in zip(jax.tree_util.tree_leaves(expected[0]), jax.tree_util.tree_leaves(state.params),
                            strict=True)]
    out["grad_split_max_diff"] = max(diffs)
    out["grad_step_size"] = max(step)
    half = jax.tree_util.tree_map(lambda x: x[: n // 2], batch)
    alone, _ = jax.jit(whole._minibatch_step)(carry, half)
    out["half_batch_diff"] = max(float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
                                 for a, b in zip(jax.tree_util.tree_leaves(alone[0]),
                                                 jax.tree_util.tree_leaves(expected[0]), strict=True))


def curriculum_and_resume_checks(out: dict) -> None:
    root = tempfile.mkdtemp()
    config = resolve("tiny", ["devices=2", "train_levels=random", "curriculum=dr", "num_envs=8", "log_every=4",
                              "level_period=2", "total_timesteps=2048", "eval_every=0", f"run_dir={root}",
                              "name=dp", "checkpoint_every=4"])
    run = TrainingRun(config, f"{root}/dp")
    summary = run.run()
    out["curriculum_run_update"] = summary["update"]
    out["curriculum_levels_leading"] = int(jax.tree_util.tree_leaves(run.state.curriculum.levels)[0].shape[0])
    resumed = TrainingRun.resume(f"{root}/dp")
    out["resume_equal"] = leaves_equal(resumed.state, run.state)


if __name__ == "__main__":
    results: dict = {"devices": jax.device_count()}
    for check in sys.argv[1:] or ["random_levels", "gradient", "curriculum_and_resume"]:
        globals()[f"{check}_checks"](results)
    print(json.dumps(results))
