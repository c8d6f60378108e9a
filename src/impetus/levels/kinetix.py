"""Kinetix level files: import and export (the JSON of Kinetix's ``export_env_state_to_json``).

A Kinetix file is recognised by its top-level keys ``env_state``, ``env_params`` and
``static_env_params``.  Arrays are objects keyed ``"0"``, ``"1"``, ... (plain lists are accepted
too); ``env_state.polygon``/``circle``/``joint``/``thruster`` hold every slot, active or not.

Mapping (Kinetix -> ``Level``)
  * Slots keep their global indices (polygons first, then circles); inactive slots are dropped.
  * A polygon's ``position`` and ``vertices`` are kept as they are (Jax2D's position is the vertex
    mean; ours is the shape-frame origin, and ``to_sim_state`` moves the body to the area
    centroid).  Jax2D lists vertices clockwise; we store them counter-clockwise (order reversed).
  * ``inverse_mass == 0`` means fixed; otherwise masses come from ``density``.
  * ``role``, ``density``, ``friction``, ``restitution``, ``collision_mode``, velocities: as stored.
  * Joints: ``a_relative_pos``/``b_relative_pos`` -> anchors (shape frames, about the stored
    positions); ``rotation`` -> ``reference_angle``; ``min_rotation``/``max_rotation`` ->
    ``lower_angle``/``upper_angle``: Jax2D limits ``rotation_b - rotation_a - rotation``, exactly as
    our engine limits ``rotation_b - rotation_a - reference_angle``; ``is_fixed_joint``,
    ``motor_*``, ``motor_binding`` as stored.
  * Thrusters: ``relative_position`` -> anchor, ``rotation`` -> angle, ``power``,
    ``thruster_binding``.
  * ``static_env_params`` -> capacities (``num_static_fixated_polys`` -> ``num_static_polygons``).

Deliberate differences from upstream Kinetix
  1. The file's ``gravity`` is honoured (upstream ignores it and uses (0, -9.81)).
  2. ``env_params.max_timesteps`` is taken from the file (upstream forces 256 on load).
  3. Stored ``inverse_mass``/``inverse_inertia`` are not used except to mark fixed shapes
     (``inverse_mass == 0``); masses are recomputed from densities with the textbook formulas
     (area-centroid polygons, disc inertia m r^2 / 2).  A shape with exactly one of the two
     inverses zero (non-rotating, or spinning in place) is rejected: a ``Level`` cannot hold it.
  4. Other ``env_params`` (solver constants, reward scale) and ``static_env_params`` (frame skip,
     screen, solver iterations) are ignored: they are not part of a ``Level``.
  5. Collision matrix, cached ``global_position``, warm-start impulses and manifolds are ignored
     (recomputed or reset).
  6. Values that have no effect are normalised: a fixed joint gets the default motor (off,
     speed 1, power 1, binding 0) and a joint without limits gets limits (0, 0).  Kinetix masks
     both out of its observations and physics.
  7. ``motor_auto`` is not in the Kinetix schema: imported as false, dropped on export.
  8. Bindings must be 0..3 (motors) and 0..1 (thrusters) whatever ``num_motor_bindings`` says.

Export writes every key Kinetix writes, in its order.  ``inverse_mass`` and ``inverse_inertia``
are computed exactly as Jax2D's ``recalculate_mass_and_inertia`` would (vertex-mean centre,
fan-triangle areas, its polygon inertia sum that wraps modulo 4 vertex slots, disc inertia
pi r^4 rho / 4), because Kinetix does not recompute them when it loads a file.  A movable
polygon whose vertex mean is more than 1e-6 m from its position is re-centred on its vertex
mean (position, vertices, velocity and anchors moved together), as Jax2D assumes.  Kinetix
has 4 vertex slots: ``max_polygon_vertices`` is written as 4 (so a level with 3 comes back with 4)
and polygons with more than 4 vertices cannot be exported.  ``frame_skip``
is written as 2 and the other parameters as Kinetix's defaults.
"""

from ..engine import StaticSimParams
from ._kinetix_export import ENV_PARAMS, KINETIX_VERTICES, dumps_kinetix, jax2d_inverse_mass, to_kinetix
from ._records import JointRec, LevelRec, ShapeRec, ThrusterRec, assemble, ref_of
from .level import Level
from .validate import Reader, check_records, make_static

__all__ = ["ENV_PARAMS", "KINETIX_KEYS", "KINETIX_VERTICES", "dumps_kinetix", "from_kinetix", "is_kinetix",
           "jax2d_inverse_mass", "parse_kinetix", "to_kinetix"]

KINETIX_KEYS = ("env_state", "env_params", "static_env_params")
_BODY = ("position", "rotation", "velocity", "angular_velocity", "inverse_mass", "inverse_inertia", "friction",
         "restitution", "collision_mode", "active", "role", "density")
