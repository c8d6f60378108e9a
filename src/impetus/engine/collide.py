"""Narrow phase: contact manifolds for every candidate pair (once per step), lane form.

Every array carries scenes on its last axis (see ``lanes``).  Each kind of pair gets a
vectorised routine (all candidate pairs are evaluated and masked; no branching).
Manifold points carry the contact point halfway between the two surfaces, the
separation along the normal (negative = overlap), and a feature key for warm-start
matching.  The normal always points from body a to body b.

Points are *speculative*: a point is kept while its separation is below
``speculative_distance`` plus the distance the pair closes along the normal in one step,
so fast bodies get a contact before they reach a surface (no tunnelling, section 6 of
the physics-validation notes) without a separate continuous-collision pass.

Polygon-polygon follows the classic SAT + reference/incident-face clipping scheme
(Box2D), with a small hysteresis in favour of body a's faces to keep the reference face
stable between steps.  Circle-polygon uses the polygon's Voronoi regions.
"""

import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ._pytree import PyTreeNode
from .lanes import materialise
from .plan import Plan
from .types import SimParams, SimState

_INF = 1e9
_EPS = 1e-12


class Manifold(PyTreeNode):
    """Contact points of one kind of pair (n pairs, K points, L lanes)."""

    nx: Float[Array, "n l"]  # unit normal from a to b
    ny: Float[Array, "n l"]
    px: Float[Array, "n k l"]  # contact point, world frame [m]
    py: Float[Array, "n k l"]
    separation: Float[Array, "n k l"]  # [m], negative when overlapping
    feature: Int[Array, "n k l"]  # > 0 identifies the features that made the point
    valid: Bool[Array, "n k l"]  # within the speculative margin, shapes active, modes allow


def _unit(x, y):
    length = jnp.sqrt(x * x + y * y)
    ok = length > _EPS
    inv = 1.0 / jnp.where(ok, length, 1.0)
    return jnp.where(ok, x * inv, 0.0), jnp.where(ok, y * inv, 1.0), length


def world_polygons(state: SimState, cos, sin):
    """World vertices (x, y), next vertices, outward unit normals and used mask, (P, V, L)."""
    P = state.polygon.vertices.shape[0]
    lx, ly = state.polygon.vertices[:, :, 0], state.polygon.vertices[:, :, 1]
    n = state.polygon.n_vertices  # (P, L)
    V = lx.shape[1]
    idx = jnp.arange(V)[None, :, None]
    wrap = (idx + 1) >= n[:, None, :]
    nlx = jnp.where(wrap, lx[:, :1], jnp.roll(lx, -1, axis=1))
    nly = jnp.where(wrap, ly[:, :1], jnp.roll(ly, -1, axis=1))
    c, s = cos[:P, None], sin[:P, None]
    px, py = state.body.position[:P, None, 0], state.body.position[:P, None, 1]
    vx, vy = px + c * lx - s * ly, py + s * lx + c * ly
    xx, xy = px + c * nlx - s * nly, py + s * nlx + c * nly
    nx, ny, _ = _unit(xy - vy, -(xx - vx))
    return (vx, vy, xx, xy, nx, ny, idx < n[:, None, :])


def _columns(x):
    """(n, V, L) -> V arrays (n, L), one per vertex slot."""
    return [x[:, i] for i in range(x.shape[1])]


def _arg_best(values, better):
    """Best of a list of (n, L) arrays and its index; the first one wins ties (as ``argmax``)."""
    best, index = values[0], jnp.zeros(values[0].shape, jnp.int32)
    for i in range(1, len(values)):
        take = better(values[i], best)
        best, index = jnp.where(take, values[i], best), jnp.where(take, i, index)
    return best, index


def _pick(index, *columns):
    """Select ``columns[k][index]`` (each a list over vertex slots of (n, L) arrays)."""
    out = []
    for cols in columns:
        acc = cols[0]
        for i in range(1, len(cols)):
            acc = jnp.where(index == i, cols[i], acc)
        out.append(acc)
    return tuple(out)


