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


def box_separation(a: RoundedBox, b: RoundedBox) -> Float[Array, "..."]:
    """Separating-axis separation of two rounded boxes [m] (negative: overlap); broadcasts.

    Axes: both boxes' two axes and the centre-to-centre direction.  A box's extent along its
    own axes is its half extent; along the other box's axes it follows from the relative angle.
    """
    dx, dy = b.centre[..., 0] - a.centre[..., 0], b.centre[..., 1] - a.centre[..., 1]
    c = jnp.abs(a.cos * b.cos + a.sin * b.sin)  # |cos| and |sin| of the relative angle
    s = jnp.abs(a.cos * b.sin - a.sin * b.cos)
    ax, ay = a.half[..., 0], a.half[..., 1]
    bx, by = b.half[..., 0], b.half[..., 1]
    r = a.radius + b.radius
    da_u, da_v = jnp.abs(dx * a.cos + dy * a.sin), jnp.abs(dy * a.cos - dx * a.sin)  # |d| along a's axes
    db_u, db_v = jnp.abs(dx * b.cos + dy * b.sin), jnp.abs(dy * b.cos - dx * b.sin)
    dist = jnp.sqrt(dx * dx + dy * dy)
    centre_axis = dist - (ax * da_u + ay * da_v + bx * db_u + by * db_v) / jnp.maximum(dist, 1e-9)
    out = jnp.maximum(da_u - ax - bx * c - by * s, da_v - ay - bx * s - by * c)
    out = jnp.maximum(out, jnp.maximum(db_u - bx - ax * c - ay * s, db_v - by - ax * s - ay * c))
    return jnp.maximum(out, centre_axis) - r


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
