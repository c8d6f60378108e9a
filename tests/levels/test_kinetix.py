"""Kinetix JSON import/export: the sample files, round trips, every field, physics sanity."""

import json
import math

import numpy as np
import pytest

from impetus.engine.scenes import KINETIX_SIZES
from impetus.levels import LevelError, load_level, save_level, to_sim_state
from impetus.levels.format import from_document
from impetus.levels.kinetix import dumps_kinetix, from_kinetix, to_kinetix

from .fixtures import (
    car_doc,
    kinetix_body,
    kinetix_doc,
    kinetix_joint,
    kinetix_thruster,
    level_equal,
    sample_params,
    simulate,
)

FLOOR_TOP = 0.4


def _structure(doc):
    """The key structure of a document (values replaced by their JSON type)."""
    if isinstance(doc, dict):
        return {k: _structure(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_structure(v) for v in doc]
    return "number" if isinstance(doc, int | float) and not isinstance(doc, bool) else type(doc).__name__


# ---------------------------------------------------------------------------------------------- samples
@pytest.mark.parametrize("path", sample_params())
def test_sample_imports_every_field(path):
    raw = json.loads(path.read_text())
    lv = load_level(path)
    st, sp = raw["env_state"], raw["static_env_params"]
    assert lv.static == KINETIX_SIZES[path.stem[0]]
    assert (lv.static.num_polygons, lv.static.num_joints) == (sp["num_polygons"], sp["num_joints"])
    P = lv.static.num_polygons
    bodies = st["polygon"] + st["circle"]
    assert np.asarray(lv.shape.active).tolist() == [b["active"] for b in bodies]
    for i, b in enumerate(bodies):
        if not b["active"]:
            continue
        assert int(lv.shape.role[i]) == b["role"] and bool(lv.shape.fixed[i]) == (b["inverse_mass"] == 0)
        assert int(lv.shape.collision_mode[i]) == b["collision_mode"]
        assert float(lv.shape.density[i]) == np.float32(b["density"])
        np.testing.assert_array_equal(lv.shape.position[i], np.float32([b["position"]["0"], b["position"]["1"]]))
        assert float(lv.shape.rotation[i]) == np.float32(b["rotation"])
        if i < P:
            n = b["n_vertices"]
            cw = np.float32([[b["vertices"][str(k)]["0"], b["vertices"][str(k)]["1"]] for k in range(n)])
            np.testing.assert_array_equal(lv.polygon_vertices[i, :n], cw[::-1])  # stored counter-clockwise
        else:
            assert float(lv.circle_radius[i - P]) == np.float32(b["radius"])
    active = [j for j in st["joint"] if j["active"]]
    assert int(np.sum(lv.joint.active)) == len(active)
    for k, j in enumerate(active):
        assert (int(lv.joint.body_a[k]), int(lv.joint.body_b[k])) == (j["a_index"], j["b_index"])
        assert bool(lv.joint.is_fixed[k]) == j["is_fixed_joint"]
        assert float(lv.joint.reference_angle[k]) == np.float32(j["rotation"])
        np.testing.assert_array_equal(lv.joint.anchor_a[k], np.float32([j["a_relative_pos"]["0"],
                                                                        j["a_relative_pos"]["1"]]))
        if not j["is_fixed_joint"]:
            assert int(lv.joint.motor_binding[k]) == j["motor_binding"] and bool(lv.joint.motor_on[k]) == j["motor_on"]
    thrusters = [t for t in st["thruster"] if t["active"]]
    assert np.asarray(lv.thruster.body)[:len(thrusters)].tolist() == [t["object_index"] for t in thrusters]
    np.testing.assert_array_equal(lv.gravity, np.float32([st["gravity"]["0"], st["gravity"]["1"]]))
    assert int(lv.max_timesteps) == raw["env_params"]["max_timesteps"]


@pytest.mark.parametrize("path", sample_params())
def test_sample_export_reproduces_the_file(path):
    """Export writes Kinetix's key structure, the same values for active slots (masses as Jax2D
    computes them), the same collision matrix and parameters."""
    raw = json.loads(path.read_text())
    out = to_kinetix(load_level(path))
    assert _structure(out) == _structure(raw)
    assert out["env_params"] == raw["env_params"] and out["static_env_params"] == raw["static_env_params"]
    assert out["env_state"]["collision_matrix"] == raw["env_state"]["collision_matrix"]
    assert out["env_state"]["gravity"] == raw["env_state"]["gravity"]
    for kind in ("polygon", "circle", "joint", "thruster"):
        for mine, theirs in zip(out["env_state"][kind], raw["env_state"][kind], strict=True):
            assert mine["active"] == theirs["active"]
            if not theirs["active"]:
                continue
            for key, value in theirs.items():
                if key in ("inverse_mass", "inverse_inertia"):
                    assert mine[key] == pytest.approx(value, rel=1e-5), key
                elif key in ("global_position", "n_vertices") or (kind == "circle" and key == "vertices"):
                    continue  # cached world anchor; circles' unused vertex fields
                elif kind == "joint" and theirs["is_fixed_joint"] and key.startswith("motor"):
                    continue  # normalised: a fixed joint has no motor
                elif kind == "joint" and not theirs["motor_has_joint_limits"] and key.endswith("_rotation"):
                    continue  # normalised: limits that are off
                else:
                    assert mine[key] == value, (kind, key)


@pytest.mark.parametrize("path", sample_params())
def test_sample_round_trips(path, tmp_path):
    lv = load_level(path)
    out = tmp_path / "k.json"
    save_level(lv, out, format="kinetix")
    again = load_level(out)
    assert level_equal(lv, again)
    assert dumps_kinetix(again) == out.read_text()  # save -> load -> save is byte-identical
    mine = tmp_path / "i.json"
    save_level(lv, mine)
    assert level_equal(load_level(mine), lv)


@pytest.mark.parametrize("path", sample_params())
def test_sample_steps_sanely(path):
    lv = load_level(path)
    state = to_sim_state(lv)
    end = simulate(state, 100)
    assert np.all(np.isfinite(np.asarray(end.body.position))) and not bool(end.nonfinite)
    moving = np.asarray(lv.shape.active & ~lv.shape.fixed)
    y = np.asarray(end.body.position)[moving, 1]
    assert np.all(y > FLOOR_TOP), y  # nothing fell through the floor
    assert np.all(np.asarray(end.body.position)[moving, 0] > 0) and np.all(np.asarray(end.body.position)[moving, 0] < 5)
    # something moved (gravity acts), fixed shapes did not
    fixed = np.asarray(lv.shape.active & lv.shape.fixed)
    np.testing.assert_array_equal(np.asarray(end.body.position)[fixed], np.asarray(state.body.position)[fixed])


@pytest.mark.parametrize("path", sample_params()[:1])
def test_file_gravity_and_length_are_honoured(path):
    raw = json.loads(path.read_text())
    raw["env_state"]["gravity"] = {"0": 0.5, "1": -3.0}
    raw["env_params"]["max_timesteps"] = 100
    lv = from_kinetix(raw)
    np.testing.assert_allclose(lv.gravity, [0.5, -3.0])
    assert int(lv.max_timesteps) == 100


# ---------------------------------------------------------------------------------------------- own fixtures
def _gadget_doc():
    """Everything the samples lack: a triangle, a fixed movable-slot shape (zero inverse mass),
    circles in joints, a fixed joint, limits with a reference angle, thrusters and bindings."""
    doc = kinetix_doc(num_polygons=7, num_circles=2, num_joints=3, num_thrusters=2)
    poly, circ = doc["env_state"]["polygon"], doc["env_state"]["circle"]
    poly[4] = kinetix_body((1.5, 1.0), vertices=[(0.4, 0.1), (0.4, -0.1), (-0.4, -0.1), (-0.4, 0.1)], role=0,
                           density=2.0)
    poly[5] = kinetix_body((3.0, 2.0), vertices=[(0.0, 0.3), (0.26, -0.15), (-0.26, -0.15)], rotation=0.4, role=3,
                           collision_mode=0)  # triangle, clockwise
    poly[6] = kinetix_body((4.0, 3.0), vertices=[(0.2, 0.2), (0.2, -0.2), (-0.2, -0.2), (-0.2, 0.2)],
                           inverse_mass=0.0, inverse_inertia=0.0, role=2)  # fixed, not a static slot
    circ[0] = kinetix_body((1.1, 0.75), radius=0.2, role=1, inverse_mass=2.0)
    circ[1] = kinetix_body((1.9, 0.75), radius=0.25, role=0, inverse_mass=2.0)
    doc["env_state"]["joint"] = [
        kinetix_joint(4, 7, (-0.4, -0.25), (0.0, 0.0), motor_on=True, binding=2, speed=-1.5, power=2.5),
        kinetix_joint(4, 8, (0.4, -0.25), (0.0, 0.0), rotation=0.3, limits=(-0.5, 0.7), binding=3),
        kinetix_joint(5, 6, (0.0, 0.3), (-1.0, -0.7), fixed=True, rotation=0.4)]
    doc["env_state"]["thruster"] = [kinetix_thruster(4, (0.0, 0.1), 1.2, power=0.6, binding=1),
                                    kinetix_thruster(8, (0.1, 0.0), -0.5, power=1.4, binding=0)]
    doc["env_state"]["gravity"] = {"0": 0.0, "1": -5.0}
    doc["env_params"]["max_timesteps"] = 512
    return doc


def test_gadget_import_maps_every_field():
    lv = from_kinetix(_gadget_doc())
    P = 7
    assert lv.static.num_polygons == P and lv.static.num_joints == 3
    assert int(lv.polygon_n_vertices[5]) == 3
    np.testing.assert_allclose(lv.polygon_vertices[5, :3], [(-0.26, -0.15), (0.26, -0.15), (0.0, 0.3)])
    assert np.asarray(lv.shape.fixed).tolist() == [True] * 4 + [False, False, True, False, False]
    assert np.asarray(lv.shape.role).tolist() == [0, 0, 0, 0, 0, 3, 2, 1, 0]
    assert int(lv.shape.collision_mode[5]) == 0 and float(lv.shape.density[4]) == 2.0
    assert float(lv.shape.rotation[5]) == pytest.approx(0.4)
    j = lv.joint
    assert np.asarray(j.body_b).tolist() == [P + 0, P + 1, 6] and np.asarray(j.is_fixed).tolist() == [0, 0, 1]
    assert np.asarray(j.motor_binding).tolist() == [2, 3, 0] and np.asarray(j.motor_on).tolist() == [1, 0, 0]
    np.testing.assert_allclose([j.motor_speed[0], j.motor_power[0]], [-1.5, 2.5])
    assert np.asarray(j.has_limits).tolist() == [False, True, False]
    np.testing.assert_allclose([j.reference_angle[1], j.lower_angle[1], j.upper_angle[1]], [0.3, -0.5, 0.7])
    np.testing.assert_allclose(j.reference_angle[2], 0.4)
    np.testing.assert_allclose(j.anchor_b[2], [-1.0, -0.7])
    t = lv.thruster
    assert np.asarray(t.body).tolist() == [4, P + 1] and np.asarray(t.binding).tolist() == [1, 0]
    np.testing.assert_allclose([t.angle[0], t.power[0], t.angle[1], t.power[1]], [1.2, 0.6, -0.5, 1.4])
    np.testing.assert_allclose(lv.gravity, [0.0, -5.0])
    assert int(lv.max_timesteps) == 512


def test_gadget_exports_what_kinetix_reads_and_round_trips():
    lv = from_kinetix(_gadget_doc())
    out = to_kinetix(lv)
    state = out["env_state"]
    tri = state["polygon"][5]
    assert tri["n_vertices"] == 3 and tri["vertices"]["0"] == {"0": 0.0, "1": pytest.approx(0.3)}  # clockwise again
    assert tri["vertices"]["3"] == {"0": 0.0, "1": 0.0}
    assert state["polygon"][6]["inverse_mass"] == 0.0 and state["polygon"][6]["inverse_inertia"] == 0.0
    assert state["circle"][0]["inverse_mass"] == pytest.approx(1 / (math.pi * 0.2**2))
    assert state["circle"][0]["inverse_inertia"] == pytest.approx(4 / (math.pi * 0.2**4))  # Jax2D's disc inertia
    box = state["polygon"][4]  # 0.8 x 0.2, density 2
    assert box["inverse_mass"] == pytest.approx(1 / (0.16 * 2), rel=1e-5)
    assert box["inverse_inertia"] == pytest.approx(1 / (0.32 * (0.8**2 + 0.2**2) / 12), rel=1e-5)
    j = state["joint"]
    assert (j[1]["motor_has_joint_limits"], j[1]["min_rotation"], j[1]["rotation"]) == (True, -0.5, pytest.approx(0.3))
    assert j[2]["is_fixed_joint"] and j[0]["motor_binding"] == 2 and j[1]["b_index"] == 8
    assert state["thruster"][0]["thruster_binding"] == 1 and state["thruster"][1]["object_index"] == 8
    cm = state["collision_matrix"]
    assert not cm["4"]["7"] and not cm["7"]["8"] and not cm["5"]["6"] and cm["4"]["5"]
    assert len(state["acc_rr_manifolds"]) == 2 * (7 * 6 // 2 - 6) and len(state["acc_cr_manifolds"]) == 14
    assert level_equal(from_kinetix(json.loads(json.dumps(out))), lv)


def test_jax2d_triangle_inertia_keeps_the_upstream_wrap():
    """Jax2D's polygon inertia wraps modulo 4 vertex slots: a triangle's closing edge meets the zero
    padding slot, so its inertia is the sum over two edges only (Appendix A.1), as Kinetix would compute."""
    out = to_kinetix(from_kinetix(_gadget_doc()))
    tri = out["env_state"]["polygon"][5]
    v = [np.array([tri["vertices"][str(k)]["0"], tri["vertices"][str(k)]["1"]]) for k in range(4)]

    def edge(p1, p2):
        d = p1[0] * p2[1] - p1[1] * p2[0]
        return abs(d / 12 * (p1 @ p1 + p1 @ p2 + p2 @ p2))

    expected = 1 / (edge(v[1], v[0]) + edge(v[2], v[1]) + edge(v[3], v[2]))
    assert tri["inverse_inertia"] == pytest.approx(expected, rel=1e-5)
    full = 1 / (edge(v[1], v[0]) + edge(v[2], v[1]) + edge(v[0], v[2]))
    assert tri["inverse_inertia"] > 1.2 * full


def test_limits_mean_what_jax2d_means():
    """A bar pinned to a fixed block swings down under gravity until rotation_b - rotation_a -
    rotation reaches min_rotation (Jax2D's definition), here 0.3 - 0.6 = -0.3 rad."""
    doc = kinetix_doc(num_polygons=6, num_circles=1, num_joints=1, num_thrusters=1)
    poly = doc["env_state"]["polygon"]
    poly[4] = kinetix_body((2.0, 3.0), vertices=[(0.1, 0.1), (0.1, -0.1), (-0.1, -0.1), (-0.1, 0.1)],
                           inverse_mass=0.0, inverse_inertia=0.0)
    poly[5] = kinetix_body((2.5, 3.0), vertices=[(0.5, 0.05), (0.5, -0.05), (-0.5, -0.05), (-0.5, 0.05)])
    doc["env_state"]["joint"] = [kinetix_joint(4, 5, (0.0, 0.0), (-0.5, 0.0), rotation=0.3, limits=(-0.6, 0.6))]
    lv = from_kinetix(doc)
    end = simulate(to_sim_state(lv), 120)
    angle = float(end.body.rotation[5] - end.body.rotation[4])
    assert angle == pytest.approx(0.3 - 0.6, abs=0.05)
    unlimited = lv.replace(joint=lv.joint.replace(has_limits=lv.joint.has_limits.at[0].set(False)))
    assert float(simulate(to_sim_state(unlimited), 30).body.rotation[5]) < -0.8  # without limits it swings further


def test_export_recentres_off_centre_frames_without_moving_the_body():
    lv = from_document(car_doc())  # p4's frame is its corner
    out = to_kinetix(lv)
    box = out["env_state"]["polygon"][4]
    verts = np.array([[box["vertices"][str(k)]["0"], box["vertices"][str(k)]["1"]] for k in range(4)])
    np.testing.assert_allclose(verts.mean(0), 0.0, atol=1e-6)
    back = from_kinetix(out)
    a, b = to_sim_state(lv), to_sim_state(back)
    for x, y in ((a.body.position, b.body.position), (a.body.velocity, b.body.velocity),
                 (a.joint.anchor_a, b.joint.anchor_a), (a.thruster.anchor, b.thruster.anchor)):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), atol=2e-6)
    np.testing.assert_allclose(np.asarray(a.body.inverse_mass), np.asarray(b.body.inverse_mass), rtol=1e-5)
    assert level_equal(from_kinetix(to_kinetix(back)), back)  # idempotent


