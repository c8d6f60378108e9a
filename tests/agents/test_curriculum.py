"""Curricula end to end on a tiny config: DR, PLR (robust too), ACCEL, SFL; resume; logging; CLI.

Every curriculum shares the jitted period program (the persistent compile cache serves it after
the first), so each adds only its own ``init`` / ``advance`` compile.
"""

import functools
import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.agents import checkpoint
from impetus.agents.config import resolve
from impetus.agents.curriculum import MUTATE, NEW, REPLAY
from impetus.agents.train import make_train
from impetus.cli.main import main
from impetus.env.wrappers import inner_env_state
from impetus.levels import load_level
from impetus.ued import take

# 8 envs x 16 steps, levels change every 2 updates (32 steps: two or more 16-step episodes per level)
BASE = ["train_levels=random", "num_envs=8", "num_steps=16", "level_period=2", "log_every=4", "filter_levels=false",
        "max_timesteps=16", "buffer_size=16", "num_edits=2", "score_batch_size=32", "score_num_batches=1",
        "score_steps=64", "num_to_save=8", "buffer_update_every=4", "eval_every=0"]
CALLS = 4  # update_step calls per curriculum: 16 updates, 8 periods


def config(name: str, *extra: str):
    return resolve("tiny", [*BASE, f"curriculum={name}", *extra])


@functools.cache
def trained(name: str, *extra: str):
    """(train, states after 0..CALLS calls, metrics of each call) for one curriculum."""
    train = make_train(config(name, *extra))
    states, metrics = [train.init(jax.random.key(0))], []
    for _ in range(CALLS):
        state, m = train.update_step(states[-1])
        states.append(state)
        metrics.append({k: np.asarray(v) for k, v in m.items()})
    return train, states, metrics


def per_period(metrics, key: str) -> np.ndarray:
    """One value per period (metrics of the advance are repeated over the period's 2 updates)."""
    return np.concatenate([m[key] for m in metrics])[::2]


def assert_envs_play_chosen_levels(state):
    level = inner_env_state(state.env_state.env_state).level
    for a, b in zip(jax.tree_util.tree_leaves(level), jax.tree_util.tree_leaves(state.curriculum.levels), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ["dr", "plr", "accel", "sfl"])
def test_each_curriculum_trains_end_to_end(name):
    _, states, metrics = trained(name)
    assert int(states[-1].update) == 4 * CALLS
    assert np.isfinite(np.concatenate([m["loss/total"] for m in metrics])).all()
    assert not np.array_equal(jax.tree_util.tree_leaves(states[0].params)[0],
                              jax.tree_util.tree_leaves(states[-1].params)[0])
    for state in states:
        assert_envs_play_chosen_levels(state)
    assert np.all(per_period(metrics, "curriculum/level_shapes") >= 3)  # green, blue and a control part
    if name == "dr":
        assert states[-1].curriculum.buffer is None
        assert np.all(per_period(metrics, "curriculum/branch_new") == 1)
    else:
        assert int(states[-1].curriculum.buffer.size) > 0


def test_plr_replays_buffer_levels_and_rescores_them():
    _, states, metrics = trained("plr")
    replay = per_period(metrics, "curriculum/branch_replay")
    assert 0 < replay.sum() < len(replay), replay  # replay_prob 0.5 once half full
    for state in states:
        cur = state.curriculum
        if int(cur.branch) == REPLAY:
            assert np.all(np.asarray(cur.slot) >= 0)
            drawn = take(cur.buffer.levels, cur.slot)
            np.testing.assert_array_equal(drawn.shape.position, cur.levels.shape.position)
        else:
            assert int(cur.branch) == NEW and np.all(np.asarray(cur.slot) == -1)
    buf = states[-1].curriculum.buffer
    valid = np.asarray(buf.valid)
    assert int(buf.size) == 16 and np.isfinite(np.asarray(buf.scores)[valid]).all()


def test_accel_mutates_the_levels_it_replayed():
    train, states, metrics = trained("accel")
    replay = per_period(metrics, "curriculum/branch_replay")
    mutate = per_period(metrics, "curriculum/branch_mutate")
    assert replay.sum() > 0, replay
    assert np.array_equal(mutate[1:] == 1, replay[:-1] == 1)  # a mutate period follows every replay period
    # the period after a replay period plays edited copies of the replayed levels
    state = states[-1]
    replayed = state.curriculum.levels
    after, _ = train.update_step(state.replace(curriculum=state.curriculum.replace(branch=jnp.int32(REPLAY))), 2)
    assert int(after.curriculum.branch) == MUTATE and np.all(np.asarray(after.curriculum.slot) == -1)
    edited = np.zeros(8, bool)
    for a, b in zip(jax.tree_util.tree_leaves(after.curriculum.levels), jax.tree_util.tree_leaves(replayed),
                    strict=True):
        edited |= np.any(np.asarray(a != b).reshape(8, -1), axis=1)
    assert edited.sum() >= 6, edited  # 2 edits each; an edit that breaks validity is dropped


