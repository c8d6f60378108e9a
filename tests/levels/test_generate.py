"""The random level generator: determinism, jit/vmap hygiene, the distribution, the no-op filter."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.engine import StaticSimParams
from impetus.levels import stack
from impetus.levels.generate import check_static
from impetus.levels.noop_filter import keep_unsolved
from impetus.levels.predicates import green_blue_joined, has_control, has_role, is_valid, joint_error

from .generated import (
    NUM_LEVELS,
    STATIC,
    TRACES,
    hand_level,
    leaves_close,
    level_keys,
    many_levels,
    rollout,
    single,
    take,
)

# Kinetix M means over 512 levels (reference 5.6) and the tolerance we allow around them
REFERENCE_M = {"free polygons": (1.92, 0.12), "circles": (2.44, 0.12), "joints": (1.37, 0.15),
               "motors on": (1.11, 0.15), "thrusters": (0.93, 0.12), "fixed shapes": (1.33, 0.15),
               "red shapes": (0.22, 0.1)}


def counts(levels) -> dict[str, np.ndarray]:
    """Per-level counts (numpy, one row per level) of the quantities of REFERENCE_M."""
    S, P = STATIC.num_static_polygons, STATIC.num_polygons
    act, role = np.asarray(levels.shape.active), np.asarray(levels.shape.role)
    ja, jf, jm = (np.asarray(x) for x in (levels.joint.active, levels.joint.is_fixed, levels.joint.motor_on))
    return {"free polygons": act[:, S:P].sum(1), "circles": act[:, P:].sum(1), "joints": ja.sum(1),
            "motors on": (ja & jm & ~jf).sum(1), "thrusters": np.asarray(levels.thruster.active).sum(1),
            "fixed shapes": (np.asarray(levels.shape.fixed) & act)[:, S:].sum(1),
            "red shapes": ((role == 3) & act)[:, 1:].sum(1)}


def test_same_key_same_level_and_batch_element_equals_unbatched():
    keys, levels = level_keys(), many_levels()
    for i in (0, 1234):
        a = single(keys[i])
        assert leaves_close(a, single(keys[i]), atol=0.0)
        assert leaves_close(a, take(levels, i))
    assert not leaves_close(single(keys[0]), single(keys[1]))


def test_jit_traces_once():
    keys = level_keys()
    single(keys[2])
    before = len(TRACES)
    single(keys[3])
    single(keys[4])
    assert len(TRACES) == before <= 1


def test_every_generated_level_is_valid_with_green_blue_and_control():
    levels = many_levels()
    checks = jax.jit(jax.vmap(lambda lv: jnp.stack([is_valid(lv), has_role(lv, 1), has_role(lv, 2), has_control(lv),
                                                    ~green_blue_joined(lv), joint_error(lv) < 1e-4])))(levels)
    assert np.asarray(checks).all(axis=0).tolist() == [True] * 6


def test_distribution_matches_kinetix_m():
    c = counts(many_levels())
    for name, (want, tol) in REFERENCE_M.items():
        mean = c[name].mean()
        hist = np.bincount(c[name])
        print(f"{name:14s} mean {mean:.2f} (Kinetix {want}) histogram {hist.tolist()}")
        assert abs(mean - want) < tol, name
    floor = np.bincount(np.asarray(many_levels().shape.role[:, 0]), minlength=4) / NUM_LEVELS
    assert np.allclose(floor, [0.9, 0.0, 0.02, 0.08], atol=0.015)


def test_slots_are_used_in_random_order():
    act = np.asarray(many_levels().shape.active)
    S, P = STATIC.num_static_polygons, STATIC.num_polygons
    first = act[:, S:P].mean(0), act[:, P:].mean(0)
    assert np.ptp(first[0]) < 0.05 and np.ptp(first[1]) < 0.05  # no slot preferred


def test_check_static_rejects_capacities_too_small():
    with pytest.raises(ValueError, match="free shape slots"):
        check_static(StaticSimParams(num_polygons=5, num_circles=1, num_joints=1, num_thrusters=1))
    with pytest.raises(ValueError, match="joint or thruster"):
        check_static(StaticSimParams(num_polygons=6, num_circles=3, num_joints=0, num_thrusters=0))


def test_noop_rollout_filter_and_engine_stability():
    """Green resting on blue is solved by doing nothing; green beside blue is not; generated
    levels step 50 times without a non-finite state."""
    generated = take(many_levels(), jnp.arange(62))
    hand = stack([hand_level(True), hand_level(False)])
    levels = jax.tree_util.tree_map(lambda a, b: jnp.concatenate([a, b]), hand, generated)
    solved, nonfinite = rollout()(levels)
    assert bool(solved[0]) and not bool(solved[1])
    assert not np.asarray(nonfinite).any()
    kept, kept_solved = keep_unsolved(levels, solved, 40)
    assert not np.asarray(kept_solved).any()
    assert not leaves_close(take(kept, 0), hand_level(True))
    assert leaves_close(take(kept, 0), hand_level(False))


def test_generated_levels_pass_file_validation_and_round_trip(tmp_path):
    """Saved and loaded back, a level keeps its shapes and its joint and thruster counts (the file
    lists joints and thrusters compactly, so their slots may change) and stays valid."""
    from impetus.levels import load_level, save_level

    levels = jax.device_get(many_levels())
    valid = jax.jit(is_valid)
    for i in (0, 1, 2):
        level = take(levels, i)
        save_level(level, tmp_path / f"{i}.json")
        back = load_level(tmp_path / f"{i}.json")
        assert leaves_close(back.shape, level.shape)
        assert int(back.joint.active.sum()) == int(level.joint.active.sum())
        assert int(back.thruster.active.sum()) == int(level.thruster.active.sum())
        assert bool(valid(back))
