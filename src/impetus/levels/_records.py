"""Plain-Python records of a level: the common ground of both file formats and ``Level``.

A file is parsed into a :class:`LevelRec` (one record per *active* shape, joint and thruster),
checked (``validate.check_records``) and only then turned into a :class:`Level` by
:func:`assemble`.  Saving goes the other way through :func:`disassemble`.

Shapes are named by a *reference* ``"p<k>"`` (polygon slot ``k``) or ``"c<k>"`` (circle slot
``k``).  Unlike a global index, a reference does not change when a level is padded to more
polygon slots.  Every record remembers ``path`` (the JSON path it came from) and ``names``
(its file's key for each record field), so problems are reported in the file's own terms.
"""

import dataclasses
import re

import jax.numpy as jnp
import numpy as np

from ..engine import StaticSimParams
from .level import Level, empty_level

REF = re.compile(r"^([pc])(0|[1-9][0-9]{0,5})$")


@dataclasses.dataclass
class ShapeRec:
    """One active shape.  Lengths in metres, angles in radians, density in kg/m^2."""

    ref: str
    position: tuple[float, float]  # shape-frame origin, world [m]
    rotation: float = 0.0
    velocity: tuple[float, float] = (0.0, 0.0)  # of the frame origin [m/s]
    angular_velocity: float = 0.0  # [rad/s]
    density: float = 1.0
    friction: float = 1.0
    restitution: float = 0.0
    collision_mode: int = 1
    role: int = 0
    fixed: bool = False
    vertices: list[tuple[float, float]] | None = None  # polygons: shape frame, counter-clockwise
    radius: float | None = None  # circles
    path: str = ""
    names: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class JointRec:
    """One active joint between shapes ``a`` and ``b`` (references); anchors in their frames."""

    a: str
    b: str
    anchor_a: tuple[float, float]
    anchor_b: tuple[float, float]
    reference_angle: float = 0.0  # rest value of rotation_b - rotation_a [rad]
    is_fixed: bool = False
    motor_on: bool = False
    motor_speed: float = 1.0
    motor_power: float = 1.0
    motor_binding: int = 0
    motor_auto: bool = False
    has_limits: bool = False
    lower: float = 0.0  # on rotation_b - rotation_a - reference_angle [rad]
    upper: float = 0.0
    path: str = ""
    names: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ThrusterRec:
    """One active thruster on ``shape`` (a reference)."""

    shape: str
    anchor: tuple[float, float]  # shape frame [m]
    angle: float = 0.0  # thrust direction relative to the shape [rad]
    power: float = 1.0
    binding: int = 0
    path: str = ""
    names: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class LevelRec:
    """A whole level.  ``paths`` maps ``gravity``/``max_timesteps``/``joints``/... to JSON paths."""

    static: StaticSimParams
    shapes: list[ShapeRec]
    joints: list[JointRec]
    thrusters: list[ThrusterRec]
    gravity: tuple[float, float] = (0.0, -9.81)
    max_timesteps: int = 256
    paths: dict = dataclasses.field(default_factory=dict)


def parse_ref(ref: str) -> tuple[str, int] | None:
    """``"p4"`` -> ``("p", 4)``; ``None`` if ``ref`` is not a reference."""
    m = REF.match(ref) if isinstance(ref, str) else None
    return (m.group(1), int(m.group(2))) if m else None


def global_index(ref: str, static: StaticSimParams) -> int:
    """The engine's global body index of a (valid, in-range) reference."""
    kind, slot = parse_ref(ref)
    return slot if kind == "p" else static.num_polygons + slot


def ref_of(index: int, static: StaticSimParams) -> str:
    """The reference of global body index ``index``."""
    P = static.num_polygons
    return f"p{index}" if index < P else f"c{index - P}"


def _numpy_level(static: StaticSimParams) -> dict:
    lv = empty_level(static)
    return {"shape": {k: np.array(getattr(lv.shape, k)) for k in _fields(lv.shape)},
            "joint": {k: np.array(getattr(lv.joint, k)) for k in _fields(lv.joint)},
            "thruster": {k: np.array(getattr(lv.thruster, k)) for k in _fields(lv.thruster)},
            "polygon_vertices": np.array(lv.polygon_vertices), "polygon_n_vertices": np.array(lv.polygon_n_vertices),
            "circle_radius": np.array(lv.circle_radius)}


def _fields(node) -> list[str]:
    return [f.name for f in dataclasses.fields(node)]