def _max_separation(p1, p2):
    """Largest over faces of polygon 1 of the smallest signed distance of polygon 2's vertices.

    ``p*`` = (vx, vy, next_x, next_y, nx, ny, used), each a list over vertex slots of (n, L)
    arrays.  Returns ((n, L) separation, (n, L) face index).  The loops over the (few) vertex
    slots are unrolled into elementwise code: reductions and ``argmax`` over a middle axis
    are slow on XLA:CPU.
    """
    v1x, v1y, _, _, n1x, n1y, u1 = p1
    v2x, v2y, *_, u2 = p2
    faces = []
    for i in range(len(v1x)):
        least = None
        for j in range(len(v2x)):
            d = n1x[i] * (v2x[j] - v1x[i]) + n1y[i] * (v2y[j] - v1y[i])
            d = jnp.where(u2[j], d, _INF)
            least = d if least is None else jnp.minimum(least, d)
        faces.append(jnp.where(u1[i], least, -_INF))
    return _arg_best(faces, jnp.greater)


def _polygon_polygon(pa, pb, flip_tolerance):
    pa, pb = tuple(_columns(f) for f in pa), tuple(_columns(f) for f in pb)
    V = len(pa[0])
    sep_a, face_a = _max_separation(pa, pb)
    sep_b, face_b = _max_separation(pb, pa)
    flip = materialise(sep_b > sep_a + flip_tolerance)  # (n, L)
    ref = tuple([jnp.where(flip, b, a) for a, b in zip(ca, cb, strict=True)] for ca, cb in zip(pa, pb, strict=True))
    inc = tuple([jnp.where(flip, a, b) for a, b in zip(ca, cb, strict=True)] for ca, cb in zip(pa, pb, strict=True))
    i1 = materialise(jnp.where(flip, face_b, face_a))
    v11x, v11y, v12x, v12y, nx, ny = (materialise(x) for x in _pick(i1, *ref[:6]))
    dots = [jnp.where(inc[6][i], inc[4][i] * nx + inc[5][i] * ny, _INF) for i in range(V)]
    i2 = materialise(_arg_best(dots, jnp.less)[1])
    v21x, v21y, v22x, v22y = (materialise(x) for x in _pick(i2, *inc[:4]))
    # clip the incident edge (v21 -> v22 runs against the reference edge) to the reference face
    tx, ty, upper1 = _unit(v12x - v11x, v12y - v11y)
    upper2 = (v21x - v11x) * tx + (v21y - v11y) * ty
    lower2 = (v22x - v11x) * tx + (v22y - v11y) * ty
    span = upper2 - lower2
    ok = span > 1e-9
    inv = 1.0 / jnp.where(ok, span, 1.0)
    t_lo = jnp.clip((0.0 - lower2) * inv, 0.0, 1.0)
    t_up = jnp.clip((upper1 - lower2) * inv, 0.0, 1.0)
    lo = ok & (lower2 < 0.0)
    up = ok & (upper2 > upper1)
    lx = jnp.where(lo, v22x + t_lo * (v21x - v22x), v22x)
    ly = jnp.where(lo, v22y + t_lo * (v21y - v22y), v22y)
    ux = jnp.where(up, v22x + t_up * (v21x - v22x), v21x)
    uy = jnp.where(up, v22y + t_up * (v21y - v22y), v21y)
    key = 1 + i1 + 8 * i2 + 64 * flip.astype(jnp.int32)
    sign = jnp.where(flip, -1.0, 1.0)
    points = []
    for x, y in ((lx, ly), (ux, uy)):
        sep = (x - v11x) * nx + (y - v11y) * ny
        points.append((x - 0.5 * sep * nx, y - 0.5 * sep * ny, sep))
    nx, ny = sign * nx, sign * ny
    px, py, seps = (jnp.stack(v, axis=1) for v in zip(*points, strict=True))  # (n, 2, L)
    features = jnp.stack([key, key + 128], axis=1).astype(jnp.int32)
    return nx, ny, px, py, seps, features