_POLYGON = ((*_BODY, "n_vertices", "vertices"), ("highlighted", "radius"))
_CIRCLE = ((*_BODY, "radius"), ("highlighted", "n_vertices", "vertices"))
_JOINT = (("a_index", "b_index", "a_relative_pos", "b_relative_pos", "active", "motor_speed", "motor_power",
           "motor_on", "motor_has_joint_limits", "min_rotation", "max_rotation", "is_fixed_joint", "rotation",
           "motor_binding"), ("global_position", "acc_impulse", "acc_r_impulse"))
_THRUSTER = (("object_index", "relative_position", "rotation", "power", "active", "thruster_binding"),
             ("global_position",))
_STATE = (("polygon", "circle", "joint", "thruster", "gravity"),
          ("collision_matrix", "acc_rr_manifolds", "acc_cr_manifolds", "acc_cc_manifolds"))
_STATIC = ("num_polygons", "num_circles", "num_joints", "num_thrusters", "max_polygon_vertices",
           "num_static_fixated_polys")
_JOINT_NAMES = {"a": "a_index", "b": "b_index", "anchor_a": "a_relative_pos", "anchor_b": "b_relative_pos",
                "reference_angle": "rotation", "is_fixed": "is_fixed_joint", "has_limits": "motor_has_joint_limits",
                "lower": "min_rotation", "upper": "max_rotation"}
_THRUSTER_NAMES = {"shape": "object_index", "anchor": "relative_position", "angle": "rotation",
                   "binding": "thruster_binding"}


def is_kinetix(doc) -> bool:
    """Whether a parsed JSON document looks like a Kinetix level (by its top-level keys)."""
    return isinstance(doc, dict) and any(k in doc for k in KINETIX_KEYS)


# ---------------------------------------------------------------------------------------------- import
def from_kinetix(doc, source: str = "<kinetix>") -> Level:
    """The :class:`Level` of a parsed Kinetix document; :class:`LevelError` lists every problem."""
    return assemble(parse_kinetix(doc, source))


def parse_kinetix(doc, source: str) -> LevelRec:
    """Check a Kinetix document (structure, then values) and return its records."""
    r = Reader(source)
    top = r.obj(doc, "$", KINETIX_KEYS)
    r.raise_if_any()
    static = _static(r, top["static_env_params"], "$.static_env_params")
    env = top["env_params"]
    max_timesteps = r.get(env, "max_timesteps", "$.env_params", "integer") if isinstance(env, dict) else None
    if not isinstance(env, dict):
        r.add("$.env_params", "expected an object")
    state = r.obj(top["env_state"], "$.env_state", *_STATE)
    r.raise_if_any()
    gravity = _vec(r, state["gravity"], "$.env_state.gravity")
    shapes, joints, thrusters = _entries(r, state, static)
    r.raise_if_any()
    rec = LevelRec(static=static, shapes=shapes, joints=joints, thrusters=thrusters, gravity=gravity,
                   max_timesteps=max_timesteps, paths={"gravity": "$.env_state.gravity",
                                                       "max_timesteps": "$.env_params.max_timesteps"})
    check_records(r, rec, clockwise=True)
    r.raise_if_any()
    return rec


def _static(r: Reader, value, path: str) -> StaticSimParams | None:
    if not isinstance(value, dict):
        r.add(path, "expected an object")
        return None
    values = {k: r.get(value, k, path, "integer") for k in _STATIC}
    if None in values.values():
        return None
    values["num_static_polygons"] = values.pop("num_static_fixated_polys")
    return make_static(r, path, values, {"num_static_polygons": "num_static_fixated_polys"})


def _entries(r: Reader, state: dict, static: StaticSimParams):
    lists = {}
    for key, cap in (("polygon", static.num_polygons), ("circle", static.num_circles),
                     ("joint", static.num_joints), ("thruster", static.num_thrusters)):
        items = r.value(state[key], f"$.env_state.{key}", "list")
        if items is not None and len(items) != cap:
            r.add(f"$.env_state.{key}", f"has {len(items)} entries but static_env_params.num_{key}s is {cap}")
            items = None
        lists[key] = items or []
    P = static.num_polygons
    shapes = [_body(r, v, f"$.env_state.polygon[{i}]", f"p{i}", static) for i, v in enumerate(lists["polygon"])]
    shapes += [_body(r, v, f"$.env_state.circle[{k}]", f"c{k}", static) for k, v in enumerate(lists["circle"])]
    joints = [_joint(r, v, f"$.env_state.joint[{j}]", P + static.num_circles, static)
              for j, v in enumerate(lists["joint"])]
    thrusters = [_thruster(r, v, f"$.env_state.thruster[{t}]", static) for t, v in enumerate(lists["thruster"])]
    return [s for s in shapes if s], [j for j in joints if j], [t for t in thrusters if t]


def _active(r: Reader, value, path: str) -> bool:
    """Whether an entry is active (inactive entries are not checked further)."""
    if not isinstance(value, dict):
        r.add(path, "expected an object")
        return False
    if "active" not in value:
        r.add(f"{path}.active", "missing field")
        return False
    return bool(r.value(value["active"], f"{path}.active", "boolean"))


