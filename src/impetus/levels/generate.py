"""The random level distribution (Kinetix ``sample_kinetix_level``, reference section 5.6).

``sample_level(key, static, params)`` is pure and jittable; ``jax.vmap`` it over keys for a
batch.  Steps, as upstream:

1. the world box; the floor's role is neutral / green / blue / red with 0.9 / 0 / 0.02 / 0.08;
2. one *addition event* per free shape slot (``K = P + C - 4``), in a ``lax.scan``:
   events 0 and 1 add free shapes, which become green and blue (at most one of them may be
   fixed); event 2 is the forced control: a shape jointed by a motorised revolute joint (for
   the "motor" and "both" options) or a free shape; events 3.. add a jointed shape (0.35), a
   free shape (0.35) or nothing (0.3).  Each addition keeps the best of
   ``add_shape_n_proposals`` proposals (``proposals.py``);
3. thrusters, vectorised over the T slots: slot 0 is the forced thruster (options "thruster"
   and "both", on a movable shape from events 0..2), slots 1.. appear with
   ``add_thruster_chance`` on any movable shape;
4. green and blue swap with probability 0.5 when the floor is neutral.
Slots are filled in a random order (Kinetix permutes them at the end).

Deliberate differences from upstream: the forced motor is always on (upstream it is on with
probability 0.8, so about 7% of levels had no control), and a thruster is added whenever the
forced motor could not be placed, so every level has a control; size S draws 8 proposals
like the others (upstream draws 1 there to dodge an XLA bug).
"""

import jax
import jax.numpy as jnp
import numpy as np

from ..engine import StaticSimParams
from .generator_params import GeneratorParams
from .level import BLUE, GREEN, NEUTRAL, Level
from .predicates import motor_controls, movable
from .proposals import U, add_shape
from .sample_shapes import categorical, choose, sample_thruster, seed_of, stream
from .world import NUM_WALLS, local_centres, shape_areas, walls_level

DEFAULT_PARAMS = GeneratorParams()
NONE, FREE, JOINED = 0, 1, 2  # addition event kinds
_FLOOR, _GREEN_FIXABLE, _CONTROL, _SWAP, _MISC = range(5)  # layout of the per-level uniforms
_THRUSTER_U = 10  # uniforms per thruster slot: on, body, 8 for sample_thruster


def check_static(static: StaticSimParams) -> None:
    """Raise ``ValueError`` unless ``static`` can hold a generated level."""
    free = static.num_polygons + static.num_circles - static.num_static_polygons
    problems = [
        (static.num_static_polygons == NUM_WALLS, "num_static_polygons must be 4 (floor, walls, ceiling)"),
        (static.max_polygon_vertices >= 4, "max_polygon_vertices must be >= 4"),
        (free >= 3, "at least 3 free shape slots are needed (green, blue, control)"),
        (static.num_joints + static.num_thrusters >= 1, "a joint or thruster slot is needed for the control"),
        (static.num_polygons > static.num_static_polygons, "at least one free polygon slot is needed"),
    ]
    for ok, message in problems:
        if not ok:
            raise ValueError(f"sample_level: {message} (got {static})")


def _event_plan(m, floor_role, num_events: int, force_motor, params: GeneratorParams):
    """Per event: kind, never-fix flag, forced-motor flag (each (K,))."""
    e = jnp.arange(num_events)
    chances = jnp.stack([params.add_no_shape_chance, params.add_shape_chance, params.add_connected_shape_chance])
    kinds = jax.vmap(lambda u: categorical(u, chances))(m[_MISC:_MISC + num_events])
    kinds = jnp.where(e < 2, FREE, jnp.where(e == 2, jnp.where(force_motor, JOINED, FREE), kinds))
    green_fixable = (m[_GREEN_FIXABLE] >= 0.5) & (floor_role != BLUE)  # Kinetix: f = U < 0.5 or blue floor
    small = num_events <= params.never_fixate_max_free_slots
    no_fix = jnp.where(e == 0, ~green_fixable, jnp.where(e == 1, green_fixable, False)) | small
    return kinds, no_fix, (e == 2) & force_motor


