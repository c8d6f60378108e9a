"""Level sampler: prioritisation, staleness, insertion, replay, SFL helpers (worked numbers)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.engine.scenes import static_for_size
from impetus.levels import empty_level
from impetus.ued import LevelSampler, fill, sample_uniform, take, top

TEMPLATE = empty_level(static_for_size("s"))


def tagged(tags) -> object:
    """A batch of levels told apart by their episode length (``max_timesteps`` = tag)."""
    tags = jnp.asarray(tags, jnp.int32)
    levels = jax.tree_util.tree_map(lambda x: jnp.broadcast_to(x, (tags.shape[0], *jnp.shape(x))), TEMPLATE)
    return levels.replace(max_timesteps=tags)


def filled(sampler: LevelSampler, scores, timestamps=None, episode_count=None):
    """A buffer holding levels tagged 0, 1, ... with ``scores`` (inserted in order)."""
    n = len(scores)
    buf = sampler.initialize(TEMPLATE)
    buf, slots = sampler.insert_batch(buf, tagged(range(n)), jnp.asarray(scores, jnp.float32),
                                      jnp.full((n,), 0.5), jnp.zeros((n,)))
    assert np.array_equal(np.asarray(slots), np.arange(n))
    if timestamps is not None:
        buf = buf.replace(timestamps=buf.timestamps.at[:n].set(jnp.asarray(timestamps, jnp.int32)),
                          episode_count=jnp.asarray(episode_count, jnp.int32))
    return buf


def test_rank_prioritisation_with_temperature():
    # scores 1, 3, 2 in a buffer of 4: ranks 3, 1, 2, weights (1/rank)^(1/T), the empty slot 0
    buf = filled(LevelSampler(4, staleness_coeff=0.0), [1.0, 3.0, 2.0])
    w = LevelSampler(4, staleness_coeff=0.0).score_weights(buf)
    np.testing.assert_allclose(w, np.array([2, 6, 3, 0]) / 11, rtol=1e-6)
    w2 = LevelSampler(4, temperature=2.0).score_weights(buf)
    raw = np.array([3 ** -0.5, 1.0, 2 ** -0.5, 0.0])
    np.testing.assert_allclose(w2, raw / raw.sum(), rtol=1e-6)
    # a low temperature concentrates on the best level
    assert float(LevelSampler(4, temperature=0.1).score_weights(buf)[1]) > 0.99


def test_topk_prioritisation():
    buf = filled(LevelSampler(4), [1.0, 3.0, 2.0])
    np.testing.assert_allclose(LevelSampler(4, prioritization="topk", topk_k=2).score_weights(buf), [0, 0.5, 0.5, 0])


def test_staleness_weights_and_mix():
    sampler = LevelSampler(4, staleness_coeff=0.3)
    buf = filled(sampler, [1.0, 3.0, 2.0], timestamps=[4, 9, 10], episode_count=10)
    np.testing.assert_allclose(sampler.staleness_weights(buf), [6 / 7, 1 / 7, 0, 0], rtol=1e-6)
    expected = 0.7 * np.array([2, 6, 3, 0]) / 11 + 0.3 * np.array([6, 1, 0, 0]) / 7
    np.testing.assert_allclose(sampler.level_weights(buf), expected, rtol=1e-6)
    assert abs(float(jnp.sum(sampler.level_weights(buf))) - 1.0) < 1e-6
    # nothing stale: uniform over the filled slots
    fresh = buf.replace(timestamps=jnp.full((4,), 10, jnp.int32))
    np.testing.assert_allclose(sampler.staleness_weights(fresh), [1 / 3, 1 / 3, 1 / 3, 0], rtol=1e-6)


def test_insert_fills_then_replaces_the_lowest_score():
    sampler = LevelSampler(3)
    buf = filled(sampler, [1.0, 3.0, 2.0])
    assert int(buf.size) == 3 and int(buf.episode_count) == 3
    np.testing.assert_array_equal(buf.timestamps, [1, 2, 3])
    buf, slot = sampler.insert(buf, take(tagged([7]), 0), jnp.float32(1.5), 0.25, 4.0)
    assert int(slot) == 0  # replaced score 1.0
    np.testing.assert_array_equal(buf.scores, [1.5, 3.0, 2.0])
    assert int(buf.levels.max_timesteps[0]) == 7 and float(buf.solve_rate[0]) == 0.25
    assert float(buf.max_return[0]) == 4.0 and int(buf.timestamps[0]) == 4 and int(buf.episode_count) == 4
    before = buf
    buf, slot = sampler.insert(buf, take(tagged([8]), 0), jnp.float32(0.5))  # lower than every score: rejected
    assert int(slot) == -1
    for a, b in zip(jax.tree_util.tree_leaves(before), jax.tree_util.tree_leaves(buf), strict=True):
        np.testing.assert_array_equal(a, b)
    # nothing measured (-inf) or NaN is never inserted, even into free slots
    empty = sampler.initialize(TEMPLATE)
    empty, slots = sampler.insert_batch(empty, tagged([1, 2]), jnp.array([-jnp.inf, jnp.nan]), jnp.zeros(2),
                                        jnp.zeros(2))
    assert int(empty.size) == 0 and np.array_equal(np.asarray(slots), [-1, -1])


def test_replay_sampling_follows_weights_and_stamps_levels():
    sampler = LevelSampler(4, staleness_coeff=0.3)
    buf = filled(sampler, [1.0, 3.0, 2.0], timestamps=[4, 9, 10], episode_count=10)
    weights = np.asarray(sampler.level_weights(buf))
    new, slots, levels = sampler.sample_replay_levels(buf, jax.random.key(0), 20000)
    freq = np.bincount(np.asarray(slots), minlength=4) / 20000
    np.testing.assert_allclose(freq, weights, atol=0.015)
    assert freq[3] == 0  # the empty slot is never drawn
    np.testing.assert_array_equal(levels.max_timesteps, slots)  # level i is tagged i
    assert int(new.episode_count) == 10 + 20000
    np.testing.assert_array_equal(new.timestamps[:3], [20010] * 3)


def test_replay_decision_needs_the_minimum_fill():
    sampler = LevelSampler(4, replay_prob=0.7, minimum_fill_ratio=0.75)
    keys = jax.random.split(jax.random.key(1), 4000)
    decide = jax.jit(jax.vmap(sampler.sample_replay_decision, (None, 0)))
    assert not bool(jnp.any(decide(filled(sampler, [1.0, 2.0]), keys)))  # 2/4 < 0.75
    rate = float(jnp.mean(decide(filled(sampler, [1.0, 2.0, 3.0]), keys)))
    assert abs(rate - 0.7) < 0.03
    assert not bool(jnp.any(decide(sampler.initialize(TEMPLATE), keys)))  # empty never replays


def test_update_batch_rescores_replayed_levels():
    sampler = LevelSampler(4)
    buf = sampler.update_batch(filled(sampler, [1.0, 3.0, 2.0]), jnp.array([2, 0]), jnp.array([9.0, 8.0]),
                               jnp.array([1.0, 0.0]), jnp.array([5.0, 6.0]))
    np.testing.assert_array_equal(buf.scores[:3], [8.0, 3.0, 9.0])
    np.testing.assert_array_equal(buf.solve_rate[:3], [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(buf.max_return[:3], [6.0, 0.0, 5.0])
    np.testing.assert_array_equal(sampler.score_weights(buf)[:3] > 0, [True, True, True])
    assert int(top(buf, 1)[0]) == 2


def test_sfl_fill_top_and_uniform_draws():
    buf = LevelSampler(5).initialize(TEMPLATE)
    buf = fill(buf, tagged([10, 11, 12]), jnp.array([0.1, 0.25, 0.2]), jnp.array([0.9, 0.5, 0.3]))
    assert int(buf.size) == 3 and np.array_equal(np.asarray(buf.valid), [True, True, True, False, False])
    np.testing.assert_array_equal(top(buf, 3), [1, 2, 0])
    draws = np.asarray(sample_uniform(buf, jax.random.key(2), 3000))
    assert set(np.unique(draws)) == {0, 1, 2}
    assert np.all(np.abs(np.bincount(draws) / 3000 - 1 / 3) < 0.04)
    np.testing.assert_array_equal(take(buf.levels, jnp.array([2, 0])).max_timesteps, [12, 10])
    with pytest.raises(ValueError, match="do not fit"):
        fill(buf, tagged(range(6)), jnp.zeros(6), jnp.zeros(6))


@pytest.mark.parametrize("kwargs, message", [
    ({"capacity": 0}, "capacity"), ({"capacity": 4, "replay_prob": 1.5}, "replay_prob"),
    ({"capacity": 4, "prioritization": "best"}, "prioritization"), ({"capacity": 4, "temperature": 0.0}, "temperature"),
])
def test_bad_sampler_settings_are_one_line_errors(kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        LevelSampler(**kwargs)
    assert "\n" not in str(err.value)
