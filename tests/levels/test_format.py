"""The Impetus level format: contents, determinism, one-line validation errors, and io."""

import json
import math
import textwrap

import numpy as np
import pytest

from impetus.engine import PHYSICS_VERSION, StaticSimParams
from impetus.engine.scenes import KINETIX_SIZES
from impetus.levels import LevelError, empty_level, load_level, load_levels, save_level, stack, to_sim_state
from impetus.levels import format as format_module
from impetus.levels.format import dumps, from_document, loads, short, to_document
from impetus.levels.validate import check_level

from .fixtures import car_doc, level_equal

SRC = "car.json"


def _load(doc):
    return from_document(doc, SRC)


# ---------------------------------------------------------------------------------------------- contents
def test_document_loads_into_the_right_slots():
    lv = _load(car_doc())
    P = lv.static.num_polygons
    assert lv.static == KINETIX_SIZES["m"]
    assert np.asarray(lv.shape.active).tolist() == [True] * 6 + [True, True, True]
    assert np.asarray(lv.shape.role).tolist() == [0, 0, 0, 0, 0, 3, 1, 0, 2]
    assert np.asarray(lv.shape.fixed).tolist() == [True] * 4 + [False, False, False, False, True]
    assert int(lv.polygon_n_vertices[5]) == 3 and int(lv.polygon_n_vertices[4]) == 4
    np.testing.assert_array_equal(lv.polygon_vertices[5, 3], [0.0, 0.0])  # unused vertex slot
    np.testing.assert_allclose(lv.circle_radius, [0.2, 0.2, 0.3])
    np.testing.assert_allclose(lv.shape.velocity[4], [0.5, 0.0])
    np.testing.assert_allclose(lv.gravity, [0.0, -8.5])
    assert int(lv.max_timesteps) == 300
    j = lv.joint
    assert np.asarray(j.body_a).tolist() == [4, 4] and np.asarray(j.body_b).tolist() == [P + 0, 5]
    assert np.asarray(j.is_fixed).tolist() == [False, True]
    assert np.asarray(j.motor_binding).tolist() == [3, 0] and np.asarray(j.motor_auto).tolist() == [True, False]
    np.testing.assert_allclose([j.lower_angle[0], j.upper_angle[0], j.reference_angle[0]], [-0.5, 0.75, 0.05])
    t = lv.thruster
    assert np.asarray(t.body).tolist() == [4, P + 1] and np.asarray(t.binding).tolist() == [1, 0]
    np.testing.assert_allclose(t.power, [0.75, 1.0])


def test_defaults_for_a_minimal_shape():
    doc = {"schema_version": 1, "physics_version": 1, "size": "s",
           "shapes": [{"id": "p0", "position": [2.5, 0.0], "fixed": True,
                       "vertices": [[-1, -0.2], [1, -0.2], [1, 0.2], [-1, 0.2]]},
                      {"id": "c1", "position": [1.0, 1.0], "radius": 0.5}]}
    lv = _load(doc)
    i = lv.static.num_polygons + 1
    assert bool(lv.shape.active[i]) and not bool(lv.shape.active[lv.static.num_polygons])
    assert (float(lv.shape.density[i]), float(lv.shape.friction[i]), float(lv.shape.restitution[i])) == (1, 1, 0)
    assert (int(lv.shape.collision_mode[i]), int(lv.shape.role[i]), bool(lv.shape.fixed[i])) == (1, 0, False)
    np.testing.assert_allclose(lv.gravity, [0.0, -9.81])
    assert int(lv.max_timesteps) == 256 and not np.any(lv.joint.active) and not np.any(lv.thruster.active)


