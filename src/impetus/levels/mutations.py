"""The ACCEL mutations (Kinetix ``make_mutate_env``, reference 5.7), one function each.

Every mutation has the signature ``mutation(u, level, params) -> Level``: ``u`` is a vector of
U(0, 1) numbers (at least :func:`edit_uniforms` long), ``level`` one level.  The two that move
jointed shapes (size, rotation) return ``(level, shape)`` and leave re-joining the neighbours to
:func:`settle_joints`, which :mod:`mutate` runs once for whichever mutation was drawn.  A mutation that
cannot apply returns the level unchanged; :mod:`mutate` also reverts an edit whose result is
not valid.  Shapes are picked among active non-static shapes unless said otherwise.

Differences from upstream: resizing and rotating keep joints together by translating the
jointed neighbours (outward from the fixed shapes of the component, or from the edited shape)
instead of running 5 physics "settling" steps; rotating compensates the reference angle of
every joint on the shape (upstream only fixed joints, since its revolute joints kept 0).
"""

import jax
import jax.numpy as jnp

from ..engine.scene import collision_matrix
from .candidate_geometry import local_boxes, world_boxes
from .generator_params import GeneratorParams
from .level import Level
from .predicates import movable
from .proposals import U, add_shape
from .sample_shapes import choose, radius_of, sample_box, sample_radius, sample_thruster
from .world import FLOOR_Y, WORLD_SIZE, local_centres, shape_areas, to_world


def edit_uniforms(level: Level, params: GeneratorParams) -> int:
    """Uniforms one mutation may use."""
    st = level.static
    return params.add_shape_n_proposals * U.COUNT + st.num_bodies + st.num_joints + st.num_thrusters + 16


def editable(level: Level):
    """(N,) active non-static shapes."""
    return level.shape.active & (jnp.arange(level.static.num_bodies) >= level.static.num_static_polygons)


def add_part(u, level: Level, params: GeneratorParams, connected: bool) -> Level:
    st = level.static
    k = params.add_shape_n_proposals
    props = u[:k * U.COUNT].reshape(k, U.COUNT)
    priority = u[k * U.COUNT:k * U.COUNT + st.num_bodies + st.num_joints]
    return add_shape(props, level, params, priority, connected, False, False)[0]


def add_free_shape(u, level: Level, params: GeneratorParams) -> Level:
    """Kinetix ``mutate_add_shape`` (best of ``add_shape_n_proposals``)."""
    return add_part(u, level, params, False)


def add_connected_shape(u, level: Level, params: GeneratorParams) -> Level:
    """Kinetix ``mutate_add_connected_shape``."""
    return add_part(u, level, params, True)


def remove_joint(u, level: Level, params: GeneratorParams) -> Level:
    active = level.joint.active
    k, _ = choose(u[0], active)
    return level.replace(joint=level.joint.replace(active=active & (jnp.arange(active.shape[0]) != k)))


def remove_shape(u, level: Level, params: GeneratorParams) -> Level:
    """Deactivate a shape with its joints and thrusters."""
    i, ok = choose(u[0], editable(level))
    j, t = level.joint, level.thruster
    gone = ok & (jnp.arange(level.static.num_bodies) == i)
    joint_gone = ok & ((j.body_a == i) | (j.body_b == i))
    return level.replace(shape=level.shape.replace(active=level.shape.active & ~gone),
                         joint=j.replace(active=j.active & ~joint_gone),
                         thruster=t.replace(active=t.active & ~(ok & (t.body == i))))


def swap_role(u, level: Level, params: GeneratorParams) -> Level:
    """Swap the roles of two shapes with different roles."""
    role, cand = level.shape.role, editable(level)
    a, ok_a = choose(u[0], cand)
    b, ok_b = choose(u[1], cand & (role != role[a]))
    iota = jnp.arange(level.static.num_bodies)
    ok = ok_a & ok_b
    new = jnp.where(ok & (iota == a), role[b], jnp.where(ok & (iota == b), role[a], role))
    return level.replace(shape=level.shape.replace(role=new))


