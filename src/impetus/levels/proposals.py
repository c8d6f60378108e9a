"""Adding one shape (free, or jointed to an existing shape) the Kinetix way, with proposals.

:func:`add_shape` draws ``params.add_shape_n_proposals`` candidates at once (vmapped), scores
each by the number of existing shapes it overlaps (plus ``connect_no_visibility_bias`` for a
jointed shape hidden inside its partner, and a prohibitive penalty when its centre of mass
leaves the world), keeps the best, and writes it into a free slot chosen by a per-level random
priority (so slot order carries no information; Kinetix permutes slots at the end instead).

Free shapes follow Kinetix ``mutate_add_shape`` (reference 5.3) and jointed shapes
``mutate_add_connected_shape`` (5.4).  Deliberate differences: a revolute joint's reference
angle is the relative rotation at creation (Kinetix stores 0, so limits applied to the raw
angle, Appendix A.7); fixed shapes moved to the lower half land above the floor (Kinetix can
bury them in it); jointed shapes whose centre leaves the world are never committed.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..engine._pytree import PyTreeNode
from ..engine.geometry import rotate
from .candidate_geometry import LocalBoxes, RoundedBox, local_boxes, overlap_count, visible_pair, world_boxes
from .generator_params import GeneratorParams
from .level import BLUE, GREEN, Level
from .sample_shapes import (
    allowed_roles_next_to,
    box_polygon,
    categorical,
    fixate_chance,
    random_point_in_polygon,
    role_weights,
    sample_box,
    sample_radius,
    uniform,
)
from .world import FLOOR_Y, WORLD_SIZE, inside_world, to_world

OUT_OF_WORLD_PENALTY = 1e3


class U:
    """Layout of the uniforms of one proposal."""

    NEW_TYPE, ROLE, RADIUS, TRIANGLE, SIDE, ROT, FIX, BOTTOM, TARGET_TYPE, TARGET = range(10)
    BOX, POS, ANCHOR_NEW, ANCHOR_TARGET = slice(10, 14), slice(14, 16), slice(16, 19), slice(19, 22)
    REVOLUTE, MOTOR, BINDING, SPEED, POWER, LIMITS, LOWER, UPPER = range(22, 30)
    COUNT = 30


class Candidate(PyTreeNode):
    """A proposed shape (and joint, when ``joined``), in the level's conventions."""

    is_polygon: Bool[Array, ""]
    half: Float[Array, " 2"]  # box half extents [m] (the polygon is this box or its lower-right half)
    triangle: Bool[Array, ""]
    radius: Float[Array, ""]  # circles [m]
    position: Float[Array, " 2"]  # shape-frame origin = box centre / circle centre
    rotation: Float[Array, ""]
    role: Int[Array, ""]
    fixed: Bool[Array, ""]
    joined: Bool[Array, ""]
    target: Int[Array, ""]  # body_a of the joint; the new shape is body_b
    anchor_target: Float[Array, " 2"]
    anchor_new: Float[Array, " 2"]
    revolute: Bool[Array, ""]
    motor_on: Bool[Array, ""]
    motor_speed: Float[Array, ""]
    motor_power: Float[Array, ""]
    binding: Int[Array, ""]
    has_limits: Bool[Array, ""]
    lower: Float[Array, ""]
    upper: Float[Array, ""]
    possible: Bool[Array, ""]
    score: Float[Array, ""]


class Context(PyTreeNode):
    """What every proposal of one addition needs to know about the level (computed once)."""

    free_polygon: Bool[Array, ""]
    free_circle: Bool[Array, ""]
    free_joint: Bool[Array, ""]
    n_revolute: Int[Array, ""]
    target_weight: Float[Array, " n"]  # Kinetix connection weights (0 = not a target)
    role_weight: Float[Array, " 4"]  # get_role weights before the partner's restrictions
    local: LocalBoxes
    world: RoundedBox  # for overlap counts


def joint_degree(level: Level) -> Int[Array, " n"]:
    """Number of active joints at each shape."""
    j = level.joint
    iota = jnp.arange(level.static.num_bodies)
    ends = (j.body_a[:, None] == iota[None, :]) | (j.body_b[:, None] == iota[None, :])
    return jnp.sum(ends & j.active[:, None], axis=0)


