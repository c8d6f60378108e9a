"""Lane layout: the engine core works on arrays whose *last* axis indexes scenes.

XLA:CPU (and GPUs) vectorise best when the scene batch is the innermost, contiguous
axis: every per-row quantity becomes a contiguous vector over scenes.  ``jax.vmap``
instead puts the batch first, which made the solver 5x slower in our measurements.  So
the core of the engine takes a :class:`SimState` whose leaves carry one extra trailing
"lane" axis of size ``L`` (``L = 1`` for a single scene) and ``step`` (a JAX primitive) has a vmap
rule that moves the batch axis to the lanes.  The same code therefore runs for one
scene and for a batch, which also makes a batch of one bitwise equal to an unbatched
call.

Large batches are cut into *tiles* of lanes that are stepped one after another
(``lax.map``), so that the working set of one solver pass (contact rows x lanes) stays
in cache: without tiles the cost per scene rose up to 3x from 256 to 2048 scenes at
size L (see :func:`tile_shape`).

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


#: Contact rows x lanes that one tile may hold.  Measured on a 2-core x86 CPU (batch
#: 2048, two host devices, `impetus bench engine`), scene-steps/s by lanes per tile:
#: S (17 rows) 512: 112k, 1024: 122k, untiled: 94k; M (34 rows) 256: 57k, 512: 74k,
#: 1024: 76k, untiled: 75k; L (114 rows) 128: 12.9k, 256: 13.2k, 512: 7.6k, untiled: 4.5k.
TILE_BUDGET = 32768


def tile_shape(batch: int, rows: int) -> tuple[int, int]:
    """(tiles, lanes per tile) for ``batch`` scenes whose solver has ``rows`` contact rows.

    The number of tiles is the smallest power of two that keeps ``lanes * rows`` within
    :data:`TILE_BUDGET` (at least 128 lanes per tile); lanes are rounded up to a multiple of 8, the
    tail of the last tile is padding.  Powers of two keep tiles aligned with a batch
    sharded over devices.
    """
    max_lanes = max(128, TILE_BUDGET // max(rows, 1))
    count = 1
    while -(-batch // count) > max_lanes:
        count *= 2
    if count == 1:
        return 1, batch
    lanes = -(-batch // count)
    return count, -(-lanes // 8) * 8


def to_tiles(x, count: int, lanes: int):
    """(B, ...) -> (count, ..., lanes): scene ``b`` goes to tile ``b % count``, lane ``b // count``.

    Missing lanes (``count * lanes > B``) repeat the last scene; :func:`from_tiles` drops them.
    """
    pad = count * lanes - x.shape[0]
    if pad:
        x = jnp.concatenate([x, jnp.broadcast_to(x[-1:], (pad, *x.shape[1:]))], axis=0)
    return jnp.moveaxis(x.reshape((lanes, count, *x.shape[1:])), 0, -1)


def from_tiles(x, batch: int):
    """Inverse of :func:`to_tiles`: (count, ..., lanes) -> (batch, ...)."""
    count, lanes = x.shape[0], x.shape[-1]
    return jnp.moveaxis(x, -1, 0).reshape((lanes * count, *x.shape[1:-1]))[:batch]


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


def materialise(x):
    """``x`` unchanged, but computed once into memory instead of inside every consumer (XLA:CPU).

    XLA fuses cheap elementwise producers into each of their consumers and recomputes them
    there.  Long chains feeding many consumers therefore ran many times: ``cos`` and ``sin``
    of the body angles inside every gathered polygon vertex, the separating-axis search inside
    every manifold output (together 70 % of the narrow phase).  A division is expensive and is
    never duplicated, so ``x`` is divided by a one the compiler cannot prove to be one:
    ``round(sqrt(0 * x + 1))`` is exactly 1.0 for finite ``x`` (NaN where ``x`` is inf or NaN,
    which the non-finite guard sees the same way; subnormals flush to zero as in any XLA:CPU
    arithmetic).  Integers (exact below 2**24) and booleans
    go through float32.  Only worth it where the result has several consumers.
    """
    if x.dtype == jnp.bool_:
        return materialise(x.astype(jnp.float32)) > 0.5
    if jnp.issubdtype(x.dtype, jnp.integer):
        return materialise(x.astype(jnp.float32)).astype(x.dtype)
    return x / jnp.round(jnp.sqrt(x * 0.0 + 1.0))
