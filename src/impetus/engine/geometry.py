"""2D vector helpers and mass properties (jittable; also used eagerly by the builder).

Vectors are arrays whose last axis has size 2.  ``cross(a, b)`` is the scalar 2D cross
product; ``cross_sv(w, r)`` is ``w x r`` for a scalar angular velocity ``w``.
"""

import jax.numpy as jnp
from jaxtyping import Array, Float, Int


def cross(a: Float[Array, "... 2"], b: Float[Array, "... 2"]) -> Float[Array, "..."]:
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def cross_sv(w: Float[Array, "..."], r: Float[Array, "... 2"]) -> Float[Array, "... 2"]:
    """``w x r`` = (-w r_y, w r_x)."""
    return jnp.stack([-w * r[..., 1], w * r[..., 0]], axis=-1)


def dot(a: Float[Array, "... 2"], b: Float[Array, "... 2"]) -> Float[Array, "..."]:
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1]


def rotate(c: Float[Array, "..."], s: Float[Array, "..."], v: Float[Array, "... 2"]) -> Float[Array, "... 2"]:
    """Rotate ``v`` by the angle whose cosine and sine are ``c`` and ``s``."""
    return jnp.stack([c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], axis=-1)


def unrotate(c: Float[Array, "..."], s: Float[Array, "..."], v: Float[Array, "... 2"]) -> Float[Array, "... 2"]:
    """Rotate ``v`` by minus the angle (world to body frame)."""
    return jnp.stack([c * v[..., 0] + s * v[..., 1], -s * v[..., 0] + c * v[..., 1]], axis=-1)


def normalize(v: Float[Array, "... 2"], eps: float = 1e-12) -> Float[Array, "... 2"]:
    """Unit vector; a zero vector maps to (0, 1)."""
    length = jnp.sqrt(dot(v, v))
    safe = length > eps
    unit = v / jnp.where(safe, length, 1.0)[..., None]
    return jnp.where(safe[..., None], unit, jnp.array([0.0, 1.0], v.dtype))


def next_vertex(vertices: Float[Array, "... v 2"], n_vertices: Int[Array, "..."]) -> Float[Array, "... v 2"]:
    """Vertex ``i + 1`` of each polygon, wrapping at ``n_vertices`` (not at the slot count)."""
    rolled = jnp.roll(vertices, -1, axis=-2)
    idx = jnp.arange(vertices.shape[-2]).reshape((1,) * jnp.ndim(n_vertices) + (-1,))
    wrap = (idx + 1) >= jnp.expand_dims(n_vertices, -1)
    return jnp.where(wrap[..., None], vertices[..., :1, :], rolled)


def polygon_mass(
    vertices: Float[Array, "... v 2"], n_vertices: Int[Array, "..."], density: Float[Array, "..."]
) -> tuple[Float[Array, "..."], Float[Array, "... 2"], Float[Array, "..."]]:
    """Mass, area centroid and inertia about the centroid of convex CCW polygons.

    Fan triangulation from vertex 0 (exact for any simple polygon); unused vertex slots
    contribute nothing.

    Returns:
        (mass [kg], centroid in the vertices' frame [m], inertia about the centroid [kg m^2]).
    """
    origin = vertices[..., :1, :]
    p = vertices - origin
    q = next_vertex(vertices, n_vertices) - origin
    used = jnp.arange(vertices.shape[-2]).reshape((1,) * jnp.ndim(n_vertices) + (-1,)) < jnp.expand_dims(
        n_vertices, -1)
    d = jnp.where(used, cross(p, q), 0.0)  # twice the signed area of triangle (origin, p, q)
    area = 0.5 * jnp.sum(d, axis=-1)
    safe_area = jnp.where(jnp.abs(area) > 0, area, 1.0)
    centroid_rel = jnp.sum(d[..., None] * (p + q), axis=-2) / (6.0 * safe_area[..., None])
    # second moment about the fan origin
    intx2 = p[..., 0] ** 2 + p[..., 0] * q[..., 0] + q[..., 0] ** 2
    inty2 = p[..., 1] ** 2 + p[..., 1] * q[..., 1] + q[..., 1] ** 2
    inertia_origin = jnp.sum(d * (intx2 + inty2), axis=-1) / 12.0
    mass = density * area
    inertia = density * inertia_origin - mass * dot(centroid_rel, centroid_rel)
    return mass, centroid_rel + origin[..., 0, :], inertia


def circle_mass(
    radius: Float[Array, "..."], density: Float[Array, "..."]
) -> tuple[Float[Array, "..."], Float[Array, "..."]]:
    """Mass and inertia of solid discs: ``m = rho pi r^2``, ``I = m r^2 / 2``.

    Jax2D uses ``I = m r^2 / 4`` (half the textbook value); we use the textbook value.
    """
    mass = density * jnp.pi * radius**2
    return mass, 0.5 * mass * radius**2


def safe_inverse(x: Float[Array, "..."]) -> Float[Array, "..."]:
    """``1/x`` where ``x > 0``, else 0 (zero mass means immovable)."""
    return jnp.where(x > 0, 1.0 / jnp.where(x > 0, x, 1.0), 0.0)
