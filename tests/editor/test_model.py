"""Pure edit operations on level documents (impetus.editor.model / links / ops / history)."""

import copy
import math

import numpy as np
import pytest

from impetus.editor import links, model, ops
from impetus.editor.history import History, problem_text
from impetus.editor.model import EditError
from impetus.levels import LevelError
from impetus.levels.format import from_document, to_document


@pytest.fixture(scope="module")
def empty():
    return model.new_document("s")


@pytest.fixture(scope="module")
def ball_and_goal(empty):
    doc = model.add_circle(empty, [1.0, 0.6], 0.2, role="green")
    doc = model.add_rectangle(doc, [4.0, 0.6], [0.2, 0.2], role="blue", fixed=True)
    return links.add_thruster(doc, "c0", [1.0, 0.6], direction=0.0, power=1.0)


def shape(doc, ref):
    return next(s for s in doc["shapes"] if s["id"] == ref)


def test_new_document_is_the_walled_world(empty):
    assert empty["size"] == "s"
    assert [s["id"] for s in empty["shapes"]] == ["p0", "p1", "p2", "p3"]
    assert all(s["fixed"] for s in empty["shapes"])
    assert to_document(from_document(empty)) == empty


def test_add_shapes_fill_free_slots_without_changing_the_input(empty, ball_and_goal):
    before = copy.deepcopy(empty)
    doc = model.add_circle(empty, [1.0, 1.0], 0.3)
    assert empty == before  # pure
    assert shape(doc, "c0")["radius"] == 0.3
    assert [s["id"] for s in ball_and_goal["shapes"]] == ["p0", "p1", "p2", "p3", "p4", "c0"]
    assert shape(ball_and_goal, "p4")["vertices"] == [[-0.2, -0.2], [0.2, -0.2], [0.2, 0.2], [-0.2, 0.2]]
    assert shape(ball_and_goal, "p4")["role"] == "blue" and shape(ball_and_goal, "p4")["fixed"] is True
    from_document(ball_and_goal)  # a valid level


def test_capacity_is_reported(ball_and_goal):
    with pytest.raises(EditError, match=r"no free polygon slot.*allows 1 movable polygon"):
        model.add_rectangle(ball_and_goal, [2.0, 2.0], [0.1, 0.1])
    with pytest.raises(EditError, match="no free thruster slot"):
        links.add_thruster(ball_and_goal, "c0", [1.0, 0.6])


def test_add_polygon_takes_the_hull_counter_clockwise_about_its_centroid(empty):
    # clockwise input with an interior point: the hull is the triangle, framed at its centroid
    doc = model.add_polygon(empty, [[1.0, 1.0], [1.0, 2.0], [1.2, 1.2], [2.0, 1.0]])
    p = shape(doc, "p4")
    assert np.allclose(p["position"], [4 / 3, 4 / 3])
    v = np.asarray(p["vertices"])
    assert len(v) == 3 and np.allclose(v.mean(0), 0.0, atol=1e-12)
    area2 = np.sum(v[:, 0] * np.roll(v[:, 1], -1) - np.roll(v[:, 0], -1) * v[:, 1])
    assert area2 > 0  # counter-clockwise
    from_document(doc)
    with pytest.raises(EditError, match="collinear"):
        model.add_polygon(empty, [[1, 1], [2, 2], [3, 3]])
    with pytest.raises(EditError, match="5 corners but the size allows 4"):
        model.add_polygon(empty, [[math.cos(a) + 2, math.sin(a) + 2] for a in np.linspace(0, 6, 5)])