def add_thruster(u, level: Level, params: GeneratorParams) -> Level:
    """Kinetix ``mutate_add_thruster`` on a random movable shape."""
    body, ok = choose(u[0], movable(level))
    t = level.thruster
    slot, free = choose(u[9], ~t.active)
    anchor, angle, power, binding = sample_thruster(u[1:9], level, body, shape_areas(level), local_centres(level),
                                                    params)
    hot = ok & free & (jnp.arange(t.active.shape[0]) == slot)
    put = lambda old, new: jnp.where(hot.reshape(hot.shape + (1,) * (old.ndim - 1)), new, old)  # noqa: E731
    return level.replace(thruster=t.replace(body=put(t.body, body), anchor=put(t.anchor, anchor),
                                            angle=put(t.angle, angle), power=put(t.power, power),
                                            binding=put(t.binding, binding), active=put(t.active, True)))


def remove_thruster(u, level: Level, params: GeneratorParams) -> Level:
    t = level.thruster
    k, _ = choose(u[0], t.active)
    return level.replace(thruster=t.replace(active=t.active & (jnp.arange(t.active.shape[0]) != k)))


def toggle_fixed(u, level: Level, params: GeneratorParams) -> Level:
    """Fix a free shape or free a fixed one (its mass then follows from its density)."""
    i, ok = choose(u[0], editable(level))
    hot = ok & (jnp.arange(level.static.num_bodies) == i)
    return level.replace(shape=level.shape.replace(fixed=level.shape.fixed ^ hot))


def change_gravity(u, level: Level, params: GeneratorParams) -> Level:
    """Kinetix ``mutate_change_gravity`` (not in the ACCEL set): -9.8, or U(-9.8, 0), m/s^2."""
    gy = jnp.where(u[0] < 0.5, -9.8, -9.8 * u[1])
    return level.replace(gravity=jnp.stack([jnp.zeros_like(gy), gy]).astype(jnp.float32))


def component(level: Level, i):
    """(N,) shapes jointed to shape ``i`` directly or through others (``i`` included)."""
    j = level.joint
    apart = collision_matrix(j.body_a, j.body_b, j.active, level.static.num_bodies)
    return ~apart[i] & level.shape.active


def settle_joints(level: Level, edited) -> Level:
    """Translate shapes so that every joint's two anchors meet again after ``edited`` changed.

    Fixed shapes of the edited shape's component stay put (or the edited shape, if none is
    fixed); the others move outward from them along the joints, breadth first.  Joints that
    close a loop may stay apart (the edit is then rejected by the validity check).
    """
    N = level.static.num_bodies
    j = level.joint
    iota = jnp.arange(N)
    comp = component(level, edited)
    anchored = comp & level.shape.fixed
    settled = jnp.where(jnp.any(anchored), anchored, iota == edited)

    def sweep(_, carry):
        position, settled = carry
        gap = (to_world(level.replace(shape=level.shape.replace(position=position)), j.body_a, j.anchor_a)
               - to_world(level.replace(shape=level.shape.replace(position=position)), j.body_b, j.anchor_b))
        forward = j.active & settled[j.body_a] & ~settled[j.body_b]  # move b by +gap
        backward = j.active & settled[j.body_b] & ~settled[j.body_a]  # move a by -gap
        to_b = (j.body_b[:, None] == iota[None, :]) & forward[:, None]
        to_a = (j.body_a[:, None] == iota[None, :]) & backward[:, None]
        shift = jnp.sum(to_b[:, :, None] * gap[:, None, :] - to_a[:, :, None] * gap[:, None, :], axis=0)
        count = jnp.sum(to_b | to_a, axis=0)
        moved = count > 0
        position = position + jnp.where(moved[:, None], shift / jnp.maximum(count, 1)[:, None], 0.0)
        return position, settled | moved

    position, _ = jax.lax.fori_loop(0, N, sweep, (level.shape.position, settled))
    return level.replace(shape=level.shape.replace(position=position))


