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
needs ``max_polygon_vertices`` 4: polygons with more vertices cannot be exported.  ``frame_skip``
is written as 2 and the other parameters as Kinetix's defaults.
"""

import json
import math

import jax.numpy as jnp
import numpy as np

from ..engine import StaticSimParams, collision_matrix
from ._records import JointRec, LevelRec, ShapeRec, ThrusterRec, assemble, disassemble, global_index, ref_of
from .level import Level
from .validate import LevelError, Reader, check_records, make_static, validate_level

KINETIX_KEYS = ("env_state", "env_params", "static_env_params")
KINETIX_VERTICES = 4
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
ENV_PARAMS = {"dt": 1 / 60, "slop": 0.01, "baumgarte_coefficient_joints_v": 2.0, "baumgarte_coefficient_joints_p": 0.7,
              "baumgarte_coefficient_fjoint_av": 2.0, "baumgarte_coefficient_rjoint_limit_av": 5.0,
              "baumgarte_coefficient_collision": 0.2, "joint_stiffness": 0.6, "clip_position": 15,
              "clip_velocity": 100, "clip_angular_velocity": 50, "base_motor_speed": 6.0, "base_motor_power": 900.0,
              "base_thruster_power": 10.0, "motor_decay_coefficient": 0.1, "motor_joint_limit": 0.1,
              "base_friction": 0.4, "max_timesteps": 256, "pixels_per_unit": 100, "dense_reward_scale": 0.1,
              "num_shape_roles": 4}


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


# ---------------------------------------------------------------------------------------------- export
def _k(x) -> float:
    """A float32 value as Kinetix writes it (the exact double of the float32)."""
    return float(np.float32(x))


def _kvec(v) -> dict:
    return {"0": _k(v[0]), "1": _k(v[1])}


def to_kinetix(level: Level) -> dict:
    """``level`` as a Kinetix document (see the module docstring); :class:`LevelError` if it cannot be."""
    validate_level(level)
    rec = disassemble(level)
    static = rec.static
    for sh in rec.shapes:
        if sh.vertices is not None and len(sh.vertices) > KINETIX_VERTICES:
            raise LevelError(f"level: shape {sh.ref}: Kinetix polygons have at most {KINETIX_VERTICES} vertices "
                             f"(this one has {len(sh.vertices)})")
    _recentre(rec)
    shapes = {sh.ref: sh for sh in rec.shapes}
    P, C = static.num_polygons, static.num_circles
    pose = {global_index(sh.ref, static): (sh.position, sh.rotation) for sh in rec.shapes}
    state = {"polygon": [_body_doc(shapes.get(f"p{i}"), True) for i in range(P)],
             "circle": [_body_doc(shapes.get(f"c{k}"), False) for k in range(C)],
             "joint": [_joint_doc(rec.joints[j] if j < len(rec.joints) else None, static, pose)
                       for j in range(static.num_joints)],
             "thruster": [_thruster_doc(rec.thrusters[t] if t < len(rec.thrusters) else None, static, pose)
                          for t in range(static.num_thrusters)],
             "collision_matrix": _collision_doc(rec), **_manifolds(static), "gravity": _kvec(rec.gravity)}
    env = dict(ENV_PARAMS, max_timesteps=rec.max_timesteps)
    static_doc = {"num_polygons": P, "num_circles": C, "num_joints": static.num_joints,
                  "num_thrusters": static.num_thrusters, "max_polygon_vertices": KINETIX_VERTICES,
                  "num_solver_iterations": 10, "solver_batch_size": 16, "do_warm_starting": True,
                  "num_static_fixated_polys": static.num_static_polygons, "screen_dim": {"0": 500, "1": 500},
                  "downscale": 4, "frame_skip": 2, "max_shape_size": 2, "num_motor_bindings": 4,
                  "num_thruster_bindings": 2}
    return {"env_state": state, "env_params": env, "static_env_params": static_doc}


def dumps_kinetix(level: Level) -> str:
    """``level`` as the text of a Kinetix level file (compact, like Kinetix writes it)."""
    return json.dumps(to_kinetix(level))


def _recentre(rec: LevelRec) -> None:
    """Move movable polygons' frames to their vertex mean (Jax2D's centre), anchors with them."""
    for sh in rec.shapes:
        if sh.vertices is None or sh.fixed:
            continue
        m = np.mean(np.asarray(sh.vertices, np.float64), axis=0)
        if np.hypot(*m) <= 1e-6:
            continue
        c, s = math.cos(sh.rotation), math.sin(sh.rotation)
        arm = (c * m[0] - s * m[1], s * m[0] + c * m[1])
        sh.position = (sh.position[0] + arm[0], sh.position[1] + arm[1])
        w = sh.angular_velocity
        sh.velocity = (sh.velocity[0] - w * arm[1], sh.velocity[1] + w * arm[0])
        sh.vertices = [(x - m[0], y - m[1]) for x, y in sh.vertices]
        for jr in rec.joints:
            if jr.a == sh.ref:
                jr.anchor_a = (jr.anchor_a[0] - m[0], jr.anchor_a[1] - m[1])
            if jr.b == sh.ref:
                jr.anchor_b = (jr.anchor_b[0] - m[0], jr.anchor_b[1] - m[1])
        for tr in rec.thrusters:
            if tr.shape == sh.ref:
                tr.anchor = (tr.anchor[0] - m[0], tr.anchor[1] - m[1])


def jax2d_inverse_mass(sh: ShapeRec, table: np.ndarray | None = None) -> tuple[float, float]:
    """Inverse mass [1/kg] and inverse inertia [1/(kg m^2)] as Jax2D computes them (0, 0 if fixed).

    ``table``: the polygon's (4, 2) clockwise vertex slots about its position (zero padded)."""
    if sh.fixed:
        return 0.0, 0.0
    rho = np.float32(sh.density)
    if table is None:
        r = np.float32(sh.radius)
        mass, inertia = r * r * np.float32(math.pi) * rho, np.float32(math.pi) * r**4 / 4 * rho
    else:
        v, n = table.astype(np.float32), len(sh.vertices)
        mass = np.float32(sum(_triangle_area(v[0], v[k + 1], v[k + 2]) for k in range(n - 2))) * rho
        inertia = np.float32(sum(_edge_inertia(v[(i + 1) % len(v)], v[i]) for i in range(n))) * rho
    return float(1 / (mass if mass != 0 else 1)), float(1 / (inertia if inertia != 0 else 1))


