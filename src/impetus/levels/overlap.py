"""Cheap signed separations between shapes, and the polygon convexity check (jittable).

Overlap tests for the generator use *rounded boxes*: a polygon is replaced by the bounding box
of its vertices in its own frame (exact for the generator's boxes, a slight over-estimate for
triangles), a circle by a zero-size box of radius ``r``.  :func:`box_separation` is the
separating-axis value over both boxes' axes and the centre-to-centre axis: its sign is exact
for two boxes and for two circles, and it errs towards "overlapping" only near a box corner
facing a circle.  Everything is elementwise (no reductions), so a batch of proposals against
every slot of a level fuses into one loop.
"""

import jax.numpy as jnp
from jaxtyping import Array, Float

from ..engine._pytree import PyTreeNode
from ..engine.geometry import cross, dot, next_vertex


class RoundedBox(PyTreeNode):
    """Oriented boxes with rounded corners; any leading shape."""

    centre: Float[Array, "... 2"]  # world [m]
    cos: Float[Array, "..."]
    sin: Float[Array, "..."]
    half: Float[Array, "... 2"]  # half extents along the box axes [m]
    radius: Float[Array, "..."]  # [m]


def _extent(box: RoundedBox, lx, ly):
    """Half width of ``box`` projected on the unit axis (lx, ly)."""
    return (box.half[..., 0] * jnp.abs(box.cos * lx + box.sin * ly)
            + box.half[..., 1] * jnp.abs(-box.sin * lx + box.cos * ly) + box.radius)


def box_separation(a: RoundedBox, b: RoundedBox) -> Float[Array, "..."]:
    """Separating-axis separation of two rounded boxes [m] (negative: overlap); broadcasts."""
    dx, dy = b.centre[..., 0] - a.centre[..., 0], b.centre[..., 1] - a.centre[..., 1]
    dist = jnp.sqrt(dx * dx + dy * dy)
    safe = jnp.where(dist > 1e-9, dist, 1.0)
    axes = [(a.cos, a.sin), (-a.sin, a.cos), (b.cos, b.sin), (-b.sin, b.cos),
            (jnp.where(dist > 1e-9, dx / safe, 1.0), jnp.where(dist > 1e-9, dy / safe, 0.0))]
    seps = [jnp.abs(dx * lx + dy * ly) - _extent(a, lx, ly) - _extent(b, lx, ly) for lx, ly in axes]
    out = seps[0]
    for s in seps[1:]:
        out = jnp.maximum(out, s)
    return out


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
