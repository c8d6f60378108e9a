"""Kinetix export: a ``Level`` as the JSON Kinetix writes and reads (see ``kinetix`` for the rules).

Every key Kinetix writes is written, in its order; inactive slots hold ``empty_level`` defaults.
``inverse_mass``/``inverse_inertia`` are computed as Jax2D computes them, since Kinetix does not
recompute them on load.
"""

import json
import math

import jax.numpy as jnp
import numpy as np

from ..engine import StaticSimParams, collision_matrix
from ._records import JointRec, LevelRec, ShapeRec, ThrusterRec, disassemble, global_index
from .level import Level
from .validate import LevelError, validate_level

KINETIX_VERTICES = 4
ENV_PARAMS = {"dt": 1 / 60, "slop": 0.01, "baumgarte_coefficient_joints_v": 2.0, "baumgarte_coefficient_joints_p": 0.7,
              "baumgarte_coefficient_fjoint_av": 2.0, "baumgarte_coefficient_rjoint_limit_av": 5.0,
              "baumgarte_coefficient_collision": 0.2, "joint_stiffness": 0.6, "clip_position": 15,
              "clip_velocity": 100, "clip_angular_velocity": 50, "base_motor_speed": 6.0, "base_motor_power": 900.0,
              "base_thruster_power": 10.0, "motor_decay_coefficient": 0.1, "motor_joint_limit": 0.1,
              "base_friction": 0.4, "max_timesteps": 256, "pixels_per_unit": 100, "dense_reward_scale": 0.1,
              "num_shape_roles": 4}


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
