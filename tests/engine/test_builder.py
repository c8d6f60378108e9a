"""Scene builder: validation errors, handles, joint anchors, collision filter."""

import math

import numpy as np
import pytest

from impetus.engine import SceneBuilder, SceneError, StaticSimParams


def _b(**kw):
    defaults = dict(num_polygons=3, num_circles=2, num_joints=2, num_thrusters=1, num_static_polygons=1)
    defaults.update(kw)
    return SceneBuilder(StaticSimParams(**defaults))


@pytest.mark.parametrize(("call", "message"), [
    (lambda b: b.add_polygon((0, 0), [(0, 0), (1, 0), (0.2, 0.2), (0, 1)]), "not strictly convex"),
    (lambda b: b.add_polygon((0, 0), [(0, 0), (1, 0)]), "3 to 4 vertices"),
    (lambda b: b.add_polygon((0, 0), [(0, 0), (1, 0), (2, 0)]), "zero area"),
    (lambda b: b.add_circle((0, 0), 0.0), "radius must be finite and > 0"),
    (lambda b: b.add_circle((0, float("nan")), 1.0), "position must be 2 finite numbers"),
    (lambda b: b.add_box((0, 0), (1, -1)), "half_extents must be > 0"),
    (lambda b: b.add_circle((0, 0), 1.0, collision_mode=3), "collision_mode must be 0, 1 or 2"),
    (lambda b: b.add_circle((0, 0), 1.0, restitution=2.0), r"restitution must be finite and in \[0.0, 1.0\]"),
])
def test_invalid_arguments_raise_one_line_errors(call, message):
    b = _b()
    with pytest.raises(SceneError, match=message) as err:
        call(b)
    assert "\n" not in str(err.value)


def test_joint_to_itself_and_capacity():
    b = _b()
    c = b.add_circle((0, 0), 0.5)
    with pytest.raises(SceneError, match="cannot connect a body to itself"):
        b.add_revolute_joint(c, c, (0, 0))
    b.add_circle((1, 0), 0.5)
    with pytest.raises(SceneError, match="num_circles = 2"):
        b.add_circle((2, 0), 0.5)
    b.add_box((0, 0), (1, 1))  # movable slots 1 and 2
    b.add_box((3, 0), (1, 1))
    with pytest.raises(SceneError, match="no free movable polygon slot"):
        b.add_box((5, 0), (1, 1))


def test_failed_call_leaves_builder_unchanged():
    b = _b()
    b.add_circle((0, 0), 0.5)
    before = b.build()
    with pytest.raises(SceneError):
        b.add_circle((1, 1), -1.0)
    after = b.build()
    assert int(after.body.active.sum()) == int(before.body.active.sum()) == 1


def test_joint_anchors_in_body_frames():
    b = _b()
    a = b.add_box((1.0, 1.0), (0.5, 0.5), rotation=math.pi / 2)
    c = b.add_circle((2.0, 1.0), 0.3)
    j = b.add_revolute_joint(a, c, (1.5, 1.0), limits=(-0.5, 0.5))
    s = b.build()
    # world (1.5, 1) is 0.5 m along +x from a's centre; a is rotated +90 deg, so local (0, -0.5)
    np.testing.assert_allclose(s.joint.anchor_a[j], [0.0, -0.5], atol=1e-6)
    np.testing.assert_allclose(s.joint.anchor_b[j], [-0.5, 0.0], atol=1e-6)
    assert float(s.joint.reference_angle[j]) == pytest.approx(-math.pi / 2)
    assert bool(s.joint.has_limits[j]) and float(s.joint.lower_angle[j]) == -0.5


def test_collision_matrix_covers_chains():
    b = _b(num_polygons=1, num_circles=4, num_joints=3, num_static_polygons=0)
    bodies = [b.add_circle((i, 0), 0.4) for i in range(4)]
    b.add_box((9, 9), (1, 1))
    b.add_revolute_joint(bodies[0], bodies[1], (0.5, 0))
    b.add_revolute_joint(bodies[1], bodies[2], (1.5, 0))
    s = b.build()
    cm = np.asarray(s.collision_matrix)
    i = [h.index for h in bodies]
    assert not cm[i[0], i[2]] and not cm[i[2], i[0]]  # through the chain
    assert cm[i[0], i[3]] and cm[i[3], i[2]]
    assert not cm.diagonal().any()