def assemble(rec: LevelRec) -> Level:
    """The :class:`Level` of a valid record set (inactive slots as in ``empty_level``).

    Normalises what has no effect: a fixed joint gets the default motor (off, speed 1, power 1,
    binding 0, not auto) and a joint without limits gets limits (0, 0).
    """
    static = rec.static
    a = _numpy_level(static)
    s, P = a["shape"], static.num_polygons
    for sh in rec.shapes:
        i = global_index(sh.ref, static)
        for key in ("position", "rotation", "velocity", "angular_velocity", "density", "friction", "restitution",
                    "collision_mode", "role", "fixed"):
            s[key][i] = getattr(sh, key)
        s["active"][i] = True
        if i < P:
            n = len(sh.vertices)
            a["polygon_vertices"][i] = 0.0
            a["polygon_vertices"][i, :n] = sh.vertices
            a["polygon_n_vertices"][i] = n
        else:
            a["circle_radius"][i - P] = sh.radius
    for j, jr in enumerate(rec.joints):
        _put_joint(a["joint"], j, jr, static)
    t = a["thruster"]
    for k, tr in enumerate(rec.thrusters):
        t["body"][k], t["anchor"][k], t["angle"][k] = global_index(tr.shape, static), tr.anchor, tr.angle
        t["power"][k], t["binding"][k], t["active"][k] = tr.power, tr.binding, True
    lv = empty_level(static)
    return lv.replace(
        shape=lv.shape.replace(**{k: jnp.asarray(v) for k, v in s.items()}),
        joint=lv.joint.replace(**{k: jnp.asarray(v) for k, v in a["joint"].items()}),
        thruster=lv.thruster.replace(**{k: jnp.asarray(v) for k, v in t.items()}),
        polygon_vertices=jnp.asarray(a["polygon_vertices"]), polygon_n_vertices=jnp.asarray(a["polygon_n_vertices"]),
        circle_radius=jnp.asarray(a["circle_radius"]), gravity=jnp.asarray(rec.gravity, jnp.float32),
        max_timesteps=jnp.asarray(rec.max_timesteps, jnp.int32))


def _put_joint(jd: dict, j: int, jr: JointRec, static: StaticSimParams) -> None:
    revolute = not jr.is_fixed
    limits = revolute and jr.has_limits
    jd["body_a"][j], jd["body_b"][j] = global_index(jr.a, static), global_index(jr.b, static)
    jd["anchor_a"][j], jd["anchor_b"][j] = jr.anchor_a, jr.anchor_b
    jd["reference_angle"][j], jd["is_fixed"][j], jd["active"][j] = jr.reference_angle, jr.is_fixed, True
    jd["motor_on"][j] = jr.motor_on and revolute
    jd["motor_speed"][j] = jr.motor_speed if revolute else 1.0
    jd["motor_power"][j] = jr.motor_power if revolute else 1.0
    jd["motor_binding"][j] = jr.motor_binding if revolute else 0
    jd["motor_auto"][j] = jr.motor_auto and revolute
    jd["has_limits"][j] = limits
    jd["lower_angle"][j], jd["upper_angle"][j] = (jr.lower, jr.upper) if limits else (0.0, 0.0)


def _vec(x) -> tuple[float, float]:
    return (float(x[0]), float(x[1]))


def disassemble(level: Level) -> LevelRec:
    """The records of the active slots of one (unbatched) level, as Python floats of the float32 values."""
    if np.ndim(level.max_timesteps) != 0:
        raise ValueError(f"expected one level, got a batch of shape {np.shape(level.max_timesteps)}")
    static, P = level.static, level.static.num_polygons
    s = {k: np.asarray(getattr(level.shape, k)) for k in _fields(level.shape)}
    verts, nverts, radius = (np.asarray(level.polygon_vertices), np.asarray(level.polygon_n_vertices),
                             np.asarray(level.circle_radius))
    shapes = []
    for i in np.nonzero(s["active"])[0].tolist():
        sh = ShapeRec(ref=ref_of(i, static), position=_vec(s["position"][i]), rotation=float(s["rotation"][i]),
                      velocity=_vec(s["velocity"][i]), angular_velocity=float(s["angular_velocity"][i]),
                      density=float(s["density"][i]), friction=float(s["friction"][i]),
                      restitution=float(s["restitution"][i]), collision_mode=int(s["collision_mode"][i]),
                      role=int(s["role"][i]), fixed=bool(s["fixed"][i]))
        if i < P:
            sh.vertices = [_vec(v) for v in verts[i, :max(int(nverts[i]), 0)]]
        else:
            sh.radius = float(radius[i - P])
        shapes.append(sh)
    jd = {k: np.asarray(getattr(level.joint, k)) for k in _fields(level.joint)}
    joints = [JointRec(a=ref_of(int(jd["body_a"][j]), static), b=ref_of(int(jd["body_b"][j]), static),
                       anchor_a=_vec(jd["anchor_a"][j]), anchor_b=_vec(jd["anchor_b"][j]),
                       reference_angle=float(jd["reference_angle"][j]), is_fixed=bool(jd["is_fixed"][j]),
                       motor_on=bool(jd["motor_on"][j]), motor_speed=float(jd["motor_speed"][j]),
                       motor_power=float(jd["motor_power"][j]), motor_binding=int(jd["motor_binding"][j]),
                       motor_auto=bool(jd["motor_auto"][j]), has_limits=bool(jd["has_limits"][j]),
                       lower=float(jd["lower_angle"][j]), upper=float(jd["upper_angle"][j]))
              for j in np.nonzero(jd["active"])[0].tolist()]
    td = {k: np.asarray(getattr(level.thruster, k)) for k in _fields(level.thruster)}
    thrusters = [ThrusterRec(shape=ref_of(int(td["body"][k]), static), anchor=_vec(td["anchor"][k]),
                             angle=float(td["angle"][k]), power=float(td["power"][k]), binding=int(td["binding"][k]))
                 for k in np.nonzero(td["active"])[0].tolist()]
    return LevelRec(static=static, shapes=shapes, joints=joints, thrusters=thrusters,
                    gravity=_vec(np.asarray(level.gravity)), max_timesteps=int(level.max_timesteps))
