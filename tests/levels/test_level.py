"""The ``Level`` type: to_sim_state against SceneBuilder, pad, stack, jit/vmap."""

import json
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.engine import SceneBuilder, StaticSimParams
from impetus.engine.scenes import KINETIX_SIZES
from impetus.levels import empty_level, pad, stack, to_sim_state
from impetus.levels.format import from_document

from .fixtures import car_doc, level_equal, simulate

STATIC = StaticSimParams(num_polygons=6, num_circles=2, num_joints=2, num_thrusters=2)


def _rot(a, v):
    c, s = math.cos(a), math.sin(a)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


def _builder_walls() -> list[dict]:
    """``SceneBuilder.add_walls()`` (5 m world, floor top 0.4, 5 m thick) as Impetus shapes."""
    boxes = [((2.5, -4.6), (7.5, 5.0)), ((-5.0, 2.5), (5.0, 7.5)), ((10.0, 2.5), (5.0, 7.5)), ((2.5, 10.0), (7.5, 5.0))]
    return [{"id": f"p{i}", "position": list(p), "fixed": True, "collision_mode": 2,
             "vertices": [[-hx, -hy], [hx, -hy], [hx, hy], [-hx, hy]]} for i, (p, (hx, hy)) in enumerate(boxes)]


def _scene_pair():
    """One scene built twice: with SceneBuilder (world anchors) and as a Level document (frame anchors).

    The box's frame origin is its corner and the triangle is rotated, so centre-of-mass shifts,
    rotated offsets and re-expressed anchors are all exercised."""
    box_pos, box_rot = np.array([1.0, 1.0]), 0.3
    box = [(0.0, 0.0), (0.8, 0.0), (0.8, 0.3), (0.0, 0.3)]
    tri_pos, tri = np.array([3.0, 2.0]), [(-0.3, -0.2), (0.4, -0.1), (0.0, 0.35)]
    wheel_pos = box_pos + _rot(box_rot, (0.2, -0.1))
    anchor_box = (0.2, -0.1)  # box frame; the wheel's centre
    thr_anchor, thr_angle = (0.4, 0.3), 1.0  # box frame, relative angle

    b = SceneBuilder(STATIC, gravity=(0.0, -7.0))
    b.add_walls()
    hb = b.add_polygon(box_pos, box, rotation=box_rot, density=1.5, friction=0.7, restitution=0.2,
                       velocity=(0.3, -0.2), angular_velocity=0.5)
    ht = b.add_polygon(tri_pos, tri, rotation=-0.7, density=0.8, collision_mode=0)
    hw = b.add_circle(wheel_pos, 0.15, density=2.0)
    hc = b.add_circle((4.0, 1.0), 0.3, fixed=True, collision_mode=2)
    b.add_revolute_joint(hb, hw, wheel_pos, motor_on=True, motor_speed=2.0, motor_power=1.5, limits=(-0.4, 0.6))
    b.add_fixed_joint(ht, hc, (3.6, 1.5))
    b.add_thruster(hb, box_pos + _rot(box_rot, thr_anchor), angle=box_rot + thr_angle, power=0.7)
    built = b.build()

    c_anchor_tri = _rot(0.7, np.array([3.6, 1.5]) - tri_pos)  # world -> triangle frame (rotation -0.7)
    arm = _rot(box_rot, (0.4, 0.15))  # frame origin -> centre of mass; SceneBuilder's velocity is the COM's
    v_origin = [0.3 + 0.5 * arm[1], -0.2 - 0.5 * arm[0]]
    doc = {"schema_version": 1, "physics_version": 1, "gravity": [0.0, -7.0],
           "size": {"num_polygons": 6, "num_circles": 2, "num_joints": 2, "num_thrusters": 2,
                    "max_polygon_vertices": 4, "num_static_polygons": 4},
           "shapes": [*_builder_walls(),
                      {"id": "p4", "position": list(box_pos), "rotation": box_rot, "vertices": box, "density": 1.5,
                       "friction": 0.7, "restitution": 0.2, "velocity": v_origin, "angular_velocity": 0.5},
                      {"id": "p5", "position": list(tri_pos), "rotation": -0.7, "vertices": tri, "density": 0.8,
                       "collision_mode": 0},
                      {"id": "c0", "position": list(wheel_pos), "radius": 0.15, "density": 2.0},
                      {"id": "c1", "position": [4.0, 1.0], "radius": 0.3, "fixed": True, "collision_mode": 2}],
           "joints": [{"a": "p4", "b": "c0", "type": "revolute", "anchor_a": anchor_box, "anchor_b": [0.0, 0.0],
                       "reference_angle": -box_rot, "motor": {"on": True, "speed": 2.0, "power": 1.5},
                       "limits": [-0.4, 0.6]},
                      {"a": "p5", "b": "c1", "type": "fixed", "anchor_a": list(c_anchor_tri),
                       "anchor_b": [-0.4, 0.5], "reference_angle": 0.7}],
           "thrusters": [{"shape": "p4", "anchor": thr_anchor, "angle": thr_angle, "power": 0.7}]}
    return built, from_document(json.loads(json.dumps(doc)))  # tuples -> JSON lists


