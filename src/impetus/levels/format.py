"""The Impetus level file format (JSON, ``schema_version`` 1).

A file holds only what an author sets; masses, inertias, centres of mass and the collision
matrix are recomputed on load (``to_sim_state``).  Only active slots are stored, as lists of
objects.  Units: metres, radians, seconds, kg/m^2.  Example (a car; the floor and walls are
shortened to one fixed slab, ``p0``; a polygon's ``position`` is its frame origin and ``vertices``
are given about it, counter-clockwise)::

    {
      "schema_version": 1,
      "physics_version": 1,
      "size": {"num_polygons": 2, "num_circles": 2, "num_joints": 2, "num_thrusters": 1,
               "max_polygon_vertices": 4, "num_static_polygons": 1},
      "gravity": [0.0, -9.81],
      "max_timesteps": 256,
      "shapes": [
        {"id": "p0", "role": "red", "fixed": true, "position": [2.5, 0.0],
         "vertices": [[-2.5, -0.4], [2.5, -0.4], [2.5, 0.4], [-2.5, 0.4]], "collision_mode": 2},
        {"id": "p1", "position": [1.5, 1.0], "vertices": [[-0.5, -0.1], [0.5, -0.1], [0.5, 0.1], [-0.5, 0.1]],
         "density": 1.0, "friction": 1.0},
        {"id": "c0", "role": "green", "position": [1.1, 0.75], "radius": 0.2},
        {"id": "c1", "position": [1.9, 0.75], "radius": 0.2, "velocity": [0.5, 0.0]}
      ],
      "joints": [
        {"a": "p1", "b": "c0", "type": "revolute", "anchor_a": [-0.4, -0.25], "anchor_b": [0.0, 0.0],
         "motor": {"on": true, "speed": 1.0, "power": 1.0, "binding": 0, "auto": false}},
        {"a": "p1", "b": "c1", "type": "revolute", "anchor_a": [0.4, -0.25], "anchor_b": [0.0, 0.0],
         "reference_angle": 0.0, "limits": [-0.5, 0.5]}
      ],
      "thrusters": [{"shape": "p1", "anchor": [0.0, 0.1], "angle": 1.5707964, "power": 1.0, "binding": 1}]
    }

(The writer puts each key of a shape or joint on its own line.)

Fields
  ``size``: ``"s"``/``"m"``/``"l"`` (``engine.scenes.KINETIX_SIZES``) or an object with
  ``num_polygons, num_circles, num_joints, num_thrusters, max_polygon_vertices,
  num_static_polygons`` (and ``num_substeps`` when not 4).
  Shape ``id``: ``"p<k>"`` is polygon slot ``k`` (global index ``k``), ``"c<k>"`` circle slot ``k``
  (global index ``num_polygons + k``); joints (``a``, ``b``) and thrusters (``shape``) refer to
  shapes by id.  Polygon slots below ``num_static_polygons`` are static scenery and must be fixed.
  Shape keys other than ``id``, ``position`` and ``vertices``/``radius`` are optional with the
  defaults role ``"neutral"`` (else ``"green"``, ``"blue"``, ``"red"``), fixed false, rotation 0,
  density 1, friction 1, restitution 0, collision_mode 1, velocity [0, 0], angular_velocity 0;
  the writer omits only a zero velocity / angular velocity.
  Joint ``type`` is ``"revolute"`` or ``"fixed"``; ``reference_angle`` (default 0) is the rest value
  of ``rotation_b - rotation_a``; ``limits`` ``[lower, upper]`` bound ``rotation_b - rotation_a -
  reference_angle``; ``motor`` (revolute only) defaults to off, speed 1, power 1, binding 0
  (0..3), auto false.  Thruster ``angle`` is relative to the shape; ``power`` defaults to 1 and
  ``binding`` (0..1) to 0.  ``gravity`` defaults to [0, -9.81], ``max_timesteps`` to 256.
  ``physics_version`` records the engine version the level was saved with (never rejected).

Output is deterministic: fixed key order, two-space indentation, numbers as the shortest
decimal that reads back as the same float32, so save -> load -> save is byte-identical.
"""

import json

import numpy as np