def test_move_and_rotate_carry_jointed_shapes(empty):
    doc = model.add_rectangle(empty, [2.0, 1.0], [0.5, 0.1])
    doc = model.add_circle(doc, [2.5, 1.0], 0.2)
    doc = model.add_circle(doc, [4.0, 3.0], 0.2)  # not attached
    doc = links.add_joint(doc, "p4", "c0", [2.5, 1.0])
    moved = model.move_shape(doc, "p4", [3.0, 2.0])
    assert shape(moved, "p4")["position"] == [3.0, 2.0]
    assert np.allclose(shape(moved, "c0")["position"], [3.5, 2.0])
    assert shape(moved, "c1")["position"] == shape(doc, "c1")["position"]
    turned = model.rotate_shape(doc, "p4", math.pi / 2)
    assert np.allclose(shape(turned, "c0")["position"], [2.0, 1.5])
    assert np.isclose(shape(turned, "c0")["rotation"], math.pi / 2)
    # the joint's two anchors still meet in the world after the rotation
    joint = turned["joints"][0]
    a, b = shape(turned, "p4"), shape(turned, "c0")
    assert np.allclose(model.to_world(a, joint["anchor_a"]), model.to_world(b, joint["anchor_b"]), atol=1e-6)


def test_resize_scales_geometry_and_anchors(ball_and_goal):
    doc = model.resize_shape(ball_and_goal, "p4", width=1.0)
    assert np.allclose(np.asarray(shape(doc, "p4")["vertices"])[:, 0], [-0.5, 0.5, 0.5, -0.5])
    assert np.allclose(np.asarray(shape(doc, "p4")["vertices"])[:, 1], [-0.2, -0.2, 0.2, 0.2])
    doc = model.resize_shape(ball_and_goal, "c0", radius=0.1)
    assert shape(doc, "c0")["radius"] == 0.1
    with pytest.raises(EditError, match="takes 'radius' only"):
        model.resize_shape(ball_and_goal, "c0", width=1.0)


def test_delete_shape_removes_its_joints_and_thrusters(ball_and_goal):
    doc = links.add_joint(ball_and_goal, "p4", "c0", [3.9, 0.6], type="fixed")
    doc = model.delete_shape(doc, "c0")
    assert [s["id"] for s in doc["shapes"]] == ["p0", "p1", "p2", "p3", "p4"]
    assert doc["joints"] == [] and doc["thrusters"] == []
    with pytest.raises(EditError, match="shape 'c9' does not exist"):
        model.delete_shape(doc, "c9")


def test_joint_anchors_are_in_shape_frames(empty):
    doc = model.add_rectangle(empty, [2.0, 1.0], [0.5, 0.1], rotation=math.pi / 2)
    doc = model.add_circle(doc, [2.0, 1.4], 0.2)
    doc = links.add_joint(doc, "p4", "c0", [2.0, 1.4], speed=2.0, binding=1, limits=[-0.5, 0.5])
    j = doc["joints"][0]
    assert np.allclose(j["anchor_a"], [0.4, 0.0]) and np.allclose(j["anchor_b"], [0.0, 0.0])
    assert np.isclose(j["reference_angle"], -math.pi / 2)
    assert j["motor"] == {"on": True, "speed": 2.0, "power": 1.0, "binding": 1, "auto": False}
    assert j["limits"] == [-0.5, 0.5]
    fixed = links.set_joint(doc, 0, type="fixed")["joints"][0]
    assert fixed["type"] == "fixed" and "motor" not in fixed and "limits" not in fixed
    back = links.set_joint(links.set_joint(doc, 0, type="fixed"), 0, type="revolute", binding=3, limits=None)
    assert back["joints"][0]["motor"]["binding"] == 3 and "limits" not in back["joints"][0]
    with pytest.raises(EditError, match="two different shapes"):
        links.add_joint(doc, "c0", "c0", [2.0, 1.4])
    with pytest.raises(EditError, match="lower <= upper"):
        links.set_joint(doc, 0, limits=[1.0, -1.0])
    with pytest.raises(EditError, match=r"binding: expected an integer in 0\.\.3"):
        links.set_joint(doc, 0, binding=4)
    assert links.delete_joint(doc, 0)["joints"] == []