def test_to_sim_state_matches_scene_builder():
    built, level = _scene_pair()
    ours = to_sim_state(level)
    close = dict(rtol=1e-5, atol=2e-6)
    for name in ("position", "rotation", "velocity", "angular_velocity", "inverse_mass", "inverse_inertia",
                 "friction", "restitution", "collision_mode", "active"):
        np.testing.assert_allclose(getattr(ours.body, name), getattr(built.body, name), **close, err_msg=name)
    np.testing.assert_allclose(ours.polygon.vertices, built.polygon.vertices, **close)
    np.testing.assert_array_equal(ours.polygon.n_vertices[4:], built.polygon.n_vertices[4:])
    np.testing.assert_allclose(ours.circle.radius, built.circle.radius)
    for name in ("body_a", "body_b", "anchor_a", "anchor_b", "reference_angle", "is_fixed", "active", "motor_on",
                 "has_limits", "lower_angle", "upper_angle"):
        np.testing.assert_allclose(getattr(ours.joint, name), getattr(built.joint, name), **close, err_msg=name)
    for name in ("motor_speed", "motor_power"):  # the fixed joint's motor values are inert (builder 0, level 1)
        np.testing.assert_allclose(getattr(ours.joint, name)[0], getattr(built.joint, name)[0], err_msg=name)
    for name in ("body", "anchor", "angle", "power", "active"):
        np.testing.assert_allclose(getattr(ours.thruster, name), getattr(built.thruster, name), **close, err_msg=name)
    np.testing.assert_array_equal(ours.collision_matrix, built.collision_matrix)
    np.testing.assert_allclose(ours.gravity, [0.0, -7.0])
    # the box's centre of mass is its middle, not its frame origin (a corner)
    np.testing.assert_allclose(ours.body.position[4], np.array([1.0, 1.0]) + _rot(0.3, (0.4, 0.15)), atol=1e-6)
    assert not bool(ours.collision_matrix[4, 6]) and bool(ours.collision_matrix[4, 5])


def test_pad_keeps_behaviour():
    level = from_document(car_doc())  # M size
    big = pad(level, KINETIX_SIZES["l"])
    assert big.static == KINETIX_SIZES["l"]
    P0, P1, C0 = 6, 12, 3
    rows = [*range(P0), *(P1 + k for k in range(C0))]
    assert not np.any(np.asarray(big.shape.active)[[i for i in range(16) if i not in rows]])
    assert np.asarray(big.joint.body_b)[:2].tolist() == [P1 + 0, 5]
    actions_small = jnp.array([0.8, 0.0, 1.0, 1.0])  # 2 joints, 2 thrusters
    actions_big = jnp.array([0.8, 0.0, 0, 0, 0, 0, 1.0, 1.0])  # 6 joints, 2 thrusters
    a = simulate(to_sim_state(level), 50, actions_small)
    b = simulate(to_sim_state(big), 50, actions_big)
    assert float(jnp.max(jnp.abs(a.body.position - to_sim_state(level).body.position))) > 0.05  # it moved
    np.testing.assert_allclose(np.asarray(b.body.position)[rows], a.body.position, atol=1e-5)
    np.testing.assert_allclose(np.asarray(b.body.rotation)[rows], a.body.rotation, atol=1e-5)


def test_pad_refuses_to_shrink():
    with pytest.raises(ValueError, match="cannot fit"):
        pad(from_document(car_doc()), KINETIX_SIZES["s"])


def test_stack_adds_a_leading_axis_and_refuses_mixed_sizes():
    a = from_document(car_doc())
    doc = car_doc()
    doc["shapes"][6]["radius"] = 0.35
    b = from_document(doc)
    both = stack([a, b])
    assert both.circle_radius.shape == (2, 3) and both.static == a.static
    np.testing.assert_allclose(both.circle_radius[:, 0], [0.2, 0.35])
    assert level_equal(jax.tree_util.tree_map(lambda x: x[1], both), b)
    with pytest.raises(ValueError, match="pad them first"):
        stack([a, empty_level(KINETIX_SIZES["l"])])


def test_to_sim_state_jits_and_vmaps():
    a = from_document(car_doc())
    doc = car_doc()
    doc["shapes"][4]["density"] = 3.0
    doc["shapes"][4]["position"] = [2.0, 1.5]
    b = from_document(doc)
    batch = jax.jit(jax.vmap(to_sim_state))(stack([a, b]))
    for i, lv in enumerate((a, b)):
        one = to_sim_state(lv)
        for x, y in zip(jax.tree_util.tree_leaves(one), jax.tree_util.tree_leaves(batch), strict=True):
            np.testing.assert_allclose(np.asarray(y[i]), np.asarray(x), rtol=1e-6, atol=1e-6)
    assert float(batch.body.inverse_mass[1, 4]) == pytest.approx(float(batch.body.inverse_mass[0, 4]) / 2)
