"""ACCEL mutators: every mutation keeps levels valid and changes what it should."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.levels import GREEN, NEUTRAL
from impetus.levels.mutate import NAMES, MutationWeights
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


def test_inapplicable_mutations_do_nothing(levels):
    """With only remove_joint weighted, levels without joints come back unchanged."""
    out = mutate(levels, only("remove_joint"), seed=2)
    no_joint = ~np.asarray(levels.joint.active).any(1)
    assert no_joint.any()
    assert not changed(out, levels)[no_joint].any()


def _broken_variants(level):
    """(name, level) pairs (numpy leaves), each breaking one rule of ``is_valid``."""
    P = level.static.num_polygons
    s, j, t = level.shape, level.joint, level.thruster
    green = int(np.nonzero(s.active & (s.role == GREEN))[0][0])
    ja, tb = int(np.nonzero(j.active)[0][0]), int(np.nonzero(t.active)[0][0])
    poly = int(np.nonzero(s.active[:P])[0][-1])

    def no_green(lv):
        lv.shape.role[green] = NEUTRAL

    def no_control(lv):
        lv.joint.motor_on[:] = False
        lv.thruster.active[:] = False

    def crossed(lv):
        lv.polygon_vertices[poly, :4] = [[-0.2, -0.2], [0.2, 0.2], [0.2, -0.2], [-0.2, 0.2]]

    def clockwise(lv):
        lv.polygon_vertices[poly] = lv.polygon_vertices[poly, ::-1]

    def joint_to_inactive(lv):
        lv.shape.active[j.body_b[ja]] = False

    def thruster_on_inactive(lv):
        lv.shape.active[t.body[tb]] = False

    def index_out_of_range(lv):
        lv.joint.body_a[ja] = 99

    def nan(lv):
        lv.shape.rotation[green] = np.nan

    def outside_the_world(lv):
        lv.shape.position[green] = [6.0, 2.0]

    def zero_radius(lv):
        lv.circle_radius[:] = 0.0

    out = []
    for fn in (no_green, no_control, crossed, clockwise, joint_to_inactive, thruster_on_inactive, index_out_of_range,
               nan, outside_the_world, zero_radius):
        copy = jax.tree_util.tree_map(np.array, level)
        fn(copy)
        out.append((fn.__name__, copy))
    return out


def test_is_valid_rejects_each_broken_rule(levels):
    host = jax.device_get(levels)
    act = host.shape.active
    P = host.static.num_polygons
    ok = host.joint.active.any(1) & host.thruster.active.any(1) & act[:, P:].any(1) & act[:, 4:P].any(1)
    level = take(host, int(np.nonzero(ok)[0][0]))
    cases = _broken_variants(level)
    batch = [level] + [c for _, c in cases]
    batch += [level] * (BATCH - len(batch))  # the batch size of the compiled checks
    verdicts = np.asarray(_checks(jax.tree_util.tree_map(lambda *xs: np.stack(xs), *batch)))[:, 0]
    assert verdicts[0]
    assert [name for (name, _), v in zip(cases, verdicts[1:len(cases) + 1], strict=True) if v] == []