def test_writer_output_is_readable_and_minimal():
    text = dumps(_load(car_doc()))
    doc = json.loads(text)
    assert list(doc) == ["schema_version", "physics_version", "size", "gravity", "max_timesteps", "shapes", "joints",
                         "thrusters"]
    assert doc["physics_version"] == PHYSICS_VERSION and doc["size"] == "m" and doc["gravity"] == [0.0, -8.5]
    shapes = {s["id"]: s for s in doc["shapes"]}
    assert "velocity" in shapes["p4"] and "velocity" not in shapes["c0"]  # zero velocity is omitted
    assert shapes["p5"]["role"] == "red" and shapes["c2"]["fixed"] is True
    assert doc["joints"][1] == {"a": "p4", "b": "p5", "type": "fixed", "anchor_a": [0.5, 0.2],
                                "anchor_b": [0.0, -0.1], "reference_angle": 0.0}
    assert doc["joints"][0]["motor"] == {"on": True, "speed": 2.0, "power": 1.5, "binding": 3, "auto": True}
    assert doc["joints"][0]["limits"] == [-0.5, 0.75]
    assert '"vertices": [[0.0, 0.0], [1.0, 0.0], [1.0, 0.2], [0.0, 0.2]]' in text  # short numbers, one line
    assert text.endswith("}\n") and "  " in text


def test_save_load_save_is_byte_identical_and_level_equal():
    lv = _load(car_doc())
    text = dumps(lv)
    again = loads(text, SRC)
    assert level_equal(lv, again)
    assert dumps(again) == text


def test_custom_size_is_an_object_and_keeps_num_substeps():
    static = StaticSimParams(num_polygons=7, num_circles=1, num_joints=0, num_thrusters=0, max_polygon_vertices=6,
                             num_static_polygons=4, num_substeps=8)
    doc = car_doc()
    doc.update(size={k: getattr(static, k) for k in ("num_polygons", "num_circles", "num_joints", "num_thrusters",
                                                     "max_polygon_vertices", "num_static_polygons", "num_substeps")},
               joints=[], thrusters=[])
    doc["shapes"] = [s for s in doc["shapes"] if s["id"] not in ("c1", "c2")]
    doc["shapes"].append({"id": "p6", "position": [3, 3],
                          "vertices": [[math.cos(a), math.sin(a)] for a in np.linspace(0, 2 * math.pi, 7)[:-1]]})
    lv = _load(doc)
    assert lv.static == static
    out = json.loads(dumps(lv))
    assert out["size"]["num_substeps"] == 8 and out["size"]["max_polygon_vertices"] == 6
    assert [len(s["vertices"]) for s in out["shapes"] if s["id"] == "p6"] == [6]


def test_normalises_what_has_no_effect():
    lv = _load(car_doc())
    j = lv.joint
    lv = lv.replace(joint=j.replace(motor_on=j.motor_on.at[1].set(True), motor_binding=j.motor_binding.at[1].set(2),
                                    lower_angle=j.lower_angle.at[1].set(0.3)))
    again = loads(dumps(lv))
    assert not bool(again.joint.motor_on[1]) and int(again.joint.motor_binding[1]) == 0
    assert float(again.joint.lower_angle[1]) == 0.0


def test_short_floats_round_trip_float32_exactly():
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(size=500) * 10.0 ** rng.integers(-8, 8, 500),
                             [0.1, -9.81, 1 / 3, math.pi, 1e-30, 3.4e38, -0.0]]).astype(np.float32)
    for v in values:
        s = short(v)
        assert np.float32(s) == v and np.float32(json.loads(json.dumps(s))) == v
        assert len(repr(s).lstrip("-").replace(".", "").split("e")[0].strip("0")) <= 9
    assert repr(short(np.float32(0.1))) == "0.1" and repr(short(np.float32(-9.81))) == "-9.81"


# ---------------------------------------------------------------------------------------------- validation
def _set(path, value):
    def edit(doc):
        *head, last = path
        node = doc
        for key in head:
            node = node[key]
        node[last] = value
    return edit


def _delete(path):
    def edit(doc):
        *head, last = path
        node = doc
        for key in head:
            node = node[key]
        del node[last]
    return edit


def _append(key, item):
    return lambda doc: doc[key].append(item)