from ..engine import PHYSICS_VERSION, StaticSimParams
from ..engine.scenes import KINETIX_SIZES
from ._records import JointRec, LevelRec, ShapeRec, ThrusterRec, assemble, disassemble, parse_ref
from .level import Level
from .validate import ROLE_NAMES, LevelError, Reader, check_records, f32, make_static, validate_level

SCHEMA_VERSION = 1
SIZE_FIELDS = ("num_polygons", "num_circles", "num_joints", "num_thrusters", "max_polygon_vertices",
               "num_static_polygons")
_TOP = (("schema_version", "physics_version", "size", "shapes"), ("gravity", "max_timesteps", "joints", "thrusters"))
_SHAPE = (("id", "position"), ("role", "fixed", "rotation", "vertices", "radius", "density", "friction",
                               "restitution", "collision_mode", "velocity", "angular_velocity"))
_JOINT = (("a", "b", "type", "anchor_a", "anchor_b"), ("reference_angle", "motor", "limits"))
_MOTOR = ((), ("on", "speed", "power", "binding", "auto"))
_THRUSTER = (("shape", "anchor", "angle"), ("power", "binding"))
_JOINT_NAMES = {"is_fixed": "type", "motor_on": "motor.on", "motor_speed": "motor.speed", "motor_power": "motor.power",
                "motor_binding": "motor.binding", "motor_auto": "motor.auto", "has_limits": "limits",
                "lower": "limits", "upper": "limits"}


# ---------------------------------------------------------------------------------------------- reading
def from_document(doc, source: str = "<level>") -> Level:
    """The :class:`Level` of a parsed JSON document; :class:`LevelError` lists every problem."""
    return assemble(parse_document(doc, source))


def loads(text: str, source: str = "<level>") -> Level:
    """The :class:`Level` of a JSON string in this format."""
    from .io import parse_json

    return from_document(parse_json(text, source), source)


def parse_document(doc, source: str) -> LevelRec:
    """Check ``doc`` (structure, then values) and return its records."""
    r = Reader(source)
    top = r.obj(doc, "$", *_TOP)
    if top is None:
        r.raise_if_any()
    version = top.get("schema_version")
    if "schema_version" in top and (not isinstance(version, int) or isinstance(version, bool)
                                    or version != SCHEMA_VERSION):
        raise LevelError(f"{source}: $.schema_version: unsupported schema_version {version!r} "
                         f"(this Impetus reads {SCHEMA_VERSION})")
    physics = r.get(top, "physics_version", "$", "integer")
    if physics is not None and physics < 1:
        r.add("$.physics_version", f"must be an integer >= 1 (got {physics})")
    static = _size(r, top.get("size"), "$.size") if "size" in top else None
    gravity = r.get(top, "gravity", "$", "vec2", default=(0.0, f32(-9.81)))
    max_timesteps = r.get(top, "max_timesteps", "$", "integer", default=256)
    shapes = _items(r, top, "shapes", _shape)
    joints = _items(r, top, "joints", _joint)
    thrusters = _items(r, top, "thrusters", _thruster)
    r.raise_if_any()
    rec = LevelRec(static=static, shapes=shapes, joints=joints, thrusters=thrusters, gravity=gravity,
                   max_timesteps=max_timesteps, paths={"gravity": "$.gravity", "max_timesteps": "$.max_timesteps",
                                                       "joints": "$.joints", "thrusters": "$.thrusters"})
    check_records(r, rec)
    r.raise_if_any()
    return rec


def _items(r: Reader, top: dict, key: str, parse) -> list:
    items = r.get(top, key, "$", "list", default=[])
    return [parse(r, item, f"$.{key}[{i}]") for i, item in enumerate(items or [])]


def _size(r: Reader, value, path: str) -> StaticSimParams | None:
    if isinstance(value, str):
        if value not in KINETIX_SIZES:
            r.add(path, f"unknown size {value!r}; expected 's', 'm', 'l' or an object of capacities")
            return None
        return KINETIX_SIZES[value]
    d = r.obj(value, path, SIZE_FIELDS, ("num_substeps",))
    if d is None:
        return None
    values = {k: r.get(d, k, path, "integer") for k in SIZE_FIELDS if k in d}
    if "num_substeps" in d:
        values["num_substeps"] = r.get(d, "num_substeps", path, "integer")
    if len(values) < len(SIZE_FIELDS) or None in values.values():
        return None
    return make_static(r, path, values)


