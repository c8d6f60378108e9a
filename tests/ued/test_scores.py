"""Level scores from rollout statistics (worked numbers) and level complexity."""

import jax.numpy as jnp
import numpy as np

from impetus.levels.library import load_library_level
from impetus.ued import (
    accumulate,
    complexity,
    empty_stats,
    learnability,
    max_mc,
    positive_value_loss,
    score,
    sfl_learnability,
    solve_rate,
    summary,
)

# Two levels, six steps.  Level 0: an episode of 3 steps solved with return 1.0 (values 1, 2, 3;
# advantages 1, -1, 2), then one of 3 steps not solved with return -0.5 (values 0, 0, 3;
# advantages all -1).  Level 1: one unfinished episode.
DONE = np.array([[0, 0], [0, 0], [1, 0], [0, 0], [0, 0], [1, 0]], bool)
SOLVED = np.array([[0, 0], [0, 0], [1, 0], [0, 0], [0, 0], [0, 0]], bool)
RETURN = np.array([[0, 0], [0, 0], [1.0, 0], [0, 0], [0, 0], [-0.5, 0]], np.float32)
VALUE = np.array([[1, 5], [2, 5], [3, 5], [0, 5], [0, 5], [3, 5]], np.float32)
ADVANTAGE = np.array([[1, 1], [-1, 1], [2, 1], [-1, 1], [-1, 1], [-1, 1]], np.float32)


def rollout_stats(split: int | None = None):
    arrays = (DONE, SOLVED, RETURN, VALUE, ADVANTAGE)
    if split is None:
        return accumulate(empty_stats(2), *arrays)
    first = accumulate(empty_stats(2), *(a[:split] for a in arrays))
    return accumulate(first, *(a[split:] for a in arrays))


def test_scores_worked_example():
    stats = rollout_stats()
    np.testing.assert_array_equal(stats.episodes, [2, 0])
    np.testing.assert_array_equal(stats.solved, [1, 0])
    p = solve_rate(stats)
    assert float(p[0]) == 0.5 and np.isnan(float(p[1]))
    assert float(learnability(p)[0]) == 0.25
    assert abs(float(sfl_learnability(p)[0]) - 0.2505) < 1e-7
    # MaxMC: R_max = 1.0; mean values 2 and 1 -> 1.0 - 1.5
    np.testing.assert_allclose(max_mc(stats, jnp.array([-jnp.inf, -jnp.inf])), [-0.5, -np.inf])
    # a better return seen before raises R_max
    np.testing.assert_allclose(max_mc(stats, jnp.array([2.0, 2.0])), [0.5, -np.inf])
    # PVL: (1 + 0 + 2) / 3 = 1 and 0 -> 0.5
    np.testing.assert_allclose(positive_value_loss(stats), [0.5, -np.inf])
    np.testing.assert_allclose(score("learnability", stats, jnp.zeros(2)), [0.25, -np.inf])
    np.testing.assert_allclose(score("pvl", stats, jnp.zeros(2)), [0.5, -np.inf])


def test_stats_carry_unfinished_episodes_across_rollouts():
    whole = rollout_stats()
    for split in (1, 2, 4):
        parts = rollout_stats(split)
        for name in ("episodes", "solved", "return_sum", "return_max", "mean_value_sum", "pvl_sum", "steps",
                     "value_sum"):
            np.testing.assert_allclose(getattr(parts, name), getattr(whole, name), rtol=1e-6, err_msg=name)
    # level 1's unfinished episode is carried: 6 steps of value 5
    assert int(whole.steps[1]) == 6 and float(whole.value_sum[1]) == 30.0


def test_complexity_and_summary():
    level = load_library_level("s/motor_wheel")  # green bar on a motorised wheel, blue ball
    counts = {k: float(v) for k, v in complexity(level).items()}
    assert counts == {"shapes": 3.0, "polygons": 1.0, "circles": 2.0, "joints": 1.0, "revolute_joints": 1.0,
                      "fixed_joints": 0.0, "thrusters": 0.0}
    thrust = complexity(load_library_level("s/thrust_right"))
    assert float(thrust["thrusters"]) == 1.0 and float(thrust["joints"]) == 0.0
    s = summary(jnp.array([1.0, 4.0, -jnp.inf, 2.0, 100.0]), jnp.array([True, True, True, True, False]))
    np.testing.assert_allclose([float(s[k]) for k in ("mean", "min", "max", "median")], [7 / 3, 1.0, 4.0, 2.0],
                               rtol=1e-6)
    assert all(np.isnan(float(v)) for v in summary(jnp.zeros(3), jnp.zeros(3, bool)).values())