def _triangle_area(a, b, c) -> np.float32:
    width = np.linalg.norm(b - a)
    t = (b - a) / (width if width != 0 else 1)
    foot = a + np.dot(c - a, t) * t
    return width * np.linalg.norm(c - foot) / 2


def _edge_inertia(p1, p2) -> np.float32:
    d = p1[0] * p2[1] - p1[1] * p2[0]
    ix = p1[0] * p1[0] + p2[0] * p1[0] + p2[0] * p2[0]
    iy = p1[1] * p1[1] + p2[1] * p1[1] + p2[1] * p2[1]
    return abs(np.float32(0.25) * d / 3 * (ix + iy))


def _body_doc(sh: ShapeRec | None, polygon: bool) -> dict:
    table = np.zeros((KINETIX_VERTICES, 2), np.float32)
    if sh is None:
        sh = ShapeRec(ref="", position=(0.0, 0.0))
        active, n, inv = False, KINETIX_VERTICES if polygon else 0, (0.0, 0.0)
    else:
        active, n = True, len(sh.vertices) if polygon else 0
        if polygon:
            table[:n] = sh.vertices[::-1]  # records: counter-clockwise; Jax2D: clockwise
        inv = jax2d_inverse_mass(sh, table if polygon else None)
    return {"position": _kvec(sh.position), "rotation": _k(sh.rotation), "velocity": _kvec(sh.velocity),
            "angular_velocity": _k(sh.angular_velocity), "inverse_mass": _k(inv[0]), "inverse_inertia": _k(inv[1]),
            "friction": _k(sh.friction), "restitution": _k(sh.restitution), "collision_mode": sh.collision_mode,
            "active": active, "n_vertices": n, "vertices": {str(k): _kvec(v) for k, v in enumerate(table)},
            "radius": _k(sh.radius or 0.0), "role": sh.role, "density": _k(sh.density), "highlighted": False}