def make_context(level: Level, params: GeneratorParams) -> Context:
    st = level.static
    P, S = st.num_polygons, st.num_static_polygons
    s = level.shape
    iota = jnp.arange(st.num_bodies)
    free = ~s.active & (iota >= S)
    free_polygon, free_circle = jnp.any(free[:P]), jnp.any(free[P:])
    degree = joint_degree(level)
    base = jnp.where(s.fixed, params.connect_to_fixated_prob_coeff, 1.0) * (s.active & (iota >= S))
    weight = jnp.where(iota < P, base * jnp.maximum((2.0 - degree) / 2.0, 0.0),
                       base * (degree == 0) * free_polygon)  # a circle target needs a polygon slot
    local = local_boxes(level)
    return Context(free_polygon=free_polygon, free_circle=free_circle, free_joint=jnp.any(~level.joint.active),
                   n_revolute=jnp.sum(level.joint.active & ~level.joint.is_fixed), target_weight=weight,
                   role_weight=role_weights(level, jnp.ones(4)), local=local, world=world_boxes(level, local))


def _choose_target(u, level: Level, ctx: Context):
    """(target index, target is a polygon, a target exists): Kinetix's connection choice."""
    P, S = level.static.num_polygons, level.static.num_static_polygons
    w_poly, w_circle = ctx.target_weight[:P], ctx.target_weight[P:]
    fallback = (level.shape.active & (jnp.arange(level.static.num_bodies) >= S))[:P].astype(jnp.float32)
    w_poly = jnp.where(jnp.sum(w_poly) > 0, w_poly, fallback)
    kinds = jnp.stack([jnp.sum(w_poly) > 0, jnp.sum(w_circle) > 0]).astype(jnp.float32)
    is_polygon = categorical(u[U.TARGET_TYPE], kinds) == 0
    target = jnp.where(is_polygon, categorical(u[U.TARGET], w_poly), P + categorical(u[U.TARGET], w_circle))
    return target, is_polygon, jnp.sum(kinds) > 0


def _box_point(u, half, triangle):
    """A uniform point in a box centred on the origin, or in its lower-right half (the triangle
    (-,-), (+,-), (+,+)) when ``triangle``. Uses 2."""
    s, t = 2.0 * u[0] - 1.0, 2.0 * u[1] - 1.0
    swap = triangle & (t > s)
    return jnp.stack([jnp.where(swap, t, s), jnp.where(swap, s, t)]) * half


def _box_mass(half, triangle):
    """(area [m^2], centroid [m]) of the box or its lower-right half."""
    area = 4.0 * half[0] * half[1] * jnp.where(triangle, 0.5, 1.0)
    return area, jnp.where(triangle, half * jnp.array([1.0, -1.0]) / 3.0, 0.0)


def _place_free(u, largest, role, area, force_no_fixate, params: GeneratorParams):
    """Position and fixation of a free shape whose bounding radius is ``largest``."""
    lo_x, hi_x = largest, WORLD_SIZE - largest
    lo_y, hi_y = largest + FLOOR_Y, WORLD_SIZE - largest
    opposite = u[U.SIDE] < params.goal_body_opposite_side_chance
    half = WORLD_SIZE / 2.0
    hi_x = jnp.where(opposite & (role == GREEN), hi_x - half, hi_x)
    lo_x = jnp.where(opposite & (role == BLUE), lo_x + half, lo_x)
    x, y = uniform(u[U.POS][0], lo_x, hi_x), uniform(u[U.POS][1], lo_y, hi_y)
    fixed = (u[U.FIX] < fixate_chance(area, params)) & ~force_no_fixate
    bias = params.fixate_shape_bottom_bias + params.fixate_shape_bottom_bias_special_role * (role != 0)
    down = fixed & (u[U.BOTTOM] < bias) & (y >= half)
    # map the upper range [half, hi_y] onto [lo_y, half] (Kinetix subtracts 2.5 m, into the floor)
    y_low = lo_y + (y - half) * (half - lo_y) / jnp.maximum(hi_y - half, 1e-6)
    return jnp.stack([x, jnp.where(down, y_low, y)]), fixed


def _joint_fields(u, new_polygon, target_polygon, force_motor, ctx: Context, params: GeneratorParams) -> dict:
    revolute = (u[U.REVOLUTE] >= params.joint_fixed_chance) | force_motor | (ctx.n_revolute < params.min_rjoints_bias)
    both_polygons = new_polygon & target_polygon
    max_power = jnp.where(both_polygons, params.motor_max_power, params.wheel_max_power)
    limits = revolute & both_polygons & (u[U.LIMITS] < params.joint_limit_chance)
    binding = jnp.minimum(jnp.floor(u[U.BINDING] * params.num_motor_bindings), params.num_motor_bindings - 1)
    return dict(revolute=revolute, motor_on=revolute & ((u[U.MOTOR] < params.motor_on_chance) | force_motor),
                motor_speed=uniform(u[U.SPEED], params.motor_min_speed, params.motor_max_speed),
                motor_power=uniform(u[U.POWER], params.motor_min_power, max_power),
                binding=binding.astype(jnp.int32), has_limits=limits,
                lower=jnp.where(limits, -u[U.LOWER] * params.joint_limit_max, 0.0),
                upper=jnp.where(limits, u[U.UPPER] * params.joint_limit_max, 0.0))