def _add_shapes(level: Level, seed, start: int, plan, priority, params: GeneratorParams):
    """Run the addition events; returns (level, birth event of each slot or -1).

    Event ``e`` reads its proposals' uniforms from ``stream(seed, start + e * n, n)``.
    """
    N = level.static.num_bodies
    kinds, no_fix, force_motor = plan
    k = params.add_shape_n_proposals
    n = k * U.COUNT

    def body(carry, x):
        level, born = carry
        kind, nofix, motor, e = x
        u = stream(seed, start + e * n, n).reshape(k, U.COUNT)
        level, index, written, _ = add_shape(u, level, params, priority, kind == JOINED, nofix, motor,
                                             enabled=kind != NONE)
        born = jnp.where(written & (jnp.arange(N) == index), e, born)
        return (level, born), None

    xs = (kinds, no_fix, force_motor, jnp.arange(kinds.shape[0]))
    (level, born), _ = jax.lax.scan(body, (level, jnp.full((N,), -1, jnp.int32)), xs)
    return level, born


def _add_thrusters(level: Level, u, born, force, priority, params: GeneratorParams) -> Level:
    """Fill the thruster slots at once: slot 0 when ``force``, others with add_thruster_chance."""
    T = level.static.num_thrusters
    if T == 0:
        return level
    can = movable(level)
    early = can & (born >= 0) & (born <= 2)
    early = jnp.where(jnp.any(early), early, can)
    first = jnp.arange(T) == 0
    eligible = jnp.where(first[:, None], early[None, :], can[None, :])
    body, exists = jax.vmap(choose)(u[:, 1], eligible)
    on = jnp.where(first, force, u[:, 0] < params.add_thruster_chance) & exists
    area, centre = shape_areas(level), local_centres(level)
    anchor, angle, power, binding = jax.vmap(sample_thruster, (0, None, 0, None, None, None))(
        u[:, 2:], level, body, area, centre, params)
    order = jnp.argsort(priority)  # random slot order
    t = level.thruster.replace(body=body, anchor=anchor, angle=angle, power=power, binding=binding, active=on)
    t = jax.tree_util.tree_map(lambda x: x[order], t)
    return level.replace(thruster=t.replace(body=jnp.where(t.active, t.body, 0)))


def _swap_goals(level: Level, do) -> Level:
    role = level.shape.role
    swapped = jnp.where(role == GREEN, BLUE, jnp.where(role == BLUE, GREEN, role))
    return level.replace(shape=level.shape.replace(role=jnp.where(do, swapped, role)))


def sample_level(key: jax.Array, static: StaticSimParams, params: GeneratorParams = DEFAULT_PARAMS) -> Level:
    """One random level of capacities ``static`` (jittable with ``static`` static; vmap over keys).

    Args:
        key: a PRNG key.
        static: the capacities (4 static polygons; e.g. ``engine.scenes.static_for_size("m")``).
        params: the distribution's parameters.

    Returns:
        A level with green and blue shapes, at least one control, and shapes, joints and
        thrusters in random slots.
    """
    check_static(static)
    N, J, T = static.num_bodies, static.num_joints, static.num_thrusters
    K = N - static.num_static_polygons
    seed = seed_of(key)
    sizes = [_MISC + K, T * _THRUSTER_U, N + J + T]
    m, u_thrust, priority = jnp.split(stream(seed, 0, sum(sizes)), np.cumsum(sizes)[:-1])
    u_thrust = u_thrust.reshape(T, _THRUSTER_U)
    level = walls_level(static, jnp.stack([jnp.float32(0.0), jnp.float32(params.gravity_y)]), params.max_timesteps)
    floor_probs = jnp.stack([params.floor_prob_normal, params.floor_prob_green, params.floor_prob_blue,
                             params.floor_prob_red])
    floor_role = categorical(m[_FLOOR], floor_probs)
    level = level.replace(shape=level.shape.replace(role=level.shape.role.at[0].set(floor_role)))
    option = jnp.minimum(jnp.floor(m[_CONTROL] * 3), 2)  # 0 motor, 1 thruster, 2 both
    force_motor = ((option != 1) | (T == 0)) & (J > 0)  # without thruster slots, the control is a motor
    plan = _event_plan(m, floor_role, K, force_motor, params)
    level, born = _add_shapes(level, seed, sum(sizes), plan, priority[:N + J], params)
    force_thruster = (option != 0) | ~jnp.any(motor_controls(level))
    level = _add_thrusters(level, u_thrust, born, force_thruster, priority[N + J:], params)
    return _swap_goals(level, (m[_SWAP] < 0.5) & (floor_role == NEUTRAL))