def test_thruster_direction_is_a_world_angle(empty):
    doc = model.add_rectangle(empty, [2.0, 1.0], [0.3, 0.1], rotation=0.5)
    doc = links.add_thruster(doc, "p4", [2.0, 1.0], direction=math.pi / 2, binding=1)
    assert np.isclose(doc["thrusters"][0]["angle"], math.pi / 2 - 0.5)
    doc = links.set_thruster(doc, 0, direction=0.0, power=2.5)
    assert np.isclose(doc["thrusters"][0]["angle"], -0.5) and doc["thrusters"][0]["power"] == 2.5
    assert links.delete_thruster(doc, 0)["thrusters"] == []


def test_level_settings_and_size_change_renumbers(ball_and_goal):
    doc = ops.set_gravity(ball_and_goal, [0.0, -5.0])
    assert doc["gravity"] == [0.0, -5.0]
    assert ops.set_max_timesteps(doc, 100)["max_timesteps"] == 100
    big = ops.set_size(ball_and_goal, "l")
    assert big["size"] == "l"
    big = model.add_circle(model.add_circle(big, [2, 2], 0.1), [3, 3], 0.1)
    big = model.add_rectangle(big, [2.0, 3.0], [0.1, 0.1])
    big = model.delete_shape(big, "p4")  # leaves a hole in the polygon slots
    small = ops.set_size(model.delete_shape(big, "c2"), "s")
    assert [s["id"] for s in small["shapes"]] == ["p0", "p1", "p2", "p3", "p4", "c0", "c1"]
    with pytest.raises(EditError, match="the level has 3 circles but the new size allows 2"):
        ops.set_size(big, "s")
    from_document(small)


def test_apply_checks_names_and_arguments(ball_and_goal):
    assert ops.apply(ball_and_goal, "set_shape", {"id": "c0", "friction": 0.5}) is not ball_and_goal
    for op, args, pattern in [
        ("explode", {}, "unknown edit 'explode'"),
        ("add_circle", {"position": [1, 1]}, "add_circle: missing a required argument: 'radius'"),
        ("add_circle", {"position": [1, 1], "radius": 0.1, "colour": 1}, "unknown shape property 'colour'"),
        ("add_circle", {"position": [1, "x"], "radius": 0.1}, r"position\[1\]: expected a finite number"),
        ("set_shape", {"id": "c0", "role": "purple"}, "role: expected one of neutral, green, blue, red"),
        ("move_shape", {"id": "c0", "position": [1, 2], "doc": {}}, "multiple values"),
        ("set_shape", [1], "'args' must be an object"),
    ]:
        with pytest.raises(EditError, match=pattern):
            ops.apply(ball_and_goal, op, args)


def test_history_validates_undoes_and_redoes(empty):
    h = History(empty)
    assert not h.can_undo and not h.can_redo
    h.edit("add_circle", {"position": [1.0, 0.6], "radius": 0.2, "role": "green"})
    h.edit("set_shape", {"id": "c0", "density": 2.0})
    with pytest.raises(EditError, match=r"set_shape: shape c0 restitution: must be in 0\.\.1"):
        h.edit("set_shape", {"id": "c0", "restitution": 2.0})
    assert shape(h.doc, "c0")["restitution"] == 0.0  # the failed edit changed nothing
    assert h.undo() and shape(h.doc, "c0")["density"] == 1.0
    assert h.undo() and h.doc == to_document(from_document(empty)) and not h.undo()
    assert h.redo() and h.redo() and not h.redo()
    assert shape(h.doc, "c0")["density"] == 2.0
    h.undo()
    h.edit("set_shape", {"id": "c0", "friction": 0.3})  # a new edit drops the redo branch
    assert not h.can_redo
    assert float(h.level.shape.friction[h.level.static.num_polygons]) == pytest.approx(0.3)


def test_history_rejects_an_invalid_document(empty):
    h = History(empty)
    bad = copy.deepcopy(h.doc)
    bad["shapes"][0]["vertices"] = bad["shapes"][0]["vertices"][::-1]
    with pytest.raises(LevelError) as err:
        h.replace(bad)
    expected = "shape p0 vertices: vertices are listed clockwise; list them counter-clockwise"
    assert problem_text(err.value, bad) == expected
    assert not h.can_undo