def test_export_refuses_polygons_kinetix_cannot_hold():
    doc = car_doc()
    doc["size"] = {"num_polygons": 6, "num_circles": 3, "num_joints": 2, "num_thrusters": 2,
                   "max_polygon_vertices": 5, "num_static_polygons": 4}
    doc["shapes"][5]["vertices"] = [[0, 0], [0.4, 0], [0.5, 0.3], [0.2, 0.5], [-0.1, 0.3]]
    with pytest.raises(LevelError, match="shape p5: Kinetix polygons have at most 4 vertices"):
        to_kinetix(from_document(doc))


# ---------------------------------------------------------------------------------------------- errors
def _edit(fn):
    doc = _gadget_doc()
    fn(doc["env_state"])
    return doc


KBAD = [
    ("missing key", lambda s: s["polygon"][4].pop("density"), "$.env_state.polygon[4].density", "missing field"),
    ("unknown key", lambda s: s["circle"][0].update(radus=1.0), "$.env_state.circle[0].radus", "did you mean"),
    ("counter-clockwise", lambda s: s["polygon"][4].update(vertices={"0": {"0": -0.4, "1": -0.1},
     "1": {"0": 0.4, "1": -0.1}, "2": {"0": 0.4, "1": 0.1}, "3": {"0": -0.4, "1": 0.1}}),
     "$.env_state.polygon[4].vertices", "list them clockwise"),
    ("index out of range", lambda s: s["joint"][0].update(b_index=9), "$.env_state.joint[0].b_index",
     "out of range 0..8"),
    ("joint to inactive shape", lambda s: s["circle"][1].update(active=False), "$.env_state.joint[1].b_index",
     "c1 (global index 8), which does not exist"),
    ("list length", lambda s: s["circle"].pop(), "$.env_state.circle", "static_env_params.num_circles is 2"),
    ("non-rotating shape", lambda s: s["polygon"][4].update(inverse_inertia=0.0),
     "$.env_state.polygon[4].inverse_inertia", "unsupported"),
    ("static slot movable", lambda s: s["polygon"][1].update(inverse_mass=1.0, inverse_inertia=1.0),
     "$.env_state.polygon[1].inverse_mass", "static slot"),
    ("bad binding", lambda s: s["thruster"][0].update(thruster_binding=5), "$.env_state.thruster[0].thruster_binding",
     "0..1"),
    ("bad role", lambda s: s["polygon"][4].update(role=7), "$.env_state.polygon[4].role", "role must be 0..3"),
    ("nan", lambda s: s["polygon"][4].update(rotation=float("nan")), "$.env_state.polygon[4].rotation", "finite"),
    ("zero radius", lambda s: s["circle"][0].update(radius=0.0), "$.env_state.circle[0].radius", "radius"),
    ("limits reversed", lambda s: s["joint"][1].update(min_rotation=1.0), "$.env_state.joint[1].min_rotation",
     "lower <= upper"),
    ("n_vertices", lambda s: s["polygon"][5].update(n_vertices=5), "$.env_state.polygon[5].n_vertices",
     "vertices has 4 entries"),
]


@pytest.mark.parametrize("edit, path, words", [pytest.param(*b[1:], id=b[0]) for b in KBAD])
def test_kinetix_problems_are_one_clear_line(edit, path, words):
    with pytest.raises(LevelError) as info:
        from_kinetix(_edit(edit), "k.json")
    first = info.value.problems[0]
    assert first.startswith(f"k.json: {path}: ") and words in first, first


def test_inactive_entries_are_not_checked():
    doc = _gadget_doc()
    doc["env_state"]["polygon"].append(None)  # wrong length is still reported ...
    with pytest.raises(LevelError, match="has 8 entries"):
        from_kinetix(doc)
    doc = _gadget_doc()
    doc["env_state"]["joint"].append({"active": False, "junk": True})
    doc["static_env_params"]["num_joints"] = 4
    assert int(np.sum(from_kinetix(doc).joint.active)) == 3  # ... but inactive slots may hold anything


def test_missing_top_level_keys():
    with pytest.raises(LevelError, match=r"k\.json: \$\.static_env_params: missing field"):
        from_kinetix({"env_state": {}, "env_params": {}}, "k.json")
