"""The ``Level`` type: what an author sets, separate from simulation state.

A level holds shapes, joints and thrusters in the engine's slot layout (polygons ``0..P-1``,
circle ``k`` at ``P + k``), their roles and action bindings, gravity and the episode length.
Nothing derived is stored: masses, inertias, centres of mass and the collision matrix are
computed by :func:`to_sim_state`, which is pure and jittable, so a batch of levels (generated,
mutated or loaded) becomes a batch of scenes with ``jax.vmap(to_sim_state)``.

Frames: a shape's ``position`` is the origin of its own frame (Kinetix convention; for a
polygon this need not be its centre of mass).  Polygon vertices, joint anchors and thruster
anchors are given in that frame, unrotated.  Thruster ``angle`` is relative to the body.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..engine import SimState, StaticSimParams, empty_state
from ..engine._pytree import PyTreeNode, static_field
from ..engine.geometry import circle_mass, polygon_mass, rotate, safe_inverse
from ..engine.scene import collision_matrix

#: Shape roles (Kinetix meaning).
NEUTRAL, GREEN, BLUE, RED = 0, 1, 2, 3


class Shapes(PyTreeNode):
    """Per-shape properties, ``N = P + C`` rows, polygons first."""

    position: Float[Array, "n 2"]  # shape-frame origin, world [m]
    rotation: Float[Array, " n"]  # [rad]
    velocity: Float[Array, "n 2"]  # initial linear velocity [m/s]
    angular_velocity: Float[Array, " n"]  # initial [rad/s]
    density: Float[Array, " n"]  # [kg/m^2]; ignored when ``fixed``
    friction: Float[Array, " n"]
    restitution: Float[Array, " n"]
    collision_mode: Int[Array, " n"]  # 0, 1, 2 (Kinetix meaning)
    role: Int[Array, " n"]  # NEUTRAL, GREEN, BLUE, RED
    fixed: Bool[Array, " n"]  # infinite mass
    active: Bool[Array, " n"]


class LevelJoint(PyTreeNode):
    """Joints (J rows).  Anchors are in the shape frames of ``body_a`` / ``body_b``."""

    body_a: Int[Array, " j"]
    body_b: Int[Array, " j"]
    anchor_a: Float[Array, "j 2"]
    anchor_b: Float[Array, "j 2"]
    reference_angle: Float[Array, " j"]  # rest value of rotation_b - rotation_a [rad]
    is_fixed: Bool[Array, " j"]
    motor_on: Bool[Array, " j"]
    motor_speed: Float[Array, " j"]
    motor_power: Float[Array, " j"]
    motor_binding: Int[Array, " j"]  # which motor action channel drives this joint
    motor_auto: Bool[Array, " j"]  # motor always at +1, whatever the agent does
    has_limits: Bool[Array, " j"]
    lower_angle: Float[Array, " j"]  # on rotation_b - rotation_a - reference_angle [rad]
    upper_angle: Float[Array, " j"]
    active: Bool[Array, " j"]


class LevelThruster(PyTreeNode):
    """Thrusters (T rows)."""

    body: Int[Array, " t"]
    anchor: Float[Array, "t 2"]  # shape frame of ``body`` [m]
    angle: Float[Array, " t"]  # thrust direction relative to the body [rad]
    power: Float[Array, " t"]
    binding: Int[Array, " t"]  # which thruster action channel drives this thruster
    active: Bool[Array, " t"]


class Level(PyTreeNode):
    """One task.  ``static`` gives its capacities (tree metadata)."""

    shape: Shapes
    polygon_vertices: Float[Array, "p v 2"]  # shape frame, CCW; slots >= n are zero [m]
    polygon_n_vertices: Int[Array, " p"]
    circle_radius: Float[Array, " c"]  # [m]
    joint: LevelJoint
    thruster: LevelThruster
    gravity: Float[Array, " 2"]  # [m/s^2]
    max_timesteps: Int[Array, ""]  # episode length in env steps
    static: StaticSimParams = static_field()


def to_sim_state(level: Level) -> SimState:
    """The engine scene of ``level`` (jittable, vmappable): mass properties from densities,
    positions moved to centres of mass, anchors re-expressed about them, collision matrix."""
    static, s = level.static, level.shape
    P = static.num_polygons
    # per polygon (vmap): geometry.polygon_mass broadcasts a (V,) range against (P, 1) counts, which
    # fails under jax_numpy_rank_promotion="raise"
    _, centroid, _ = jax.vmap(polygon_mass)(level.polygon_vertices, level.polygon_n_vertices, jnp.ones((P,)))
    centroid = jnp.where((level.polygon_n_vertices >= 3)[:, None], centroid, 0.0)
    offset = jnp.concatenate([centroid, jnp.zeros((static.num_circles, 2))])  # (N, 2) shape frame
    verts = level.polygon_vertices - centroid[:, None, :]
    used = jnp.arange(static.max_polygon_vertices)[None, :] < level.polygon_n_vertices[:, None]
    verts = jnp.where(used[..., None], verts, 0.0)
    m_p, _, i_p = jax.vmap(polygon_mass)(verts, level.polygon_n_vertices, s.density[:P])
    m_c, i_c = circle_mass(level.circle_radius, s.density[P:])
    movable = s.active & ~s.fixed
    inv_mass = jnp.where(movable, safe_inverse(jnp.concatenate([m_p, m_c])), 0.0)
    inv_inertia = jnp.where(movable, safe_inverse(jnp.concatenate([i_p, i_c])), 0.0)
    c, sn = jnp.cos(s.rotation), jnp.sin(s.rotation)
    position = s.position + rotate(c, sn, offset)
    # a rigid body's initial velocity field: v(com) = v(origin) + w x (com - origin)
    arm = rotate(c, sn, offset)
    velocity = s.velocity + jnp.stack([-s.angular_velocity * arm[:, 1], s.angular_velocity * arm[:, 0]], -1)
    base = empty_state(static)
    body = base.body.replace(position=position, rotation=s.rotation, velocity=velocity,
                             angular_velocity=s.angular_velocity, inverse_mass=inv_mass,
                             inverse_inertia=inv_inertia, friction=s.friction, restitution=s.restitution,
                             collision_mode=s.collision_mode, active=s.active)
    lj = level.joint
    joint = base.joint.replace(
        body_a=lj.body_a, body_b=lj.body_b, anchor_a=lj.anchor_a - offset[lj.body_a],
        anchor_b=lj.anchor_b - offset[lj.body_b], reference_angle=lj.reference_angle, is_fixed=lj.is_fixed,
        active=lj.active, motor_on=lj.motor_on, motor_speed=lj.motor_speed, motor_power=lj.motor_power,
        has_limits=lj.has_limits, lower_angle=lj.lower_angle, upper_angle=lj.upper_angle)
    lt = level.thruster
    thruster = base.thruster.replace(body=lt.body, anchor=lt.anchor - offset[lt.body], angle=lt.angle,
                                     power=lt.power, active=lt.active)
    return base.replace(
        body=body, polygon=base.polygon.replace(vertices=verts, n_vertices=level.polygon_n_vertices),
        circle=base.circle.replace(radius=level.circle_radius), joint=joint, thruster=thruster,
        collision_matrix=collision_matrix(lj.body_a, lj.body_b, lj.active, static.num_bodies),
        gravity=level.gravity.astype(jnp.float32))


def stack(levels: list[Level]) -> Level:
    """Stack levels of one capacity along a new leading axis (pad them first if needed)."""
    statics = {lv.static for lv in levels}
    if len(statics) != 1:
        raise ValueError(f"stack: levels have different capacities {sorted(map(str, statics))}; pad them first")
    return jax.tree_util.tree_map(lambda *xs: jnp.stack(xs), *levels)


def empty_level(static: StaticSimParams, gravity=(0.0, -9.81), max_timesteps: int = 256) -> Level:
    """A level with every slot inactive (joints and thrusters point at body 0)."""
    P, C, J, T, V, N = (static.num_polygons, static.num_circles, static.num_joints, static.num_thrusters,
                        static.max_polygon_vertices, static.num_bodies)
    f = lambda *shape: jnp.zeros(shape, jnp.float32)  # noqa: E731
    i = lambda *shape: jnp.zeros(shape, jnp.int32)  # noqa: E731
    b = lambda *shape: jnp.zeros(shape, bool)  # noqa: E731
    shape = Shapes(position=f(N, 2), rotation=f(N), velocity=f(N, 2), angular_velocity=f(N),
                   density=jnp.ones((N,), jnp.float32), friction=jnp.ones((N,), jnp.float32), restitution=f(N),
                   collision_mode=jnp.ones((N,), jnp.int32), role=i(N), fixed=b(N), active=b(N))
    joint = LevelJoint(body_a=i(J), body_b=i(J), anchor_a=f(J, 2), anchor_b=f(J, 2), reference_angle=f(J),
                       is_fixed=b(J), motor_on=b(J), motor_speed=jnp.ones((J,), jnp.float32),
                       motor_power=jnp.ones((J,), jnp.float32), motor_binding=i(J), motor_auto=b(J),
                       has_limits=b(J), lower_angle=f(J), upper_angle=f(J), active=b(J))
    thruster = LevelThruster(body=i(T), anchor=f(T, 2), angle=f(T), power=jnp.ones((T,), jnp.float32),
                             binding=i(T), active=b(T))
    return Level(shape=shape, polygon_vertices=f(P, V, 2), polygon_n_vertices=jnp.full((P,), min(4, V), jnp.int32),
                 circle_radius=f(C), joint=joint, thruster=thruster, gravity=jnp.asarray(gravity, jnp.float32),
                 max_timesteps=jnp.asarray(max_timesteps, jnp.int32), static=static)


def pad(level: Level, static: StaticSimParams) -> Level:
    """``level`` in the larger capacities ``static``: new slots are inactive, and circle indices in
    joints and thrusters are shifted by the number of polygon slots added."""
    old = level.static
    grow = {k: getattr(static, k) - getattr(old, k) for k in
            ("num_polygons", "num_circles", "num_joints", "num_thrusters", "max_polygon_vertices")}
    if any(v < 0 for v in grow.values()) or static.num_static_polygons != old.num_static_polygons:
        raise ValueError(f"pad: cannot fit a level of {old} into {static}")
    new = empty_level(static)
    P0, P1, C0 = old.num_polygons, static.num_polygons, old.num_circles
    rows = jnp.concatenate([jnp.arange(P0), P1 + jnp.arange(C0)])  # old body index -> new

    def put(dst, src, idx):
        return dst.at[idx].set(src)

    shape = jax.tree_util.tree_map(lambda d, s: put(d, s, rows), new.shape, level.shape)
    verts = new.polygon_vertices.at[:P0, :old.max_polygon_vertices].set(level.polygon_vertices)
    J0, T0 = old.num_joints, old.num_thrusters
    joint = jax.tree_util.tree_map(lambda d, s: d.at[:J0].set(s), new.joint, level.joint)
    joint = joint.replace(body_a=joint.body_a.at[:J0].set(rows[level.joint.body_a]),
                          body_b=joint.body_b.at[:J0].set(rows[level.joint.body_b]))
    thruster = jax.tree_util.tree_map(lambda d, s: d.at[:T0].set(s), new.thruster, level.thruster)
    thruster = thruster.replace(body=thruster.body.at[:T0].set(rows[level.thruster.body]))
    return new.replace(shape=shape, polygon_vertices=verts,
                       polygon_n_vertices=new.polygon_n_vertices.at[:P0].set(level.polygon_n_vertices),
                       circle_radius=new.circle_radius.at[:C0].set(level.circle_radius), joint=joint,
                       thruster=thruster, gravity=level.gravity, max_timesteps=level.max_timesteps)