def test_sfl_buffer_is_more_learnable_than_fresh_levels():
    _, states, metrics = trained("sfl")
    first = states[0].curriculum  # the buffer built before the first update (initial policy)
    valid = np.asarray(first.buffer.valid)
    assert int(first.buffer.size) == 8
    assert np.mean(np.asarray(first.buffer.scores)[valid]) > float(first.fresh_score) > 0
    buffer_score = per_period(metrics, "curriculum/buffer_score_mean")
    fresh_score = per_period(metrics, "curriculum/sfl_fresh_learnability")
    assert np.all(buffer_score >= fresh_score), (buffer_score, fresh_score)
    # measured again while training (new rollouts, a changing policy), buffer levels are solved more often
    on_buffer = per_period(metrics, "curriculum/period_solve_rate_buffer")
    on_fresh = per_period(metrics, "curriculum/period_solve_rate_fresh")
    assert np.mean(on_buffer) > np.mean(on_fresh) + 0.1, (on_buffer, on_fresh)
    assert np.all(per_period(metrics, "curriculum/branch_replay") == 1)
    assert np.sum(np.asarray(states[-1].curriculum.slot) >= 0) == 4  # sampled_envs_ratio 0.5 of 8 envs


def test_robust_plr_learns_only_on_replayed_levels():
    # plr.robust=true sets train_on_new=False at init; it is data, so PLR's compiled programs serve it
    assert make_train(config("plr", "plr.robust=true")).curriculum.config.plr.robust
    train, states, _ = trained("plr")
    first = states[0].curriculum  # a new period: robust PLR would not learn on it
    state = states[0].replace(curriculum=first.replace(train_on_new=jnp.array(False), learn=jnp.array(False)))
    learn, replay = [], []
    for _ in range(3):
        before = state
        state, m = train.update_step(state)
        learn += list(np.asarray(m["curriculum/learn"])[::2])
        replay += list(np.asarray(m["curriculum/branch_replay"])[::2])
        if not np.any(np.asarray(m["curriculum/learn"])):  # no replay period in this call: nothing learned
            for a, b in zip(jax.tree_util.tree_leaves(before.params), jax.tree_util.tree_leaves(state.params),
                            strict=True):
                np.testing.assert_array_equal(a, b)
            assert np.isnan(np.asarray(m["loss/total"])).all()
    np.testing.assert_array_equal(learn, replay)
    assert learn[0] == 0 and 0 < sum(learn) < len(learn), learn


def test_resume_with_a_curriculum_is_bitwise(tmp_path):
    train, states, _ = trained("plr")
    checkpoint.save(tmp_path / "ckpt", states[2], train.config)
    tensors, _ = checkpoint.read(tmp_path / "ckpt")
    assert any(k.startswith("curriculum/buffer/") for k in tensors)
    resumed = checkpoint.restore(train.init(jax.random.key(7)), tensors)
    resumed, _ = train.update_step(resumed)
    for a, b in zip(jax.tree_util.tree_leaves(states[3]), jax.tree_util.tree_leaves(resumed), strict=True):
        if jax.dtypes.issubdtype(a.dtype, jax.dtypes.prng_key):
            a, b = jax.random.key_data(a), jax.random.key_data(b)
        np.testing.assert_array_equal(a, b)


def test_cli_train_logs_curriculum_statistics_and_top_levels(tmp_path):
    args = [*BASE, "curriculum=plr", "total_timesteps=2048", "checkpoint_every=8", f"run_dir={tmp_path}", "name=plr"]
    assert main(["train", "--no-cache", "--preset", "tiny", *args]) == 0  # --no-cache: keep the test cache
    run = tmp_path / "plr"
    lines = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    assert [x["update"] for x in lines] == [4, 8, 12, 16]
    assert lines[-1]["curriculum/buffer_size"] == 16 and lines[-1]["curriculum/buffer_score_max"] is not None
    index = json.loads((run / "curriculum" / "top_levels" / "index.json").read_text())
    assert len(index) == 8
    scores = [row["score"] for row in index]
    assert scores == sorted(scores, reverse=True)
    level = load_level(run / "curriculum" / "top_levels" / index[0]["file"])
    assert int(np.sum(np.asarray(level.shape.active))) == 4 + index[0]["shapes"]
    events = list((run / "tb").iterdir())
    assert events and sum(p.stat().st_size for p in events) > 10_000  # scalars, histograms and two pictures


class RecordingLogger:
    """Stands in for ``RunLogger``: keeps what ``log_curriculum`` logs."""

    def __init__(self):
        self.histograms, self.images = {}, {}

    def histogram(self, name, values, step):
        self.histograms[name] = np.asarray(values)

    def image(self, name, image, step):
        self.images[name] = np.asarray(image)


def test_log_curriculum_writes_complexity_histograms_pictures_and_top_levels(tmp_path):
    from impetus.agents.curriculum_log import TOP_K, log_curriculum
    from impetus.ued import complexity

    train, states, _ = trained("sfl")
    cur = states[-1].curriculum
    logger = RecordingLogger()
    log_curriculum(train.curriculum, cur, logger, tmp_path, step=0)
    size = int(cur.buffer.size)
    counts = complexity(take(cur.buffer.levels, np.arange(size)))
    for name in ("shapes", "joints", "thrusters"):  # joint and thruster counts vary at S size, shapes do not
        np.testing.assert_array_equal(logger.histograms[f"curriculum/buffer_{name}"], np.asarray(counts[name]))
    np.testing.assert_array_equal(logger.histograms["curriculum/buffer_scores"], np.asarray(cur.buffer.scores)[:size])
    assert set(logger.images) == {"curriculum/top_levels", "curriculum/current_levels"}
    top = logger.images["curriculum/top_levels"]
    assert top.dtype == np.uint8 and top.ndim == 3 and top.std() > 0  # a drawn picture, not a blank
    index = json.loads((tmp_path / "curriculum" / "top_levels" / "index.json").read_text())
    assert len(index) == min(TOP_K, size)
    assert [row["score"] for row in index] == sorted((row["score"] for row in index), reverse=True)