def propose(u: Float[Array, " 30"], level: Level, ctx: Context, params: GeneratorParams, connected, force_no_fixate,
            force_motor) -> Candidate:
    """One candidate shape (jointed to an existing shape when ``connected``) and its score."""
    P = level.static.num_polygons
    target, target_polygon, target_ok = _choose_target(u, level, ctx)
    types = jnp.stack([ctx.free_polygon, ctx.free_circle]).astype(jnp.float32)
    new_polygon = (categorical(u[U.NEW_TYPE], types) == 0) | (connected & ~target_polygon)
    allowed = jnp.where(connected, allowed_roles_next_to(level.shape.role[target]), jnp.ones(4))
    weights = ctx.role_weight * allowed
    role = jnp.where(jnp.sum(weights) > 0, categorical(u[U.ROLE], weights), 0)
    goal = (role == GREEN) | (role == BLUE)
    max_size = params.max_shape_size * jnp.where(goal & ~connected, params.goal_body_size_factor, 1.0)
    half = jnp.stack(sample_box(u[U.BOX], max_size, params))
    triangle = (u[U.TRIANGLE] < 0.5) if params.generate_triangles else jnp.array(False)
    radius = jnp.where(new_polygon, 0.0, sample_radius(u[U.RADIUS], max_size, params))
    box_area, box_centroid = _box_mass(half, triangle)
    area = jnp.where(new_polygon, box_area, jnp.pi * radius**2)
    rotation = u[U.ROT] * 2.0 * jnp.pi
    c, s = jnp.cos(rotation), jnp.sin(rotation)
    largest = jnp.where(new_polygon, jnp.max(half) * jnp.sqrt(2.0), radius)
    free_position, fixed = _place_free(u, largest, role, area, force_no_fixate, params)
    anchor_new = jnp.where(new_polygon, _box_point(u[U.ANCHOR_NEW], half, triangle), 0.0)
    tp = jnp.minimum(target, P - 1)
    anchor_target = jnp.where(target_polygon, random_point_in_polygon(
        u[U.ANCHOR_TARGET], level.polygon_vertices[tp], level.polygon_n_vertices[tp]), 0.0)
    joint_position = to_world(level, target, anchor_target) - rotate(c, s, anchor_new)
    position = jnp.where(connected, joint_position, free_position)
    cand = Candidate(is_polygon=new_polygon, half=half, triangle=triangle, radius=radius, position=position,
                     rotation=rotation, role=role.astype(jnp.int32), fixed=fixed & ~connected, joined=connected,
                     target=target, anchor_target=anchor_target, anchor_new=anchor_new,
                     **_joint_fields(u, new_polygon, target_polygon, force_motor, ctx, params),
                     possible=jnp.array(False), score=jnp.float32(0.0))
    out = ~inside_world(position + rotate(c, s, jnp.where(new_polygon, box_centroid, 0.0)))
    hidden = ~visible_pair(cand, ctx.local, target_polygon, params.connect_visibility_min)
    score = (overlap_count(cand, level, ctx.world, jnp.where(connected, target, -1))
             + jnp.where(connected & hidden, params.connect_no_visibility_bias, 0.0) + OUT_OF_WORLD_PENALTY * out)
    possible = (ctx.free_polygon | ctx.free_circle) & ~out & (~connected | (target_ok & ctx.free_joint))
    return cand.replace(possible=possible, score=score.astype(jnp.float32))


def _free_slot(free: Bool[Array, " k"], priority: Float[Array, " k"]):
    """The free slot of highest priority and whether one exists."""
    return jnp.argmax(jnp.where(free, priority, -1.0)), jnp.any(free)


