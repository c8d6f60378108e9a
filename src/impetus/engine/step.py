"""``step``: one time step of ``dt`` as a short pipeline of named stages.

    body frames -> external accelerations (gravity, thrusters) -> narrow phase ->
    prepare contact rows -> prepare joint rows -> substeps (integrate velocities,
    warm start, soft solve, integrate positions, relax) -> restitution ->
    finalize (poses, clipping, warm-start cache, NaN guard)

The stages work in lane form (scenes on the last axis, see ``lanes``); ``step`` adds
the lane axis for one scene; under ``vmap`` (``step`` is a primitive with its own batching
rule) the batch axis becomes the lane axis.
"""

import jax
import jax.numpy as jnp
from jax.extend.core import Primitive
from jax.interpreters import batching, mlir

from .collide import Manifold, collide
from .contact_solver import prepare_contacts
from .joint_solver import per_scene_rows, prepare_joints
from .lanes import from_lanes, from_tiles, materialise, tile_shape, to_lanes, to_tiles
from .motion import DPX, DPY, DQ, VX, VY, W, initial_motion
from .plan import POINTS, Plan, make_plan
from .solver import substeps
from .types import NO_CONTACT_SEPARATION, Contacts, SimParams, SimState, StaticSimParams


def split_actions(actions, static: StaticSimParams):
    """(J, L) motor commands clipped to [-1, 1] and (T, L) thruster commands clipped to [0, 1]."""
    J = static.num_joints
    return jnp.clip(actions[:J], -1.0, 1.0), jnp.clip(actions[J:J + static.num_thrusters], 0.0, 1.0)


def movable_mask(state: SimState, static: StaticSimParams):
    """(N, L) 1.0 for bodies that move: active, finite mass, not a static polygon slot."""
    body = state.body
    slot = (jnp.arange(static.num_bodies) >= static.num_static_polygons)[:, None]
    return (body.active & (body.inverse_mass > 0) & slot).astype(jnp.float32)


@jax.named_scope("external_accelerations")
def external_accelerations(state: SimState, params: SimParams, thrust, cos, sin, movable):
    """(N, 3, L) linear and angular acceleration of every body from gravity and thrusters."""
    body, th = state.body, state.thruster
    N, T = body.position.shape[0], th.body.shape[0]
    owner = (jnp.arange(N)[None, :, None] == th.body[:, None, :]).astype(jnp.float32)  # (T, N, L)
    on = th.active & per_scene_rows(body.active, th.body)
    c, s = per_scene_rows(cos, th.body), per_scene_rows(sin, th.body)
    direction = th.angle + per_scene_rows(body.rotation, th.body)
    magnitude = params.base_thruster_power * th.power * thrust * on
    fx, fy = magnitude * jnp.cos(direction), magnitude * jnp.sin(direction)
    ax, ay = th.anchor[:, 0], th.anchor[:, 1]
    torque = (c * ax - s * ay) * fy - (s * ax + c * ay) * fx
    per_thruster = owner[:, :, None] * jnp.stack([fx, fy, torque], axis=1)[:, None]  # (T, N, 3, L)
    wrench = sum(per_thruster[t] for t in range(T)) if T else jnp.zeros((N, 3, *fx.shape[1:]))  # unrolled
    scale = jnp.stack([body.inverse_mass, body.inverse_mass, body.inverse_inertia], axis=1)
    gravity = jnp.concatenate([jnp.broadcast_to(state.gravity[None], (N, 2, *state.gravity.shape[1:])),
                               jnp.zeros_like(body.rotation)[:, None]], axis=1)
    return (scale * wrench + gravity) * movable[:, None]


@jax.named_scope("prepare_contacts")
def prepare_all_contacts(state, params, plan: Plan, manifolds: dict[str, Manifold], h):
    rows, imps = {}, {}
    for kind, m in manifolds.items():
        kp = plan.kinds[kind]
        rows[kind], imps[kind] = prepare_contacts(state, params, kp.a, kp.b, m, plan.offsets[kind], h)
    return rows, imps


def _store_contacts(manifolds: dict[str, Manifold], imps, rows, lanes: int) -> Contacts:
    """Warm-start cache in unified plan order (points padded to 2)."""
    def pad(x, kind):
        return x if POINTS[kind] == 2 else jnp.concatenate([x, jnp.zeros_like(x)], axis=1)

    parts: dict[str, list] = {"n": [], "t": [], "f": [], "s": []}
    for kind, m in manifolds.items():
        act = rows[kind].active
        parts["n"].append(pad(imps[kind].normal * act, kind))
        parts["t"].append(pad(imps[kind].tangent * act, kind))
        parts["f"].append(pad(m.feature, kind))
        parts["s"].append(jnp.min(jnp.where(m.valid, m.separation, NO_CONTACT_SEPARATION), axis=1))
    if not manifolds:
        z = jnp.zeros((0, 2, lanes))
        return Contacts(normal_impulse=z, tangent_impulse=z, feature=z.astype(jnp.int32),
                        separation=jnp.zeros((0, lanes)))
    return Contacts(normal_impulse=jnp.concatenate(parts["n"]), tangent_impulse=jnp.concatenate(parts["t"]),
                    feature=jnp.concatenate(parts["f"]), separation=jnp.concatenate(parts["s"]))