def _shape(r: Reader, value, path: str) -> ShapeRec | None:
    before = len(r.problems)
    d = r.obj(value, path, *_SHAPE)
    if d is None:
        return None
    ref = r.get(d, "id", path, "string")
    kind = parse_ref(ref)[0] if ref is not None and parse_ref(ref) else None
    if ref is not None and kind is None:
        r.add(f"{path}.id", f"id must be 'p<k>' (polygon slot k) or 'c<k>' (circle slot k), got {ref!r}")
    geometry = {"p": ("vertices", "radius", "a polygon"), "c": ("radius", "vertices", "a circle")}.get(kind)
    if geometry:
        need, forbid, what = geometry
        if need not in d:
            r.add(f"{path}.{need}", f"missing field ({what} needs {need!r})")
        if forbid in d:
            r.add(f"{path}.{forbid}", f"{what} has no {forbid!r} (id {ref})")
    role = r.get(d, "role", path, "string", default="neutral")
    if role is not None and role not in ROLE_NAMES:
        r.add(f"{path}.role", f"role must be one of {', '.join(ROLE_NAMES)} (got {role!r})")
    rec = ShapeRec(ref=ref, position=r.get(d, "position", path, "vec2"),
                   rotation=r.get(d, "rotation", path, "number", 0.0),
                   velocity=r.get(d, "velocity", path, "vec2", (0.0, 0.0)),
                   angular_velocity=r.get(d, "angular_velocity", path, "number", 0.0),
                   density=r.get(d, "density", path, "number", 1.0), friction=r.get(d, "friction", path, "number", 1.0),
                   restitution=r.get(d, "restitution", path, "number", 0.0),
                   collision_mode=r.get(d, "collision_mode", path, "integer", 1),
                   role=ROLE_NAMES.index(role) if role in ROLE_NAMES else 0,
                   fixed=r.get(d, "fixed", path, "boolean", False), path=path, names={"ref": "id"})
    if kind == "p" and "vertices" in d:
        rec.vertices = _vertices(r, d["vertices"], f"{path}.vertices")
    if kind == "c" and "radius" in d:
        rec.radius = r.get(d, "radius", path, "number")
    return rec if len(r.problems) == before else None


def _vertices(r: Reader, value, path: str) -> list | None:
    if not isinstance(value, list):
        r.add(path, "expected a list of [x, y] pairs")
        return None
    verts = [r.value(v, f"{path}[{k}]", "vec2") for k, v in enumerate(value)]
    return None if None in verts else verts


def _joint(r: Reader, value, path: str) -> JointRec | None:
    before = len(r.problems)
    d = r.obj(value, path, *_JOINT)
    if d is None:
        return None
    kind = r.get(d, "type", path, "string")
    if kind is not None and kind not in ("revolute", "fixed"):
        r.add(f"{path}.type", f"joint type must be 'revolute' or 'fixed' (got {kind!r})")
    rec = JointRec(a=r.get(d, "a", path, "string"), b=r.get(d, "b", path, "string"),
                   anchor_a=r.get(d, "anchor_a", path, "vec2"), anchor_b=r.get(d, "anchor_b", path, "vec2"),
                   reference_angle=r.get(d, "reference_angle", path, "number", 0.0), is_fixed=kind == "fixed",
                   path=path, names=_JOINT_NAMES)
    for key in ("motor", "limits"):
        if kind == "fixed" and key in d:
            r.add(f"{path}.{key}", f"a fixed joint has no {key}")
    motor = r.obj(d["motor"], f"{path}.motor", *_MOTOR) if "motor" in d else {}
    if motor is not None:
        mp = f"{path}.motor"
        rec.motor_on = r.get(motor, "on", mp, "boolean", False)
        rec.motor_speed = r.get(motor, "speed", mp, "number", 1.0)
        rec.motor_power = r.get(motor, "power", mp, "number", 1.0)
        rec.motor_binding = r.get(motor, "binding", mp, "integer", 0)
        rec.motor_auto = r.get(motor, "auto", mp, "boolean", False)
    if "limits" in d:
        limits = r.get(d, "limits", path, "vec2")
        if limits is not None:
            rec.has_limits, (rec.lower, rec.upper) = True, limits
    return rec if len(r.problems) == before else None


