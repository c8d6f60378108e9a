"""Lane layout: the engine core works on arrays whose *last* axis indexes scenes.

XLA:CPU (and GPUs) vectorise best when the scene batch is the innermost, contiguous
axis: every per-row quantity becomes a contiguous vector over scenes.  ``jax.vmap``
instead puts the batch first, which made the solver 5x slower in our measurements.  So
the core of the engine takes a :class:`SimState` whose leaves carry one extra trailing
"lane" axis of size ``L`` (``L = 1`` for a single scene) and ``step`` has a custom vmap
rule that moves the batch axis to the lanes.  The same code therefore runs for one
scene and for a batch, which also makes a batch of one bitwise equal to an unbatched
call.

Helpers here gather and write rows selected by *per-scene* indices (joint and thruster
bodies) with one-hot masks over the (small) body axis, never with scatters.
"""

import jax
import jax.numpy as jnp


def to_lanes(tree, batched: bool):
    """Add the lane axis: move a leading batch axis last, or append an axis of size 1."""
    if batched:
        return jax.tree_util.tree_map(lambda x: jnp.moveaxis(x, 0, -1), tree)
    return jax.tree_util.tree_map(lambda x: x[..., None], tree)


def from_lanes(tree, batched: bool):
    if batched:
        return jax.tree_util.tree_map(lambda x: jnp.moveaxis(x, -1, 0), tree)
    return jax.tree_util.tree_map(lambda x: x[..., 0], tree)


def onehot(index, size: int):
    """(size, L) float mask selecting row ``index[l]`` in lane ``l``."""
    return (jnp.arange(size)[:, None] == index[None, :]).astype(jnp.float32)


def select_rows(table, mask):
    """Row ``index[l]`` of ``table`` (rows first, lanes last) given ``mask = onehot(index)``.

    Written as an unrolled sum over the (small) row axis: one fused elementwise loop, much
    faster on XLA:CPU than a reduction over a leading axis.
    """
    extra = (None,) * (table.ndim - 2)
    total = table[0] * mask[0][extra]
    for i in range(1, table.shape[0]):
        total = total + table[i] * mask[i][extra]
    return total