def change_size(u, level: Level, params: GeneratorParams):
    """Re-sample a shape's size (boxes scale per axis, circles by radius), scaling its joint and
    thruster anchors with it.  Returns (level, the shape to :func:`settle_joints` at, or -1)."""
    st = level.static
    P = st.num_polygons
    i, ok = choose(u[0], editable(level))
    role = level.shape.role[i]
    max_size = params.max_shape_size * jnp.where((role == 1) | (role == 2), params.goal_body_size_factor, 1.0)
    ip = jnp.minimum(i, P - 1)
    used = (jnp.arange(st.max_polygon_vertices) < level.polygon_n_vertices[ip])[:, None]
    verts = level.polygon_vertices[ip]
    old_half = 0.5 * (jnp.max(jnp.where(used, verts, -1e6), axis=0) - jnp.min(jnp.where(used, verts, 1e6), axis=0))
    new_half = jnp.stack(sample_box(u[1:5], max_size, params))
    old_r, new_r = radius_of(level, i), sample_radius(u[5], max_size, params)
    scale = jnp.where(i < P, new_half / jnp.maximum(old_half, 1e-6), new_r / jnp.maximum(old_r, 1e-6))
    scale = jnp.where(ok, scale, 1.0)
    poly_hot = (jnp.arange(P) == i)[:, None, None]
    j, t = level.joint, level.thruster
    on_a, on_b, on_t = (j.body_a == i)[:, None], (j.body_b == i)[:, None], (t.body == i)[:, None]
    level = level.replace(
        polygon_vertices=jnp.where(poly_hot, level.polygon_vertices * scale[None, None, :], level.polygon_vertices),
        circle_radius=jnp.where(jnp.arange(st.num_circles) == i - P, level.circle_radius * scale[0],
                                level.circle_radius),
        joint=j.replace(anchor_a=jnp.where(on_a, j.anchor_a * scale[None, :], j.anchor_a),
                        anchor_b=jnp.where(on_b, j.anchor_b * scale[None, :], j.anchor_b)),
        thruster=t.replace(anchor=jnp.where(on_t, t.anchor * scale[None, :], t.anchor)))
    return level, jnp.where(ok, i, -1)


def change_rotation(u, level: Level, params: GeneratorParams):
    """Turn a shape by U(0, pi/2), keeping its joints' rest angles relative to it.  Returns
    (level, the shape to :func:`settle_joints` at, or -1)."""
    i, ok = choose(u[0], editable(level))
    delta = jnp.where(ok, u[1] * jnp.pi / 2.0, 0.0)
    s, j = level.shape, level.joint
    hot = jnp.arange(level.static.num_bodies) == i
    ref = j.reference_angle - jnp.where(j.body_a == i, delta, 0.0) + jnp.where(j.body_b == i, delta, 0.0)
    level = level.replace(shape=s.replace(rotation=s.rotation + jnp.where(hot, delta, 0.0)),
                          joint=j.replace(reference_angle=ref))
    return level, jnp.where(ok, i, -1)


def _extent(level: Level):
    """(N, 2) lower and upper world corners of every shape's bounding box."""
    box = world_boxes(level, local_boxes(level))
    rx = jnp.abs(box.cos) * box.half[:, 0] + jnp.abs(box.sin) * box.half[:, 1] + box.radius
    ry = jnp.abs(box.sin) * box.half[:, 0] + jnp.abs(box.cos) * box.half[:, 1] + box.radius
    r = jnp.stack([rx, ry], axis=-1)
    return box.centre - r, box.centre + r


def change_location(u, level: Level, params: GeneratorParams) -> Level:
    """Shift a shape and everything jointed to it by U(-0.5, 0.5) m per axis, then back inside."""
    i, ok = choose(u[0], editable(level))
    group = component(level, i) & ok
    delta = u[1:3] - 0.5
    lo, hi = _extent(level)
    lo = jnp.min(jnp.where(group[:, None], lo, 1e6), axis=0) + delta
    hi = jnp.max(jnp.where(group[:, None], hi, -1e6), axis=0) + delta
    world_lo, world_hi = jnp.array([0.0, FLOOR_Y]), jnp.array([WORLD_SIZE, WORLD_SIZE])
    delta = delta + jnp.maximum(world_lo - lo, 0.0) - jnp.maximum(hi - world_hi, 0.0)
    s = level.shape
    return level.replace(shape=s.replace(position=s.position + jnp.where(group[:, None], delta[None, :], 0.0)))


#: (name, function, default weight): Kinetix's ACCEL weights; change_gravity is off by default.
MUTATIONS = (
    ("add_shape", add_free_shape, 1.0),
    ("add_connected_shape", add_connected_shape, 1.0),
    ("remove_joint", remove_joint, 0.0),
    ("remove_shape", remove_shape, 0.0),
    ("swap_role", swap_role, 1.0),
    ("add_thruster", add_thruster, 1.0),
    ("remove_thruster", remove_thruster, 1.0),
    ("toggle_fixed", toggle_fixed, 0.1),
    ("change_size", change_size, 1.0),
    ("change_location", change_location, 1.0),
    ("change_rotation", change_rotation, 1.0),
    ("change_gravity", change_gravity, 0.0),
)