def _thruster(r: Reader, value, path: str) -> ThrusterRec | None:
    before = len(r.problems)
    d = r.obj(value, path, *_THRUSTER)
    if d is None:
        return None
    rec = ThrusterRec(shape=r.get(d, "shape", path, "string"), anchor=r.get(d, "anchor", path, "vec2"),
                      angle=r.get(d, "angle", path, "number"), power=r.get(d, "power", path, "number", 1.0),
                      binding=r.get(d, "binding", path, "integer", 0), path=path)
    return rec if len(r.problems) == before else None


# ---------------------------------------------------------------------------------------------- writing
def short(x: float) -> float:
    """The float32 value of ``x`` as the Python float with the shortest repr that reads back as it."""
    v = np.float32(x)
    s = float(str(v))  # numpy prints the shortest decimal that round-trips float32
    return s if np.float32(s) == v else float(v)


def _vec(v) -> list[float]:
    return [short(v[0]), short(v[1])]


def size_document(static: StaticSimParams) -> str | dict:
    """``"s"``/``"m"``/``"l"`` when ``static`` is a Kinetix size, else an object of capacities."""
    for name, params in KINETIX_SIZES.items():
        if static == params:
            return name
    doc = {k: getattr(static, k) for k in SIZE_FIELDS}
    if static.num_substeps != StaticSimParams.num_substeps:
        doc["num_substeps"] = static.num_substeps
    return doc


def to_document(level: Level) -> dict:
    """``level`` as a JSON-ready document (validated first: :class:`LevelError` if invalid)."""
    validate_level(level)
    rec = disassemble(level)
    return {"schema_version": SCHEMA_VERSION, "physics_version": PHYSICS_VERSION,
            "size": size_document(rec.static), "gravity": _vec(rec.gravity), "max_timesteps": rec.max_timesteps,
            "shapes": [_shape_doc(s) for s in rec.shapes], "joints": [_joint_doc(j) for j in rec.joints],
            "thrusters": [{"shape": t.shape, "anchor": _vec(t.anchor), "angle": short(t.angle),
                           "power": short(t.power), "binding": t.binding} for t in rec.thrusters]}


def _shape_doc(s: ShapeRec) -> dict:
    d = {"id": s.ref, "role": ROLE_NAMES[s.role], "fixed": s.fixed, "position": _vec(s.position),
         "rotation": short(s.rotation)}
    if s.vertices is not None:
        d["vertices"] = [_vec(v) for v in s.vertices]
    else:
        d["radius"] = short(s.radius)
    d.update(density=short(s.density), friction=short(s.friction), restitution=short(s.restitution),
             collision_mode=s.collision_mode)
    if any(s.velocity):
        d["velocity"] = _vec(s.velocity)
    if s.angular_velocity:
        d["angular_velocity"] = short(s.angular_velocity)
    return d


def _joint_doc(j: JointRec) -> dict:
    d = {"a": j.a, "b": j.b, "type": "fixed" if j.is_fixed else "revolute", "anchor_a": _vec(j.anchor_a),
         "anchor_b": _vec(j.anchor_b), "reference_angle": short(j.reference_angle)}
    if not j.is_fixed:
        d["motor"] = {"on": j.motor_on, "speed": short(j.motor_speed), "power": short(j.motor_power),
                      "binding": j.motor_binding, "auto": j.motor_auto}
        if j.has_limits:
            d["limits"] = [short(j.lower), short(j.upper)]
    return d


def dumps(level: Level) -> str:
    """``level`` as the text of an Impetus level file (deterministic; ends with a newline)."""
    return render(to_document(level)) + "\n"


def render(value, indent: int = 0) -> str:
    """JSON text: objects of plain values and lists without objects on one line, the rest indented."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        if all(not isinstance(v, dict | list) for v in value.values()):
            return "{" + ", ".join(f"{json.dumps(k)}: {render(v)}" for k, v in value.items()) + "}"
        items = [f"{inner}{json.dumps(k)}: {render(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not any(isinstance(v, dict) for v in value):
            return "[" + ", ".join(render(v) for v in value) + "]"
        return "[\n" + ",\n".join(inner + render(v, indent + 1) for v in value) + "\n" + pad + "]"
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value)