def _world(pose: dict, index: int, anchor) -> dict:
    (x, y), a = pose.get(index, ((0.0, 0.0), 0.0))
    c, s = math.cos(a), math.sin(a)
    return _kvec((x + c * anchor[0] - s * anchor[1], y + s * anchor[0] + c * anchor[1]))


def _joint_doc(jr: JointRec | None, static, pose: dict) -> dict:
    active = jr is not None
    jr = jr or JointRec(a="p0", b="p0", anchor_a=(0.0, 0.0), anchor_b=(0.0, 0.0))
    a, b = global_index(jr.a, static), global_index(jr.b, static)
    return {"a_index": a, "b_index": b, "a_relative_pos": _kvec(jr.anchor_a), "b_relative_pos": _kvec(jr.anchor_b),
            "global_position": _world(pose, a, jr.anchor_a), "active": active, "acc_impulse": {"0": 0.0, "1": 0.0},
            "acc_r_impulse": 0.0, "motor_speed": _k(jr.motor_speed), "motor_power": _k(jr.motor_power),
            "motor_on": jr.motor_on, "motor_has_joint_limits": jr.has_limits, "min_rotation": _k(jr.lower),
            "max_rotation": _k(jr.upper), "is_fixed_joint": jr.is_fixed, "rotation": _k(jr.reference_angle),
            "motor_binding": jr.motor_binding}


def _thruster_doc(tr: ThrusterRec | None, static, pose: dict) -> dict:
    active = tr is not None
    tr = tr or ThrusterRec(shape="p0", anchor=(0.0, 0.0))
    i = global_index(tr.shape, static)
    return {"object_index": i, "relative_position": _kvec(tr.anchor), "rotation": _k(tr.angle),
            "power": _k(tr.power), "global_position": _world(pose, i, tr.anchor), "active": active,
            "thruster_binding": tr.binding}


def _collision_doc(rec: LevelRec) -> dict:
    static = rec.static
    J = max(len(rec.joints), 1)
    a, b = np.zeros(J, np.int32), np.zeros(J, np.int32)
    active = np.zeros(J, bool)
    for j, jr in enumerate(rec.joints):
        a[j], b[j], active[j] = global_index(jr.a, static), global_index(jr.b, static), True
    m = np.asarray(collision_matrix(jnp.asarray(a), jnp.asarray(b), jnp.asarray(active), static.num_bodies))
    return {str(i): {str(j): bool(x) for j, x in enumerate(row)} for i, row in enumerate(m)}


def _manifolds(static: StaticSimParams) -> dict:
    P, C, S = static.num_polygons, static.num_circles, static.num_static_polygons
    empty = {"normal": {"0": 0.0, "1": 0.0}, "penetration": 0.0, "collision_point": {"0": 0.0, "1": 0.0},
             "active": False, "acc_impulse_normal": 0.0, "acc_impulse_tangent": 0.0,
             "restitution_velocity_target": 0.0}
    nrr = P * (P - 1) // 2 - S * (S - 1) // 2
    counts = {"acc_rr_manifolds": 2 * nrr, "acc_cr_manifolds": C * P, "acc_cc_manifolds": C * (C - 1) // 2}
    return {key: [dict(empty) for _ in range(n)] for key, n in counts.items()}
