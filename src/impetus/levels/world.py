"""The Kinetix world (5 m x 5 m box) and jittable geometry of a :class:`Level`'s shapes.

The four static polygons (slots 0..3: floor, left wall, right wall, ceiling) are the boxes
of ``engine.SceneBuilder.add_walls``: fixed, collision mode 2, role 0.  The floor's top is at
``y = FLOOR_Y``, the walls at ``x = 0`` and ``x = WORLD_SIZE``, the ceiling at ``y = WORLD_SIZE``.

Frames: a shape's ``position`` is its shape-frame origin; polygon vertices are given in that
frame (see ``level.py``).  Functions here work on one level (vmap them for a batch).
"""

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from ..engine import StaticSimParams
from ..engine.geometry import polygon_mass, rotate
from .level import Level, empty_level

WORLD_SIZE = 5.0  # [m]
FLOOR_Y = 0.4  # top of the floor [m]
WALL_THICKNESS = 5.0  # half-thickness of the static boxes [m], as SceneBuilder.add_walls
NUM_WALLS = 4


def wall_boxes(size: float = WORLD_SIZE, floor: float = FLOOR_Y, thickness: float = WALL_THICKNESS):
    """(centre, half extents) of floor, left wall, right wall and ceiling (``add_walls`` geometry)."""
    half = size / 2
    return [((half, floor - thickness), (half + thickness, thickness)),
            ((-thickness, half), (thickness, half + thickness)),
            ((size + thickness, half), (thickness, half + thickness)),
            ((half, size + thickness), (half + thickness, thickness))]


def box_corners(hx, hy):
    """The 4 corners of a box with half extents (hx, hy), counter-clockwise from (-hx, -hy): (..., 4, 2)."""
    hx, hy = jnp.asarray(hx, jnp.float32), jnp.asarray(hy, jnp.float32)
    xs = jnp.stack([-hx, hx, hx, -hx], axis=-1)
    ys = jnp.stack([-hy, -hy, hy, hy], axis=-1)
    return jnp.stack([xs, ys], axis=-1)


def walls_level(static: StaticSimParams, gravity=(0.0, -9.81), max_timesteps: int = 256) -> Level:
    """An empty level holding only the floor, walls and ceiling in polygon slots 0..3."""
    if static.num_static_polygons < NUM_WALLS:
        raise ValueError(f"walls_level: needs num_static_polygons >= {NUM_WALLS} (got {static})")
    level = empty_level(static, gravity, max_timesteps)
    V = static.max_polygon_vertices
    if V < 4:
        raise ValueError(f"walls_level: the static boxes need max_polygon_vertices >= 4 (got {V})")
    centres = np.array([c for c, _ in wall_boxes()], np.float32)
    halves = np.array([h for _, h in wall_boxes()], np.float32)
    verts = np.zeros((NUM_WALLS, V, 2), np.float32)
    hx, hy = halves[:, 0:1], halves[:, 1:2]
    verts[:, :4, 0], verts[:, :4, 1] = np.hstack([-hx, hx, hx, -hx]), np.hstack([-hy, -hy, hy, hy])
    s = level.shape
    idx = jnp.arange(NUM_WALLS)
    shape = s.replace(position=s.position.at[idx].set(centres), fixed=s.fixed.at[idx].set(True),
                      active=s.active.at[idx].set(True), collision_mode=s.collision_mode.at[idx].set(2))
    return level.replace(shape=shape, polygon_vertices=level.polygon_vertices.at[idx].set(verts),
                         polygon_n_vertices=level.polygon_n_vertices.at[idx].set(4))


def polygon_centroids_and_areas(level: Level) -> tuple[Float[Array, "p 2"], Float[Array, " p"]]:
    """Area centroid (shape frame) [m] and area [m^2] of every polygon slot (inactive ones too)."""
    P = level.static.num_polygons
    # vmapped: polygon_mass broadcasts a batch of n_vertices by rank promotion
    area, centroid, _ = jax.vmap(polygon_mass)(level.polygon_vertices, level.polygon_n_vertices, jnp.ones((P,)))
    return centroid, area


def shape_areas(level: Level) -> Float[Array, " n"]:
    """Area of every shape slot [m^2] (mass at density 1)."""
    _, area = polygon_centroids_and_areas(level)
    return jnp.concatenate([area, jnp.pi * level.circle_radius**2])


def local_centres(level: Level) -> Float[Array, "n 2"]:
    """Centre of mass of every shape in its own frame [m] (circles: the origin)."""
    centroid, _ = polygon_centroids_and_areas(level)
    return jnp.concatenate([centroid, jnp.zeros((level.static.num_circles, 2))])


def to_world(level: Level, index, local: Float[Array, "... 2"]) -> Float[Array, "... 2"]:
    """World position of points given in the shape frames of shapes ``index`` (broadcasting)."""
    s = level.shape
    rot = s.rotation[index]
    return s.position[index] + rotate(jnp.cos(rot), jnp.sin(rot), local)


def centres_of_mass(level: Level) -> Float[Array, "n 2"]:
    """World centre of mass of every shape slot [m]."""
    return to_world(level, jnp.arange(level.static.num_bodies), local_centres(level))


def world_polygons(level: Level) -> Float[Array, "p v 2"]:
    """World vertices of every polygon slot [m] (unused vertex slots are meaningless)."""
    P = level.static.num_polygons
    s = level.shape
    c, sn = jnp.cos(s.rotation[:P])[:, None], jnp.sin(s.rotation[:P])[:, None]
    return s.position[:P, None, :] + rotate(c, sn, level.polygon_vertices)


def inside_world(points: Float[Array, "... 2"], margin: float = 0.0):
    """``True`` where points lie strictly inside the world box shrunk by ``margin``."""
    x, y = points[..., 0], points[..., 1]
    return (x > margin) & (x < WORLD_SIZE - margin) & (y > FLOOR_Y + margin) & (y < WORLD_SIZE - margin)
