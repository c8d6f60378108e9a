"""Geometry of a proposed shape against the level: overlap count and joint visibility.

Shapes are summarised by their bounding boxes in their own frames (``LocalBoxes``): exact for
the generator's boxes (a triangle gets the box it was cut from), and the same summary
Kinetix's visibility test uses.  Overlap tests use *rounded boxes*: a polygon's box, or a
zero-size box of radius ``r`` for a circle.  :func:`box_separation` is the separating-axis value
over both boxes' axes and the centre-to-centre axis: its sign is exact for two boxes and for two
circles, and it errs towards "overlapping" only near a box corner facing a circle.

A candidate is anything with the fields of ``proposals.Candidate`` (``is_polygon``, ``half``,
``radius``, ``position``, ``rotation``, ``target``, ``anchor_new``, ``anchor_target``).  One
candidate, one level; vmap for more.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..engine._pytree import PyTreeNode
from ..engine.geometry import rotate
from .level import Level

_FAR = 1e6


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


class LocalBoxes(PyTreeNode):
    """Per shape slot (N rows): bounding box in the shape frame and radius (circles)."""

    offset: Float[Array, "n 2"]  # box centre in the shape frame [m] (circles: 0)
    half: Float[Array, "n 2"]  # half extents [m] (circles: 0)
    radius: Float[Array, " n"]  # [m] (polygons: 0)


def local_boxes(level: Level) -> LocalBoxes:
    used = (jnp.arange(level.static.max_polygon_vertices)[None, :] < level.polygon_n_vertices[:, None])[..., None]
    lo = jnp.min(jnp.where(used, level.polygon_vertices, _FAR), axis=1)
    hi = jnp.max(jnp.where(used, level.polygon_vertices, -_FAR), axis=1)
    zeros = jnp.zeros((level.static.num_circles, 2))
    return LocalBoxes(offset=jnp.concatenate([0.5 * (lo + hi), zeros]), half=jnp.concatenate([0.5 * (hi - lo), zeros]),
                      radius=jnp.concatenate([jnp.zeros((level.static.num_polygons,)), level.circle_radius]))


def world_boxes(level: Level, boxes: LocalBoxes) -> RoundedBox:
    """Rounded world boxes of every slot."""
    s = level.shape
    c, sn = jnp.cos(s.rotation), jnp.sin(s.rotation)
    return RoundedBox(centre=s.position + rotate(c, sn, boxes.offset), cos=c, sin=sn, half=boxes.half,
                      radius=boxes.radius)


def overlap_count(cand, level: Level, boxes: RoundedBox, exclude: Int[Array, ""]) -> Int[Array, ""]:
    """Number of active shapes (other than ``exclude``) that the candidate overlaps.

    Args:
        boxes: ``world_boxes`` of the level (computed once for all proposals).
    """
    mine = RoundedBox(centre=cand.position, cos=jnp.cos(cand.rotation), sin=jnp.sin(cand.rotation),
                      half=jnp.where(cand.is_polygon, cand.half, 0.0), radius=cand.radius)
    others = level.shape.active & (jnp.arange(level.static.num_bodies) != exclude)
    count = jnp.int32(0)
    for i in range(level.static.num_bodies):  # unrolled: a fused reduction over slots is slow on CPU
        box = jax.tree_util.tree_map(lambda x, i=i: x[i], boxes)
        count = count + (others[i] & (box_separation(mine, box) < 0.0)).astype(jnp.int32)
    return count


def reach(half: Float[Array, " 2"], radius, is_polygon, anchor: Float[Array, " 2"]):
    """(nearest, farthest) boundary distance from a point inside a box (``anchor`` relative to the
    box centre) or a circle (relative to its centre) [m] (Kinetix's visibility formulas)."""
    ax, ay = jnp.abs(anchor[0]), jnp.abs(anchor[1])
    box_near = jnp.minimum(half[0] - ax, half[1] - ay)
    box_far = jnp.sqrt((half[0] + ax) ** 2 + (half[1] + ay) ** 2)
    off = jnp.sqrt(ax * ax + ay * ay)
    return jnp.where(is_polygon, box_near, radius - off), jnp.where(is_polygon, box_far, radius + off)


def visible_pair(cand, boxes: LocalBoxes, target_polygon, margin) -> Bool[Array, ""]:
    """Kinetix's "both shapes showing" test of a jointed pair: turning about the joint, each
    shape reaches ``margin`` beyond the other's nearest edge.  Two circles never pass."""
    t = cand.target
    near_new, far_new = reach(cand.half, cand.radius, cand.is_polygon, cand.anchor_new)
    near_t, far_t = reach(boxes.half[t], boxes.radius[t], target_polygon, cand.anchor_target - boxes.offset[t])
    shows = (far_new > near_t + margin) & (far_t > near_new + margin)
    return shows & (cand.is_polygon | target_polygon)