BAD = [
    ("missing field", _delete(["shapes", 4, "position"]), "$.shapes[4].position", "missing field"),
    ("wrong type", _set(["shapes", 4, "density"], "heavy"), "$.shapes[4].density", "expected a number, got a string"),
    ("bool is not a number", _set(["shapes", 6, "radius"], True), "$.shapes[6].radius", "expected a number"),
    ("typo", _set(["shapes", 4, "frictoin"], 1.0), "$.shapes[4].frictoin", "did you mean 'friction'"),
    ("top-level typo", _set(["gravty"], [0, -9.81]), "$.gravty", "did you mean 'gravity'"),
    ("non-convex", _set(["shapes", 4, "vertices"], [[0, 0], [1, 0], [0.2, 0.2], [0, 1]]), "$.shapes[4].vertices",
     "not strictly convex"),
    ("clockwise", _set(["shapes", 4, "vertices"], [[0, 0], [0, 0.2], [1, 0.2], [1, 0]]), "$.shapes[4].vertices",
     "clockwise"),
    ("too few vertices", _set(["shapes", 5, "vertices"], [[0, 0], [1, 0]]), "$.shapes[5].vertices", "3 to 4"),
    ("too many vertices", _set(["shapes", 5, "vertices"], [[0, 0], [2, 0], [3, 1], [1, 2], [-1, 1]]),
     "$.shapes[5].vertices", "3 to 4 vertices (max_polygon_vertices = 4), got 5"),
    ("zero area", _set(["shapes", 5, "vertices"], [[0, 0], [1, 0], [2, 0]]), "$.shapes[5].vertices", "zero area"),
    ("coincident", _set(["shapes", 5, "vertices"], [[0, 0], [1, 0], [1, 0], [0, 1]]), "$.shapes[5].vertices",
     "coincide"),
    ("bad vertex", _set(["shapes", 5, "vertices", 1], [1, "x"]), "$.shapes[5].vertices[1]", "list of 2 numbers"),
    ("zero radius", _set(["shapes", 6, "radius"], 0.0), "$.shapes[6].radius", "radius must be"),
    ("negative radius", _set(["shapes", 6, "radius"], -0.1), "$.shapes[6].radius", "radius must be"),
    ("nan", _set(["shapes", 4, "position"], [float("nan"), 1.0]), "$.shapes[4].position", "must be finite"),
    ("inf", _set(["shapes", 4, "rotation"], float("inf")), "$.shapes[4].rotation", "must be finite"),
    ("float32 overflow", _set(["joints", 0, "anchor_a"], [1e39, 0.0]), "$.joints[0].anchor_a", "must be finite"),
    ("huge integer", _set(["shapes", 4, "position"], [10**400, 0]), "$.shapes[4].position", "must be finite"),
    ("joint to missing shape", _set(["joints", 0, "b"], "c2x"), "$.joints[0].b", "not a shape reference"),
    ("joint to absent shape", _set(["joints", 0, "b"], "c5"), "$.joints[0].b", "c5 (global index 11), which does not"),
    ("joint to itself", _set(["joints", 0, "b"], "p4"), "$.joints[0].b", "to itself"),
    ("thruster on missing shape", _set(["thrusters", 1, "shape"], "p7"), "$.thrusters[1].shape", "does not exist"),
    ("too many polygons", _set(["shapes", 5, "id"], "p6"), "$.shapes[5].id", "beyond the size (num_polygons = 6)"),
    ("too many joints", _append("joints", {"a": "p4", "b": "c1", "type": "fixed", "anchor_a": [0, 0],
                                           "anchor_b": [0, 0]}), "$.joints", "3 active joints but the size allows 2"),
    ("duplicate id", _set(["shapes", 7, "id"], "c0"), "$.shapes[7].id", "defined twice"),
    ("bad id", _set(["shapes", 7, "id"], "circle1"), "$.shapes[7].id", "'p<k>'"),
    ("circle with vertices", _set(["shapes", 7, "vertices"], [[0, 0], [1, 0], [0, 1]]), "$.shapes[7].vertices",
     "a circle has no 'vertices'"),
    ("bad role", _set(["shapes", 4, "role"], "purple"), "$.shapes[4].role", "neutral, green, blue, red"),
    ("role as number", _set(["shapes", 4, "role"], 1), "$.shapes[4].role", "expected a string"),
    ("bad collision mode", _set(["shapes", 4, "collision_mode"], 3), "$.shapes[4].collision_mode", "0, 1 or 2"),
    ("bad motor binding", _set(["joints", 0, "motor", "binding"], 4), "$.joints[0].motor.binding", "0..3"),
    ("bad thruster binding", _set(["thrusters", 0, "binding"], 2), "$.thrusters[0].binding", "0..1"),
    ("motor typo", _set(["joints", 0, "motor", "spede"], 1.0), "$.joints[0].motor.spede", "did you mean 'speed'"),
    ("fixed joint with motor", _set(["joints", 1, "motor"], {"on": True}), "$.joints[1].motor", "no motor"),
    ("bad joint type", _set(["joints", 1, "type"], "weld"), "$.joints[1].type", "'revolute' or 'fixed'"),
    ("limits reversed", _set(["joints", 0, "limits"], [0.5, -0.5]), "$.joints[0].limits", "lower <= upper"),
    ("static slot movable", _set(["shapes", 1, "fixed"], False), "$.shapes[1].fixed", "static slot"),
    ("zero density", _set(["shapes", 4, "density"], 0.0), "$.shapes[4].density", "density > 0"),
    ("restitution", _set(["shapes", 4, "restitution"], 1.5), "$.shapes[4].restitution", "0..1"),
    ("schema version", _set(["schema_version"], 2), "$.schema_version", "unsupported schema_version 2"),
    ("missing schema version", _delete(["schema_version"]), "$.schema_version", "missing field"),
    ("unknown size", _set(["size"], "xl"), "$.size", "unknown size 'xl'"),
    ("bad size", _set(["size"], {"num_polygons": 2, "num_circles": 1, "num_joints": 0, "num_thrusters": 0,
                                 "max_polygon_vertices": 9, "num_static_polygons": 0}), "$.size",
     "max_polygon_vertices must be in 3..8"),
    ("huge size", _set(["size"], {"num_polygons": 10**9, "num_circles": 1, "num_joints": 0, "num_thrusters": 0,
                                  "max_polygon_vertices": 4, "num_static_polygons": 0}), "$.size.num_polygons",
     "at most 4096"),
    ("max_timesteps", _set(["max_timesteps"], 0), "$.max_timesteps", "must be in 1.."),
    ("shapes not a list", _set(["shapes"], {}), "$.shapes", "expected a list, got an object"),
]