def _vec(r: Reader, value, path: str):
    """A Kinetix vector ({"0": x, "1": y} or [x, y])."""
    if isinstance(value, dict) and set(value) == {"0", "1"}:
        value = [value["0"], value["1"]]
    return r.value(value, path, "vec2")


def _body(r: Reader, value, path: str, ref: str, static: StaticSimParams) -> ShapeRec | None:
    if not _active(r, value, path):
        return None
    before = len(r.problems)
    polygon = ref[0] == "p"
    d = r.obj(value, path, *(_POLYGON if polygon else _CIRCLE))
    if len(r.problems) > before:
        return None
    num = {k: r.get(d, k, path, "number") for k in ("rotation", "angular_velocity", "inverse_mass", "inverse_inertia",
                                                    "friction", "restitution", "density")}
    ints = {k: r.get(d, k, path, "integer") for k in ("collision_mode", "role")}
    plain = {k: num[k] for k in ("rotation", "angular_velocity", "density", "friction", "restitution")}
    rec = ShapeRec(ref=ref, position=_vec(r, d["position"], f"{path}.position"),
                   velocity=_vec(r, d["velocity"], f"{path}.velocity"), fixed=num["inverse_mass"] == 0,
                   path=path, names={"fixed": "inverse_mass"}, **plain, **ints)
    if None not in (num["inverse_mass"], num["inverse_inertia"]) and (
            (num["inverse_mass"] == 0) != (num["inverse_inertia"] == 0) or num["inverse_mass"] < 0):
        r.add(f"{path}.inverse_inertia", "unsupported: inverse_mass and inverse_inertia must both be 0 (fixed) "
                                         f"or both > 0 (got {num['inverse_mass']}, {num['inverse_inertia']})")
    if polygon:
        rec.vertices = _vertices(r, d, path)
    else:
        rec.radius = r.get(d, "radius", path, "number")
    return rec if len(r.problems) == before else None


def _vertices(r: Reader, d: dict, path: str) -> list | None:
    n = r.get(d, "n_vertices", path, "integer")
    table = d["vertices"]
    if isinstance(table, dict):
        table = [table.get(str(k)) for k in range(len(table))]
    if not isinstance(table, list):
        r.add(f"{path}.vertices", "expected an object of vertices keyed '0', '1', ...")
        return None
    if n is None:
        return None
    if not 0 <= n <= len(table):
        r.add(f"{path}.n_vertices", f"n_vertices is {n} but vertices has {len(table)} entries")
        return None
    verts = [_vec(r, v, f"{path}.vertices.{k}") for k, v in enumerate(table[:n])]
    return None if None in verts else verts[::-1]  # Jax2D: clockwise; records: counter-clockwise


def _index(r: Reader, d: dict, key: str, path: str, num_bodies: int, static) -> str | None:
    i = r.get(d, key, path, "integer")
    if i is not None and not 0 <= i < num_bodies:
        r.add(f"{path}.{key}", f"shape index {i} is out of range 0..{num_bodies - 1}")
        return None
    return None if i is None else ref_of(i, static)


def _joint(r: Reader, value, path: str, num_bodies: int, static) -> JointRec | None:
    if not _active(r, value, path):
        return None
    before = len(r.problems)
    d = r.obj(value, path, *_JOINT)
    if len(r.problems) > before:
        return None
    get = {k: r.get(d, k, path, kind) for k, kind in (
        ("rotation", "number"), ("motor_speed", "number"), ("motor_power", "number"), ("min_rotation", "number"),
        ("max_rotation", "number"), ("motor_on", "boolean"), ("motor_has_joint_limits", "boolean"),
        ("is_fixed_joint", "boolean"), ("motor_binding", "integer"))}
    rec = JointRec(a=_index(r, d, "a_index", path, num_bodies, static),
                   b=_index(r, d, "b_index", path, num_bodies, static),
                   anchor_a=_vec(r, d["a_relative_pos"], f"{path}.a_relative_pos"),
                   anchor_b=_vec(r, d["b_relative_pos"], f"{path}.b_relative_pos"),
                   reference_angle=get["rotation"], is_fixed=get["is_fixed_joint"], motor_on=get["motor_on"],
                   motor_speed=get["motor_speed"], motor_power=get["motor_power"], motor_binding=get["motor_binding"],
                   has_limits=get["motor_has_joint_limits"], lower=get["min_rotation"], upper=get["max_rotation"],
                   path=path, names=_JOINT_NAMES)
    return rec if len(r.problems) == before else None


def _thruster(r: Reader, value, path: str, static) -> ThrusterRec | None:
    if not _active(r, value, path):
        return None
    before = len(r.problems)
    d = r.obj(value, path, *_THRUSTER)
    if len(r.problems) > before:
        return None
    rec = ThrusterRec(shape=_index(r, d, "object_index", path, static.num_bodies, static),
                      anchor=_vec(r, d["relative_position"], f"{path}.relative_position"),
                      angle=r.get(d, "rotation", path, "number"), power=r.get(d, "power", path, "number"),
                      binding=r.get(d, "thruster_binding", path, "integer"), path=path, names=_THRUSTER_NAMES)
    return rec if len(r.problems) == before else None