def commit(level: Level, cand: Candidate, ok, priority: Float[Array, " m"]) -> tuple[Level, Int[Array, ""], Bool]:
    """Write ``cand`` (and its joint) into free slots when ``ok``.

    Args:
        priority: (N + J,) slot priorities (shapes, then joints); the free slot with the
            highest priority is used.

    Returns:
        (level, global index of the new shape, whether it was written).
    """
    st = level.static
    P, N, J = st.num_polygons, st.num_bodies, st.num_joints
    s = level.shape
    iota = jnp.arange(N)
    free = ~s.active & (iota >= st.num_static_polygons) & jnp.where(cand.is_polygon, iota < P, iota >= P)
    slot, exists = _free_slot(free, priority[:N])
    write = ok & exists
    hot = (iota == slot) & write
    put = lambda old, new: jnp.where(hot.reshape(hot.shape + (1,) * (old.ndim - 1)), new, old)  # noqa: E731
    shape = s.replace(position=put(s.position, cand.position), rotation=put(s.rotation, cand.rotation),
                      velocity=put(s.velocity, 0.0), angular_velocity=put(s.angular_velocity, 0.0),
                      density=put(s.density, 1.0), friction=put(s.friction, 1.0), restitution=put(s.restitution, 0.0),
                      collision_mode=put(s.collision_mode, 1), role=put(s.role, cand.role),
                      fixed=put(s.fixed, cand.fixed), active=put(s.active, True))
    vertices, n_vertices = box_polygon(cand.half[0], cand.half[1], cand.triangle, st.max_polygon_vertices)
    level = level.replace(
        shape=shape, polygon_vertices=jnp.where(hot[:P, None, None], vertices[None], level.polygon_vertices),
        polygon_n_vertices=jnp.where(hot[:P], n_vertices, level.polygon_n_vertices),
        circle_radius=jnp.where(hot[P:], cand.radius, level.circle_radius))
    if J:
        level = _commit_joint(level, cand, write & cand.joined, slot, priority[N:])
    return level, slot.astype(jnp.int32), write


def _commit_joint(level: Level, cand: Candidate, write, new_index, priority) -> Level:
    j = level.joint
    slot, exists = _free_slot(~j.active, priority)
    hot = (jnp.arange(j.active.shape[0]) == slot) & write & exists
    put = lambda old, new: jnp.where(hot.reshape(hot.shape + (1,) * (old.ndim - 1)), new, old)  # noqa: E731
    reference = cand.rotation - level.shape.rotation[cand.target]
    joint = j.replace(body_a=put(j.body_a, cand.target), body_b=put(j.body_b, new_index),
                      anchor_a=put(j.anchor_a, cand.anchor_target), anchor_b=put(j.anchor_b, cand.anchor_new),
                      reference_angle=put(j.reference_angle, reference), is_fixed=put(j.is_fixed, ~cand.revolute),
                      motor_on=put(j.motor_on, cand.motor_on), motor_speed=put(j.motor_speed, cand.motor_speed),
                      motor_power=put(j.motor_power, cand.motor_power),
                      motor_binding=put(j.motor_binding, cand.binding),
                      motor_auto=put(j.motor_auto, False), has_limits=put(j.has_limits, cand.has_limits),
                      lower_angle=put(j.lower_angle, cand.lower), upper_angle=put(j.upper_angle, cand.upper),
                      active=put(j.active, True))
    return level.replace(joint=joint)


def add_shape(u: Float[Array, "k 30"], level: Level, params: GeneratorParams, priority, connected, force_no_fixate,
              force_motor, enabled=True) -> tuple[Level, Int[Array, ""], Bool[Array, ""], Candidate]:
    """Propose ``k`` shapes, keep the best-scoring possible one, commit it (when ``enabled``).

    Args:
        u: (k, U.COUNT) uniforms, one row per proposal.
        priority: (N + J,) slot priorities (see :func:`commit`).
        connected: jointed to an existing shape (else a free shape).
        force_no_fixate: never fix the new shape.
        force_motor: the joint is revolute with its motor on (the generator's forced control).

    Returns:
        (level, new shape index, whether a shape was added, the chosen candidate).
    """
    connected, force_no_fixate, force_motor, enabled = (jnp.asarray(x, bool) for x in (
        connected, force_no_fixate, force_motor, enabled))
    ctx = make_context(level, params)
    cands = jax.vmap(propose, in_axes=(0, None, None, None, None, None, None))(
        u, level, ctx, params, connected, force_no_fixate, force_motor)
    best = jnp.argmin(jnp.where(cands.possible, cands.score, jnp.inf))
    cand = jax.tree_util.tree_map(lambda x: x[best], cands)
    level, index, written = commit(level, cand, cand.possible & enabled, priority)
    return level, index, written, cand