@pytest.mark.parametrize("edit, path, words", [pytest.param(*b[1:], id=b[0]) for b in BAD])
def test_each_problem_is_one_clear_line(edit, path, words):
    doc = car_doc()
    edit(doc)
    with pytest.raises(LevelError) as info:
        _load(doc)
    first = info.value.problems[0]
    assert first.startswith(f"{SRC}: {path}: "), first
    assert words in first, first
    assert all("\n" not in p for p in info.value.problems)
    assert str(info.value).splitlines() == info.value.problems


def test_every_problem_is_collected_in_document_order():
    doc = car_doc()
    doc["shapes"][4]["density"] = "x"
    doc["shapes"][6]["frictoin"] = 1.0
    doc["thrusters"][0]["angle"] = None
    with pytest.raises(LevelError) as info:
        _load(doc)
    paths = [p.split(": ")[1] for p in info.value.problems]
    assert paths == ["$.shapes[4].density", "$.shapes[6].frictoin", "$.thrusters[0].angle"]
    assert info.value.first.endswith("(and 2 more problems)")


def test_the_docstring_example_is_a_valid_level():
    text = format_module.__doc__.split("::", 1)[1].split("\n\n(The writer")[0]
    lv = loads(textwrap.dedent(text), "example")
    assert lv.static.num_polygons == 2 and int(np.sum(lv.shape.active)) == 4 and int(np.sum(lv.joint.active)) == 2
    assert float(lv.shape.velocity[3, 0]) == 0.5 and bool(lv.joint.has_limits[1])


def test_a_missing_field_is_reported_once():
    doc = car_doc()
    del doc["shapes"][4]["position"]
    with pytest.raises(LevelError) as info:
        _load(doc)
    assert info.value.problems == [f"{SRC}: $.shapes[4].position: missing field"]


def test_level_error_is_a_value_error():
    assert issubclass(LevelError, ValueError)


def test_check_level_finds_problems_in_levels_made_in_code():
    lv = _load(car_doc())
    assert check_level(lv) == []
    bad = lv.replace(circle_radius=lv.circle_radius.at[0].set(-1.0),
                     joint=lv.joint.replace(body_b=lv.joint.body_b.at[1].set(4)))
    problems = check_level(bad)
    assert any("shape c0.radius" in p and "radius must be" in p for p in problems)
    assert any("joint 1.b" in p and "to itself" in p for p in problems)
    assert check_level(empty_level(KINETIX_SIZES["s"])) == []


