"""``mutate_level``: ACCEL-style random edits of a level (reference 5.7), jittable.

Each edit picks one of :data:`mutations.MUTATIONS` with probability proportional to its weight
among the mutations that can apply (a free slot for additions, something to remove, two
distinct roles to swap, ...), applies it, and keeps the result only if it is still valid
(:func:`predicates.is_valid`, joints no further apart than before, green and blue not jointed
directly); otherwise the edit leaves the level unchanged.  Edits run in a ``lax.scan``.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Int

from ..engine._pytree import PyTreeNode
from .generate import DEFAULT_PARAMS
from .generator_params import GeneratorParams
from .level import Level
from .mutations import MUTATIONS, add_part, edit_uniforms, editable, settle_joints
from .predicates import green_blue_joined, is_valid, joint_error, movable
from .sample_shapes import categorical, uniforms

NAMES = tuple(name for name, _, _ in MUTATIONS)
ADD, ADD_CONNECTED = NAMES.index("add_shape"), NAMES.index("add_connected_shape")
SETTLING = ("change_size", "change_rotation")
JOINT_TOLERANCE = 1e-3  # [m] joints may open this much more than before an edit


class MutationWeights(PyTreeNode):
    """Unnormalised probability of each mutation (Kinetix's ACCEL defaults)."""

    add_shape: float = 1.0
    add_connected_shape: float = 1.0
    remove_joint: float = 0.0
    remove_shape: float = 0.0
    swap_role: float = 1.0
    add_thruster: float = 1.0
    remove_thruster: float = 1.0
    toggle_fixed: float = 0.1
    change_size: float = 1.0
    change_location: float = 1.0
    change_rotation: float = 1.0
    change_gravity: float = 0.0

    def as_array(self):
        return jnp.stack([jnp.asarray(getattr(self, name), jnp.float32) for name in NAMES])


DEFAULT_WEIGHTS = MutationWeights()


def applicable(level: Level) -> Bool[Array, " m"]:
    """(M,) which mutations can change ``level``, in :data:`NAMES` order."""
    st = level.static
    shapes = editable(level)
    free_shape = jnp.any(~level.shape.active & (jnp.arange(st.num_bodies) >= st.num_static_polygons))
    roles = jnp.where(shapes, level.shape.role, -1)
    distinct = jnp.sum(jnp.stack([jnp.any(roles == r) for r in range(4)]))
    any_shape = jnp.any(shapes)
    return jnp.stack([
        free_shape, free_shape & any_shape & jnp.any(~level.joint.active), jnp.any(level.joint.active), any_shape,
        distinct >= 2, jnp.any(~level.thruster.active) & jnp.any(movable(level)), jnp.any(level.thruster.active),
        any_shape, any_shape, any_shape, any_shape, jnp.array(True)])


def acceptable(new: Level, old: Level) -> Bool[Array, ""]:
    """Whether an edit's result may replace ``old``."""
    joints_ok = joint_error(new) <= jnp.maximum(joint_error(old), 0.0) + JOINT_TOLERANCE
    return is_valid(new) & joints_ok & (~green_blue_joined(new) | green_blue_joined(old))


def _edit(index, u, level: Level, params: GeneratorParams) -> Level:
    """The raw edit of mutation ``index``.  Additions share one :func:`proposals.add_shape` and
    moves share one :func:`mutations.settle_joints` (each compiles to a large program)."""
    added = add_part(u, level, params, index == ADD_CONNECTED)
    branches = []
    for name, fn, _ in MUTATIONS:
        if name in ("add_shape", "add_connected_shape"):
            branches.append(lambda u, lv: (lv, jnp.int32(-1)))
        elif name in SETTLING:
            branches.append(lambda u, lv, fn=fn: fn(u, lv, params))
        else:
            branches.append(lambda u, lv, fn=fn: (fn(u, lv, params), jnp.int32(-1)))
    edited, shape = jax.lax.switch(index, branches, u, level)
    edited = jax.tree_util.tree_map(lambda a, b: jnp.where((index == ADD) | (index == ADD_CONNECTED), a, b),
                                    added, edited)
    settled = settle_joints(edited, jnp.maximum(shape, 0))
    return jax.tree_util.tree_map(lambda a, b: jnp.where(shape >= 0, a, b), settled, edited)


def apply_mutation(index: Int[Array, ""], u, level: Level, params: GeneratorParams = DEFAULT_PARAMS) -> tuple:
    """Apply mutation number ``index`` (see :data:`NAMES`) with uniforms ``u``.

    Returns:
        (level, accepted): the edited level if acceptable, else ``level``.
    """
    new = _edit(index, u, level, params)
    ok = acceptable(new, level)
    return jax.tree_util.tree_map(lambda a, b: jnp.where(ok, a, b), new, level), ok


def mutate_level(key: jax.Array, level: Level, num_edits, weights: MutationWeights = DEFAULT_WEIGHTS,
                 params: GeneratorParams = DEFAULT_PARAMS) -> Level:
    """``num_edits`` random edits of one level (vmap over keys and levels for a batch).

    Args:
        key: PRNG key.
        level: the level to edit.
        num_edits: number of edits (Kinetix uses 5 for ACCEL, 2 for PLR); may be traced, so one
            compiled function serves every count.
        weights: per-mutation weights (traced).
        params: generator parameters (sizes, joint and thruster settings of added parts).
    """
    n = edit_uniforms(level, params)
    w = weights.as_array()

    def edit(i, level):
        u = uniforms(jax.random.fold_in(key, i), n + 1)
        weight = w * applicable(level)
        new, ok = apply_mutation(categorical(u[0], weight), u[1:], level, params)
        keep = ok & (jnp.sum(weight) > 0)  # no mutation can apply: the edit does nothing
        return jax.tree_util.tree_map(lambda a, b: jnp.where(keep, a, b), new, level)

    return jax.lax.fori_loop(0, num_edits, edit, level)
