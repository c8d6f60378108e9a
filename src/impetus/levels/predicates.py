"""Jittable structural checks of a :class:`Level` (one level; vmap for a batch).

:func:`is_valid` is what generated and mutated levels promise: green and blue present, at
least one control the agent drives, convex CCW polygons, indices in range and pointing at
active shapes, finite numbers, positive sizes, and every movable shape's centre of mass inside
the world.  :func:`joint_error` and :func:`green_blue_joined` are extra checks the mutators use.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float

from ..engine.geometry import cross, dot, next_vertex
from .level import BLUE, GREEN, Level
from .world import centres_of_mass, inside_world, to_world


def movable(level: Level) -> Bool[Array, " n"]:
    """Active shapes that can move (not fixed, not a static slot)."""
    iota = jnp.arange(level.static.num_bodies)
    s = level.shape
    return s.active & ~s.fixed & (iota >= level.static.num_static_polygons)


def has_role(level: Level, role: int) -> Bool[Array, ""]:
    return jnp.any(level.shape.active & (level.shape.role == role))


def motor_controls(level: Level) -> Bool[Array, " j"]:
    """Joints whose motor the agent drives: active revolute, motor on, not automatic, and at
    least one end movable."""
    j, m = level.joint, movable(level)
    return j.active & j.motor_on & ~j.is_fixed & ~j.motor_auto & (m[j.body_a] | m[j.body_b])


def thruster_controls(level: Level) -> Bool[Array, " t"]:
    """Active thrusters on movable shapes."""
    t = level.thruster
    return t.active & movable(level)[t.body]


def has_control(level: Level) -> Bool[Array, ""]:
    return jnp.any(motor_controls(level)) | jnp.any(thruster_controls(level))


def polygon_is_convex_ccw(verts, n, tol: float = 1e-7):
    """``True`` when the used vertices form a strictly convex counter-clockwise polygon."""
    used = jnp.arange(verts.shape[0]) < n
    edge = next_vertex(verts, n) - verts
    turn = cross(edge, next_vertex(edge, n))
    scale = jnp.maximum(jnp.max(jnp.where(used, dot(edge, edge), 0.0)), 1e-12)
    left_turns = jnp.all(jnp.where(used, turn > tol * scale, True))
    # all left turns and one full revolution (a pentagram turns left twice around)
    winding = jnp.sum(jnp.where(used, jnp.arctan2(turn, dot(edge, next_vertex(edge, n))), 0.0))
    return (n >= 3) & (n <= verts.shape[0]) & left_turns & (jnp.abs(winding - 2 * jnp.pi) < 1e-3)


def indices_ok(level: Level) -> Bool[Array, ""]:
    """Joint and thruster indices in range; active ones point at (two distinct) active shapes."""
    N = level.static.num_bodies
    j, t, active = level.joint, level.thruster, level.shape.active
    in_range = lambda i: (i >= 0) & (i < N)  # noqa: E731
    a, b, body = (jnp.clip(x, 0, N - 1) for x in (j.body_a, j.body_b, t.body))
    joints = in_range(j.body_a) & in_range(j.body_b) & (~j.active | (active[a] & active[b] & (a != b)))
    thrusters = in_range(t.body) & (~t.active | active[body])
    return jnp.all(joints) & jnp.all(thrusters)


def finite(level: Level) -> Bool[Array, ""]:
    leaves = [x for x in jax.tree_util.tree_leaves(level) if jnp.issubdtype(x.dtype, jnp.floating)]
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(x)) for x in leaves]))


def shapes_ok(level: Level) -> Bool[Array, ""]:
    """Active polygons convex CCW, active circles of positive radius, movable shapes of positive
    density, role in 0..3, collision mode in 0..2."""
    P = level.static.num_polygons
    s = level.shape
    convex = jax.vmap(polygon_is_convex_ccw)(level.polygon_vertices, level.polygon_n_vertices)
    polygons = jnp.all(~s.active[:P] | convex)
    circles = jnp.all(~s.active[P:] | (level.circle_radius > 0))
    density = jnp.all(~movable(level) | (s.density > 0))
    enums = jnp.all((s.role >= 0) & (s.role <= 3) & (s.collision_mode >= 0) & (s.collision_mode <= 2))
    return polygons & circles & density & enums


def inside(level: Level) -> Bool[Array, ""]:
    """Every active non-static shape's centre of mass lies inside the world box."""
    iota = jnp.arange(level.static.num_bodies)
    ok = inside_world(centres_of_mass(level))
    return jnp.all(~(level.shape.active & (iota >= level.static.num_static_polygons)) | ok)


def is_valid(level: Level) -> Bool[Array, ""]:
    """All structural checks of the module docstring."""
    return (has_role(level, GREEN) & has_role(level, BLUE) & has_control(level) & indices_ok(level)
            & finite(level) & shapes_ok(level) & inside(level))


def joint_error(level: Level) -> Float[Array, ""]:
    """Largest world distance between the two anchors of an active joint [m] (0 if none)."""
    j = level.joint
    gap = to_world(level, j.body_a, j.anchor_a) - to_world(level, j.body_b, j.anchor_b)
    return jnp.max(jnp.where(j.active, jnp.sqrt(jnp.sum(gap * gap, axis=-1)), 0.0), initial=0.0)


def green_blue_joined(level: Level) -> Bool[Array, ""]:
    """Some active joint connects a green and a blue shape directly."""
    j, role = level.joint, jnp.where(level.shape.active, level.shape.role, 0)
    pair = role[j.body_a] * role[j.body_b]
    return jnp.any(j.active & (pair == GREEN * BLUE))
