"""Building blocks of the level generator and mutators, driven by pre-drawn uniforms.

Every sampler takes ``u``, an array of independent U(0, 1) numbers, instead of a PRNG key:
the generator hands out slices of one cheap counter-based stream (:func:`stream`), which is much
cheaper than splitting keys for each small draw.  Each function documents how many it uses.
Lengths are metres, angles radians.  All functions act on one level; vmap them for a batch.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..engine.geometry import cross
from .generator_params import GeneratorParams
from .level import BLUE, GREEN, RED, Level
from .world import box_corners

MIN_HALF_EXTENT = 0.05  # [m]
MIN_RADIUS = 0.1  # [m]


def _mix32(x):
    """The ``lowbias32`` integer hash (C. Wellons): a bijection of uint32 with low bias."""
    x = x ^ (x >> 16)
    x = x * jnp.uint32(0x7FEB352D)
    x = x ^ (x >> 15)
    x = x * jnp.uint32(0x846CA68B)
    return x ^ (x >> 16)


def seed_of(key: jax.Array):
    """The 64 random bits (two uint32) that drive one level's uniform stream."""
    return jax.random.bits(key, (2,), jnp.uint32)


def stream(seed, start, n: int) -> Float[Array, " n"]:
    """Numbers ``start .. start + n - 1`` of the U(0, 1) stream of ``seed`` (24-bit resolution).

    A counter-based hash (two rounds of ``lowbias32``) of the position, keyed by 64 bits drawn
    from the level's key with JAX's threefry.  A level needs over a thousand numbers; threefry
    took 50 ms per 2048 levels on CPU, the hash 1.5 ms, and any slice can be computed where it
    is used (inside a loop, say) without drawing the others.  Statistical quality is ample for
    procedural generation; results depend only on the key.  ``start`` may be traced.
    """
    counter = jnp.arange(n, dtype=jnp.uint32) + jnp.asarray(start).astype(jnp.uint32)
    h = _mix32(_mix32(counter + seed[0]) ^ seed[1])
    return (h >> 8).astype(jnp.float32) * jnp.float32(1.0 / (1 << 24))


def uniforms(key: jax.Array, n: int) -> Float[Array, " n"]:
    """``n`` U(0, 1) numbers from ``key`` (the start of its :func:`stream`)."""
    return stream(seed_of(key), 0, n)


def categorical(u, weights: Float[Array, " k"]) -> Int[Array, ""]:
    """Index ``i`` with probability ``weights[i] / sum(weights)`` (0 when all weights are 0). Uses 1."""
    k = weights.shape[0]
    if k == 0:
        return jnp.int32(0)
    total, acc, index = jnp.sum(weights), weights[0], jnp.int32(0)
    for i in range(1, k):  # k is small: an unrolled running sum fuses (jnp.cumsum does not, on CPU)
        index = index + (acc <= u * total).astype(jnp.int32)
        acc = acc + weights[i]
    return jnp.where(total > 0, index, 0)


def choose(u, mask: Bool[Array, " k"]) -> tuple[Int[Array, ""], Bool[Array, ""]]:
    """A uniformly random ``True`` index of ``mask`` and whether there was one. Uses 1."""
    return categorical(u, mask.astype(jnp.float32)), jnp.any(mask)


def uniform(u, low, high):
    """Map U(0, 1) to U(low, high)."""
    return low + u * (high - low)


def sample_box(u: Float[Array, " 4"], max_size, params: GeneratorParams) -> tuple:
    """Half extents (hx, hy) of a box of at most ``max_size``: each U(0.05, max_size / 2 / sqrt 2),
    then one random axis doubled with ``large_rect_dim_chance``. Uses 4."""
    cap = max_size / 2.0 / jnp.sqrt(2.0)
    hx, hy = uniform(u[0], MIN_HALF_EXTENT, cap), uniform(u[1], MIN_HALF_EXTENT, cap)
    big = u[2] < params.large_rect_dim_chance
    on_x = u[3] < 0.5
    scale = params.large_rect_dim_scale
    return jnp.where(big & on_x, hx * scale, hx), jnp.where(big & ~on_x, hy * scale, hy)


def sample_radius(u, max_size, params: GeneratorParams):
    """Circle radius U(0.1, max_size / 2 * circle_max_size_coeff). Uses 1."""
    return uniform(u, MIN_RADIUS, max_size / 2.0 * params.circle_max_size_coeff)


def box_polygon(hx, hy, triangle: Bool[Array, ""], V: int) -> tuple[Float[Array, "v 2"], Int[Array, ""]]:
    """CCW vertices (V slots, zero padded) of a box, or of its lower-right half when ``triangle``."""
    corners = box_corners(hx, hy)
    verts = jnp.zeros((V, 2), jnp.float32).at[:4].set(corners) if V >= 4 else corners[:V]
    n = jnp.where(triangle | (V < 4), 3, 4).astype(jnp.int32)
    return jnp.where((jnp.arange(V) < n)[:, None], verts, 0.0), n