def _finite_per_lane(leaves):
    """(L,) True where every element of the float ``leaves`` (each (..., L)) is finite in that lane.

    ``sum(x * 0)`` is 0 for finite x and NaN as soon as one element is inf or NaN.  The rows of all
    leaves are concatenated (zero-padded to a power of two) and summed by pairwise halving: plain
    adds that XLA:CPU fuses into one loop vectorised over lanes.  Per-leaf boolean ``all``
    reductions cost ~2 ms of a 12 ms M step; a ``jnp.sum`` over rows went to a slow YNNPACK reduce.
    """
    rows = [x.reshape(-1, x.shape[-1]) for x in leaves]
    count = sum(r.shape[0] for r in rows)
    pad = (1 << max(count - 1, 0).bit_length()) - count
    rows = jnp.concatenate([*rows, jnp.zeros((pad, rows[0].shape[-1]), rows[0].dtype)]) * 0.0
    while rows.shape[0] > 1:  # pairwise halving: one vectorised loop over lanes, no reduce op
        half = rows.shape[0] // 2
        rows = rows[:half] + rows[half:]
    return jnp.isfinite(rows[0])


@jax.named_scope("finalize")
def finalize(state: SimState, params: SimParams, V, D, manifolds, imps, rows, jimps) -> SimState:
    """New poses and velocities, clipped; warm-start caches; roll a lane back on NaN/inf."""
    body = state.body
    position = jnp.clip(body.position + D[:, DPX:DPY + 1], -params.clip_position, params.clip_position)
    new = state.replace(
        body=body.replace(position=position, rotation=body.rotation + D[:, DQ],
                          velocity=V[:, VX:VY + 1], angular_velocity=V[:, W]),
        joint=state.joint.replace(linear_impulse=jnp.stack([jimps.linear_x, jimps.linear_y], axis=1),
                                  angular_impulse=jimps.angular, motor_impulse=jimps.motor,
                                  lower_impulse=jimps.lower, upper_impulse=jimps.upper),
        contacts=_store_contacts(manifolds, imps, rows, V.shape[-1]),
    )
    b, j, c = new.body, new.joint, new.contacts
    ok = _finite_per_lane((b.position, b.rotation, b.velocity, b.angular_velocity, j.linear_impulse,
                           j.angular_impulse, j.motor_impulse, j.lower_impulse, j.upper_impulse,
                           c.normal_impulse, c.tangent_impulse, c.separation))
    rolled_back = state.replace(nonfinite=jnp.ones_like(state.nonfinite))
    # leaves the step does not change stay the very same arrays (``_step_batch`` relies on it)
    return jax.tree_util.tree_map(lambda a, b: a if a is b else jnp.where(ok, a, b), new, rolled_back)


def step_lanes(state: SimState, params: SimParams, actions) -> SimState:
    """:func:`step` on a state in lane form (leaves with a trailing scene axis)."""
    static = state.static
    plan = make_plan(static)
    h = params.dt / static.num_substeps
    motor, thrust = split_actions(actions, static)
    cos, sin = materialise(jnp.cos(state.body.rotation)), materialise(jnp.sin(state.body.rotation))
    movable = movable_mask(state, static)
    accel = external_accelerations(state, params, thrust, cos, sin, movable)
    manifolds = collide(state, params, plan, cos, sin)
    rows, imps = prepare_all_contacts(state, params, plan, manifolds, h)
    jrows, jimps, jsoft = prepare_joints(state, params, motor, cos, sin, h)
    V, D = initial_motion(state.body.velocity * movable[:, None], state.body.angular_velocity * movable)
    V, D, imps, jimps = substeps(V, D, plan, params, accel, movable, rows, imps, jrows, jimps, jsoft, h)
    return finalize(state, params, V, D, manifolds, imps, rows, jimps)


def _step_one(*leaves, treedef):
    """The step of one scene on flat leaves: the pipeline with a lane axis of size 1."""
    state, params, actions = jax.tree_util.tree_unflatten(treedef, leaves)
    new = from_lanes(step_lanes(to_lanes(state, False), params, to_lanes(actions, False)), False)
    return jax.tree_util.tree_leaves(new)