# ---------------------------------------------------------------------------------------------- io
def test_save_and_load_files(tmp_path):
    lv = _load(car_doc())
    path = tmp_path / "car.json"
    save_level(lv, path)
    assert level_equal(load_level(path), lv)
    assert path.read_text() == dumps(lv)
    save_level(lv, path, format="kinetix")
    assert "env_state" in json.loads(path.read_text())
    back = load_level(path)  # recognised by its keys; p4's frame moved to its vertex mean (same body)
    np.testing.assert_allclose(to_sim_state(back).body.position, to_sim_state(lv).body.position, atol=1e-6)
    assert [p.name for p in tmp_path.iterdir()] == ["car.json"]  # no temporary files left


def test_invalid_json_reports_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "schema_version": 1,\n  "size": "s",\n}\n')
    with pytest.raises(LevelError, match=r"^.*broken\.json:4:1: invalid JSON: ") as info:
        load_level(path)
    assert len(str(info.value).splitlines()) == 1


def test_oversized_integer_literal_is_invalid_json(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"schema_version": 1' + "0" * 5000 + "}")
    with pytest.raises(LevelError, match=r"big\.json: invalid JSON: Exceeds the limit"):
        load_level(path)


def test_unreadable_and_unrecognised_files(tmp_path):
    with pytest.raises(LevelError, match=r"nope\.json: cannot read: No such file"):
        load_level(tmp_path / "nope.json")
    other = tmp_path / "other.json"
    other.write_text('{"name": "x"}')
    with pytest.raises(LevelError, match=r"other\.json: \$: not a level file"):
        load_level(other)
    dup = tmp_path / "dup.json"
    dup.write_text('{"schema_version": 1, "schema_version": 1}')
    with pytest.raises(LevelError, match="duplicate key 'schema_version'"):
        load_level(dup)


def test_save_refuses_an_invalid_level_and_writes_nothing(tmp_path):
    lv = _load(car_doc())
    bad = lv.replace(shape=lv.shape.replace(position=lv.shape.position.at[4, 0].set(np.nan)))
    path = tmp_path / "bad.json"
    with pytest.raises(LevelError, match=r"bad\.json: cannot save: level: shape p4\.position: must be finite"):
        save_level(bad, path)
    with pytest.raises(LevelError, match="unknown format"):
        save_level(lv, path, format="yaml")
    with pytest.raises(LevelError, match="expected one level, got a batch of shape"):
        save_level(stack([lv, lv]), path)
    assert not path.exists()


def test_load_pads_to_a_bigger_size_and_refuses_a_smaller_one(tmp_path):
    path = tmp_path / "car.json"
    save_level(_load(car_doc()), path)
    big = load_level(path, static=KINETIX_SIZES["l"])
    assert big.static == KINETIX_SIZES["l"]
    assert np.asarray(big.joint.body_b).tolist()[:1] == [12]  # circle c0 moved with the polygon slots
    with pytest.raises(LevelError, match="does not fit into"):
        load_level(path, static=KINETIX_SIZES["s"])


def test_load_levels_pads_to_the_elementwise_maximum(tmp_path):
    small = tmp_path / "small.json"
    doc = {"schema_version": 1, "physics_version": 1, "size": {"num_polygons": 5, "num_circles": 4, "num_joints": 1,
                                                               "num_thrusters": 0, "max_polygon_vertices": 4,
                                                               "num_static_polygons": 4},
           "shapes": [*car_doc()["shapes"][:4], {"id": "c3", "position": [1, 1], "radius": 0.1}]}
    small.write_text(json.dumps(doc))
    car = tmp_path / "car.json"
    save_level(_load(car_doc()), car)
    batch = load_levels([small, car])
    assert batch.static == StaticSimParams(num_polygons=6, num_circles=4, num_joints=2, num_thrusters=2)
    assert batch.shape.active.shape == (2, 10)
    assert bool(batch.shape.active[0, 9]) and not bool(batch.shape.active[0, 5])
    with pytest.raises(LevelError) as info:
        load_levels([small, tmp_path / "missing.json", tmp_path / "missing2.json"])
    assert len(info.value.problems) == 2


def test_to_document_is_plain_json():
    doc = to_document(_load(car_doc()))
    assert json.loads(json.dumps(doc)) == doc