def _polygon_circle(pa, cx, cy, radius):
    """Polygon (world-frame tuple) against circles centred at (cx, cy); normal polygon -> circle."""
    vx, vy, xx, xy, nx, ny, used = (_columns(f) for f in pa)
    face = [jnp.where(used[i], nx[i] * (cx - vx[i]) + ny[i] * (cy - vy[i]), -_INF) for i in range(len(vx))]
    sep, i1 = _arg_best(face, jnp.greater)
    i1 = materialise(i1)  # the separating-axis search has many consumers: run it once
    sep, v1x, v1y, v2x, v2y, n1x, n1y = (materialise(x) for x in (sep, *_pick(i1, vx, vy, xx, xy, nx, ny)))
    u1 = (cx - v1x) * (v2x - v1x) + (cy - v1y) * (v2y - v1y)
    u2 = (cx - v2x) * (v1x - v2x) + (cy - v2y) * (v1y - v2y)
    in_v1 = (u1 < 0.0) & (sep > 1e-6)
    in_v2 = ~in_v1 & (u2 < 0.0) & (sep > 1e-6)
    corner = in_v1 | in_v2
    kx, ky = jnp.where(in_v1, v1x, v2x), jnp.where(in_v1, v1y, v2y)
    cnx, cny, dist = _unit(cx - kx, cy - ky)
    nx_, ny_ = jnp.where(corner, cnx, n1x), jnp.where(corner, cny, n1y)
    distance = jnp.where(corner, dist, sep)
    mid = 0.5 * (distance + radius)  # contact point sits halfway between the two surfaces
    px, py = cx - mid * nx_, cy - mid * ny_
    return nx_, ny_, px[:, None], py[:, None], (distance - radius)[:, None], jnp.ones_like(px[:, None], jnp.int32)


def _circle_circle(ax, ay, ra, bx, by, rb):
    nx, ny, dist = _unit(bx - ax, by - ay)
    mid = 0.5 * (dist + ra - rb)  # distance from a's centre to the contact point
    px, py = ax + mid * nx, ay + mid * ny
    return nx, ny, px[:, None], py[:, None], (dist - ra - rb)[:, None], jnp.ones_like(px[:, None], jnp.int32)


def modes_allow(mode_a, mode_b):
    """Kinetix collision modes: 0 meets only 2; 1 meets 1 and 2; 2 meets everything."""
    return (mode_a == 2) | (mode_b == 2) | ((mode_a * mode_b) > 0)


def _finish(state: SimState, params: SimParams, ia, ib, real, nx, ny, px, py, seps, features) -> Manifold:
    """Speculative margin and validity for one kind of pair."""
    body = state.body
    pa, pb = body.position[ia], body.position[ib]  # (n, 2, L)
    va, vb = body.velocity[ia], body.velocity[ib]
    wa, wb = body.angular_velocity[ia][:, None], body.angular_velocity[ib][:, None]
    rax, ray = px - pa[:, None, 0], py - pa[:, None, 1]
    rbx, rby = px - pb[:, None, 0], py - pb[:, None, 1]
    dvx = vb[:, None, 0] - wb * rby - va[:, None, 0] + wa * ray
    dvy = vb[:, None, 1] + wb * rbx - va[:, None, 1] - wa * rax
    closing = jnp.maximum(-(dvx * nx[:, None] + dvy * ny[:, None]), 0.0)
    margin = params.speculative_distance + params.dt * closing
    allowed = (real & body.active[ia] & body.active[ib]
               & modes_allow(body.collision_mode[ia], body.collision_mode[ib]))
    valid = materialise((seps < margin) & allowed[:, None])  # read by the solver rows and the caches
    return Manifold(nx=nx, ny=ny, px=px, py=py, separation=seps, feature=jnp.where(valid, features, 0), valid=valid)


def collide(state: SimState, params: SimParams, plan: Plan, cos, sin) -> dict[str, Manifold]:
    """Manifolds of every candidate pair, by kind (``rr``, ``pc``, ``cc``), in plan order."""
    P = plan.static.num_polygons
    out = {}
    if "rr" in plan.kinds or "pc" in plan.kinds:
        shapes = world_polygons(state, cos, sin)
    pos, radius = state.body.position, state.circle.radius
    for kind, kp in plan.kinds.items():
        ia, ib = kp.a, kp.b
        if kind == "rr":
            res = _polygon_polygon(tuple(f[ia] for f in shapes), tuple(f[ib] for f in shapes),
                                   0.1 * params.linear_slop)
        elif kind == "pc":
            res = _polygon_circle(tuple(f[ia] for f in shapes), pos[ib, 0], pos[ib, 1], radius[ib - P])
        else:
            res = _circle_circle(pos[ia, 0], pos[ia, 1], radius[ia - P], pos[ib, 0], pos[ib, 1], radius[ib - P])
        out[kind] = _finish(state, params, ia, ib, kp.real[:, None], *res)
    return out