def random_point_in_polygon(u: Float[Array, " 3"], verts: Float[Array, "v 2"], n) -> Float[Array, " 2"]:
    """A point uniform over the area of a convex polygon (fan triangle by area, then barycentric). Uses 3."""
    V = verts.shape[0]
    b, c = verts[1:V - 1], verts[2:V]  # fan triangles (v0, v[k+1], v[k+2])
    area = jnp.where(jnp.arange(V - 2) < n - 2, jnp.abs(cross(b - verts[:1], c - verts[:1])), 0.0)
    k = categorical(u[0], area)
    s, t = u[1], u[2]
    flip = s + t > 1.0
    s, t = jnp.where(flip, 1.0 - s, s), jnp.where(flip, 1.0 - t, t)
    return verts[0] + s * (b[k] - verts[0]) + t * (c[k] - verts[0])


def random_point_in_circle(u: Float[Array, " 2"], radius) -> Float[Array, " 2"]:
    """Kinetix's point on a disc: uniform angle, radius ``r * U`` (denser near the centre). Uses 2."""
    angle, dist = u[0] * 2.0 * jnp.pi, u[1] * radius
    return jnp.stack([dist * jnp.cos(angle), dist * jnp.sin(angle)])


def radius_of(level: Level, body) -> Float[Array, ""]:
    """Radius of shape ``body`` if it is a circle, else 0 (also when there are no circle slots)."""
    P, C = level.static.num_polygons, level.static.num_circles
    if C == 0:
        return jnp.float32(0.0)
    return jnp.where(body >= P, level.circle_radius[jnp.clip(body - P, 0, C - 1)], 0.0)


def active_roles(level: Level) -> Int[Array, " n"]:
    """Role of every slot, 0 for inactive slots."""
    return jnp.where(level.shape.active, level.shape.role, 0)


def role_weights(level: Level, allowed: Float[Array, " 4"]) -> Float[Array, " 4"]:
    """Kinetix ``get_role`` weights over (neutral, green, blue, red): green and blue first (one
    each), then neutral, or red with weight 1/3 while no red shape exists (floor included)."""
    roles = active_roles(level)
    need_green, need_blue, need_red = (~jnp.any(roles == r) for r in (GREEN, BLUE, RED))
    both = (~need_green & ~need_blue).astype(jnp.float32)
    w = jnp.stack([both, need_green.astype(jnp.float32), need_blue.astype(jnp.float32),
                   both * need_red.astype(jnp.float32) / 3.0])
    return w * allowed


def allowed_roles_next_to(target_role) -> Float[Array, " 4"]:
    """Roles a shape jointed to a ``target_role`` shape may take: green and blue are never joined,
    and a red shape only gets neutral or red partners."""
    complement = jnp.where(target_role == GREEN, BLUE, GREEN)
    goal = (target_role == GREEN) | (target_role == BLUE)
    iota = jnp.arange(4)
    mask_goal = (iota != complement) & (iota != RED)
    mask_red = (iota != GREEN) & (iota != BLUE)
    mask = jnp.where(goal, mask_goal, jnp.where(target_role == RED, mask_red, True))
    return mask.astype(jnp.float32)


def fixate_chance(area, params: GeneratorParams):
    """P(a new free shape is fixed) = min(max, min + scale * mass at density 1)."""
    return jnp.minimum(params.fixate_chance_min + params.fixate_chance_scale * area, params.fixate_chance_max)


def sample_thruster(u: Float[Array, " 8"], level: Level, body, area, centre, params: GeneratorParams):
    """A thruster on shape ``body`` (Kinetix ``mutate_add_thruster``). Uses 8.

    Args:
        area: (N,) shape areas; centre: (N, 2) centres of mass in the shape frames.

    Returns:
        (anchor (2,) in the shape frame, angle relative to the body, power, binding).
        The anchor is a random point on the shape; the thrust points along the line through the
        centre of mass (either way) with ``thruster_align_com_prob``, else in a uniform
        direction; power = mass * multiplier * U(0.5, 2).
    """
    P = level.static.num_polygons
    is_polygon = body < P
    p = jnp.minimum(body, P - 1)
    on_polygon = random_point_in_polygon(u[0:3], level.polygon_vertices[p], level.polygon_n_vertices[p])
    on_circle = random_point_in_circle(u[0:2], radius_of(level, body))
    anchor = jnp.where(is_polygon, on_polygon, on_circle)
    d = (anchor - centre[body]) * jnp.where(u[3] < 0.5, 1.0, -1.0)
    along = jnp.where(jnp.sum(d * d) > 1e-12, jnp.arctan2(d[1], d[0]), 0.0)
    angle = jnp.where(u[4] < params.thruster_align_com_prob, along, u[5] * 2.0 * jnp.pi)
    power = area[body] * params.thruster_power_multiplier * uniform(u[6], 0.5, 2.0)
    binding = jnp.minimum(jnp.floor(u[7] * params.num_thruster_bindings), params.num_thruster_bindings - 1)
    return anchor, angle, power, binding.astype(jnp.int32)