def _step_batch(state, params, actions, params_batched):
    """The step of a batch (leading axis of ``state`` and ``actions``; batched ``params`` leaves are (B,)).

    Scenes go to the lane axis; large batches are stepped tile by tile (:func:`lanes.tile_shape`).
    Leaves the step leaves unchanged (shapes, joints, thrusters, ...) are returned as they came in,
    not moved back from lanes: two fewer copies of each per step.
    """
    batch = state.body.active.shape[0]
    leaves, treedef = jax.tree_util.tree_flatten(state)
    count, lanes = tile_shape(batch, make_plan(state.static).num_pairs)
    if count == 1:  # batched params are (B,) and broadcast against the lane axis as they are
        lane_state = to_lanes(state, True)
        new = step_lanes(lane_state, params, to_lanes(actions, True))
        return jax.tree_util.tree_unflatten(treedef, [
            x if n is i else jnp.moveaxis(n, -1, 0) for x, n, i in
            zip(leaves, jax.tree_util.tree_leaves(new), jax.tree_util.tree_leaves(lane_state), strict=True)])
    p_leaves, p_def = jax.tree_util.tree_flatten(params)
    batched = [x for x, b in zip(p_leaves, params_batched, strict=True) if b]
    changed = []

    def one_tile(tile):
        st, act, bat = tile
        it = iter(bat)
        p = jax.tree_util.tree_unflatten(p_def, [next(it) if b else x for x, b in zip(p_leaves, params_batched,
                                                                                      strict=True)])
        pairs = list(zip(jax.tree_util.tree_leaves(step_lanes(st, p, act)), jax.tree_util.tree_leaves(st),
                         strict=True))
        changed[:] = [n is not i for n, i in pairs]
        return [n for n, i in pairs if n is not i]

    tiled = jax.tree_util.tree_map(lambda x: to_tiles(x, count, lanes), (state, actions, batched))
    out = iter(jax.lax.map(one_tile, tiled))
    return jax.tree_util.tree_unflatten(treedef, [from_tiles(next(out), batch) if c else x
                                                  for x, c in zip(leaves, changed, strict=True)])


def _vmap_rule(args, dims, *, treedef):
    """Batching rule of :data:`step_p`: the whole batch runs through one lane-form pipeline."""
    size = next(x.shape[d] for x, d in zip(args, dims, strict=True) if d is not None)
    n_state, n_params, _ = (t.num_leaves for t in treedef.children())
    mapped = [d is not None for d in dims]
    # state and actions: batch axis first (broadcast where unbatched); params: batched leaves (B,)
    leaves = [jnp.moveaxis(x, d, 0) if m else x if n_state <= i < n_state + n_params
              else jnp.broadcast_to(x, (size, *x.shape))
              for i, (x, d, m) in enumerate(zip(args, dims, mapped, strict=True))]
    state, params, actions = jax.tree_util.tree_unflatten(treedef, leaves)
    out = jax.tree_util.tree_leaves(_step_batch(state, params, actions, mapped[n_state:n_state + n_params]))
    return out, [0] * len(out)


def _abstract_step(*avals, treedef):
    """The new state has the shapes and dtypes of the old one."""
    return avals[:treedef.children()[0].num_leaves]


step_p = Primitive("impetus_step")
step_p.multiple_results = True
step_p.def_abstract_eval(_abstract_step)
step_p.def_impl(jax.jit(_step_one, static_argnames="treedef"))
batching.primitive_batchers[step_p] = _vmap_rule
mlir.register_lowering(step_p, mlir.lower_fun(_step_one, multiple_results=True))


def step(state: SimState, params: SimParams, actions) -> SimState:
    """Advance one scene by ``params.dt``.

    Args:
        state: the scene (it carries its :class:`StaticSimParams` as tree metadata).
        params: physical coefficients (traced; may differ per scene under ``vmap``).
        actions: ``(J + T,)``: per-joint motor commands in [-1, 1] followed by
            per-thruster commands in [0, 1] (out-of-range values are clipped).

    Returns:
        The new state.  If the step produced a NaN or inf anywhere, the input state is
        returned instead with ``nonfinite`` set (it stays set).

    ``step`` is one JAX primitive (``step_p``).  ``jax.vmap(step)`` runs the batch through
    the same pipeline with scenes laid out on the innermost axis (see ``lanes``), so a
    batch of one equals the unbatched step bitwise.  Large batches are stepped in tiles
    of lanes, one tile after another (:func:`lanes.tile_shape`), which keeps the solver's
    working set in cache.  Being a primitive, ``step`` is traced only in the form that
    runs: under ``vmap`` the single-scene pipeline is never traced (a ``custom_vmap``
    traced both, which cost a second of every compile).  It has no differentiation rule.
    """
    leaves, treedef = jax.tree_util.tree_flatten((state, params, actions))
    out = step_p.bind(*leaves, treedef=treedef)
    return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(state), out)
