"""ACCEL mutators: every mutation keeps levels valid and changes what it should."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.levels import GREEN, NEUTRAL
from impetus.levels.mutate import NAMES, MutationWeights, applicable
from impetus.levels.predicates import green_blue_joined, is_valid, joint_error

from .generated import batch_mutator, many_levels, take

BATCH = 256
MIN_CHANGED = {  # fraction of levels each mutation must change (limited by free slots, validity)
    "add_shape": 0.3, "add_connected_shape": 0.2, "remove_joint": 0.5, "remove_shape": 0.3, "swap_role": 0.6,
    "add_thruster": 0.6, "remove_thruster": 0.4, "toggle_fixed": 0.8, "change_size": 0.95,
    "change_location": 0.95, "change_rotation": 0.95, "change_gravity": 0.95,
}


@pytest.fixture(scope="module")
def levels():
    return take(many_levels(), jnp.arange(BATCH))


def only(name: str) -> MutationWeights:
    return MutationWeights(**{n: float(n == name) for n in NAMES})


def mutate(levels, weights, edits=1, seed=0):
    keys = jax.random.split(jax.random.key(seed), BATCH)
    return batch_mutator()(keys, levels, jnp.int32(edits), weights)


_checks = jax.jit(jax.vmap(lambda lv: jnp.stack([is_valid(lv), ~green_blue_joined(lv), joint_error(lv) < 2e-3])))


def changed(a, b) -> np.ndarray:
    """(B,) whether anything differs between two batches of levels."""
    rows = [np.asarray(x != y).reshape(x.shape[0], -1).any(1) for x, y in
            zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True)]
    return np.any(rows, axis=0)


def active_count(tree) -> np.ndarray:
    return np.asarray(tree.active).sum(1)


@pytest.mark.parametrize("name", NAMES)
def test_mutation_keeps_validity_and_changes_the_level(levels, name):
    out = mutate(levels, only(name))
    assert np.asarray(_checks(out)).all()
    diff = changed(out, levels)
    assert diff.mean() >= MIN_CHANGED[name], diff.mean()
    d_shapes = active_count(out.shape) - active_count(levels.shape)
    d_joints = active_count(out.joint) - active_count(levels.joint)
    d_thrusters = active_count(out.thruster) - active_count(levels.thruster)
    expected = {"add_shape": (1, 0, 0), "add_connected_shape": (1, 1, 0), "remove_joint": (0, -1, 0),
                "add_thruster": (0, 0, 1), "remove_thruster": (0, 0, -1)}.get(name, (0, 0, 0))
    if name == "remove_shape":  # the shape goes with its joints and thrusters
        assert (d_shapes[diff] == -1).all() and (d_joints <= 0).all() and (d_thrusters <= 0).all()
    else:
        assert (d_shapes[diff] == expected[0]).all() and (d_joints[diff] == expected[1]).all()
        assert (d_thrusters[diff] == expected[2]).all()
        assert (d_shapes[~diff] == 0).all()


def test_swap_role_keeps_the_multiset_of_roles(levels):
    out = mutate(levels, only("swap_role"))
    for a, b in ((out, levels),):
        ra = np.sort(np.where(np.asarray(a.shape.active), np.asarray(a.shape.role), -1), axis=1)
        rb = np.sort(np.where(np.asarray(b.shape.active), np.asarray(b.shape.role), -1), axis=1)
        assert (ra == rb).all()


def test_toggle_fixed_flips_one_shape(levels):
    out = mutate(levels, only("toggle_fixed"))
    flips = (np.asarray(out.shape.fixed) != np.asarray(levels.shape.fixed)).sum(1)
    assert set(flips.tolist()) <= {0, 1} and flips.mean() > 0.8


def test_moves_keep_jointed_shapes_together(levels):
    jointed = np.asarray(levels.joint.active).any(1)
    assert jointed.mean() > 0.5
    for name in ("change_size", "change_rotation", "change_location"):
        out = mutate(levels, only(name), seed=3)
        assert float(jnp.max(jax.vmap(joint_error)(out))) < 2e-3, name


def test_mutate_level_with_kinetix_weights(levels):
    out = mutate(levels, MutationWeights(), edits=5, seed=1)
    assert np.asarray(_checks(out)).all()
    assert changed(out, levels).mean() > 0.95
    assert not changed(mutate(levels, MutationWeights(), edits=0), levels).any()


def test_zero_weights_and_inapplicable_mutations_do_nothing(levels):
    green = take(levels, 0)
    roles = jnp.where(green.shape.active, green.shape.role, NEUTRAL)
    assert int(jnp.sum(roles == GREEN)) == 1
    full = jax.vmap(applicable)(levels)
    assert np.asarray(full)[:, NAMES.index("change_gravity")].all()
    out = mutate(levels, MutationWeights(**{n: 0.0 for n in NAMES}) .replace(remove_joint=1.0), seed=2)
    no_joint = ~np.asarray(levels.joint.active).any(1)
    assert not changed(take(out, np.nonzero(no_joint)[0]), take(levels, np.nonzero(no_joint)[0])).any()


def _broken_variants(level):
    """(name, level) pairs, each breaking one rule of ``is_valid``."""
    s, j, t = level.shape, level.joint, level.thruster
    P = level.static.num_polygons
    green = int(np.nonzero(np.asarray(s.active & (s.role == GREEN)))[0][0])
    ja, tb = int(np.nonzero(np.asarray(j.active))[0][0]), int(np.nonzero(np.asarray(t.active))[0][0])
    poly = int(np.nonzero(np.asarray(s.active[:P]))[0][-1])
    bowtie = level.polygon_vertices.at[poly, :4].set(jnp.array([[-0.2, -0.2], [0.2, 0.2], [0.2, -0.2], [-0.2, 0.2]]))
    return [
        ("no green", level.replace(shape=s.replace(role=jnp.where(s.role == GREEN, NEUTRAL, s.role)))),
        ("no control", level.replace(joint=j.replace(motor_on=j.motor_on & False),
                                     thruster=t.replace(active=t.active & False))),
        ("crossed polygon", level.replace(polygon_vertices=bowtie)),
        ("clockwise polygon", level.replace(polygon_vertices=level.polygon_vertices.at[poly].set(
            level.polygon_vertices[poly, ::-1]))),
        ("joint to inactive", level.replace(shape=s.replace(active=s.active.at[j.body_b[ja]].set(False)))),
        ("thruster on inactive", level.replace(shape=s.replace(active=s.active.at[t.body[tb]].set(False)))),
        ("index out of range", level.replace(joint=j.replace(body_a=j.body_a.at[ja].set(99)))),
        ("nan", level.replace(shape=s.replace(rotation=s.rotation.at[green].set(jnp.nan)))),
        ("outside the world", level.replace(shape=s.replace(position=s.position.at[green].set(jnp.array([6.0, 2.0]))))),
        ("zero radius", level.replace(circle_radius=level.circle_radius * 0.0)),
    ]


def test_is_valid_rejects_each_broken_rule(levels):
    act = np.asarray(levels.shape.active)
    P = levels.static.num_polygons
    ok = (np.asarray(levels.joint.active).any(1) & np.asarray(levels.thruster.active).any(1) & act[:, P:].any(1)
          & act[:, 4:P].any(1))
    level = take(levels, int(np.nonzero(ok)[0][0]))
    cases = _broken_variants(level)
    verdicts = jax.vmap(is_valid)(jax.tree_util.tree_map(lambda *xs: jnp.stack(xs), level, *[c for _, c in cases]))
    assert bool(verdicts[0])
    assert [name for (name, _), v in zip(cases, np.asarray(verdicts[1:]), strict=True) if v] == []
