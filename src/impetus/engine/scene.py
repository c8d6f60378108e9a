"""Jittable whole-scene utilities: empty scenes, the joint collision filter, masses."""

import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Bool, Float, Int

from .geometry import circle_mass, polygon_mass, safe_inverse
from .plan import make_plan
from .types import Body, Circle, Joint, Polygon, SimState, StaticSimParams, Thruster, empty_contacts


def collision_matrix(
    body_a: Int[Array, " j"], body_b: Int[Array, " j"], active: Bool[Array, " j"], num_bodies: int
) -> Bool[Array, "n n"]:
    """``True`` where two bodies may collide: not the same body, not in one jointed component.

    Components are found by transitive closure of the joint graph (repeated squaring of
    the reachability matrix), so chains of joints are covered.
    """
    iota = jnp.arange(num_bodies)
    ends_a = (body_a[:, None] == iota[None, :]) & active[:, None]
    ends_b = (body_b[:, None] == iota[None, :]) & active[:, None]
    adj = jnp.any(ends_a[:, :, None] & ends_b[:, None, :], axis=0)
    reach = (adj | adj.T | jnp.eye(num_bodies, dtype=bool)).astype(jnp.int32)
    for _ in range(max(int(np.ceil(np.log2(max(num_bodies, 2)))), 1)):
        reach = (jnp.matmul(reach, reach, precision="highest") > 0).astype(jnp.int32)
    return reach == 0


def mass_properties(
    state: SimState, polygon_density: Float[Array, " p"], circle_density: Float[Array, " c"]
) -> tuple[Float[Array, " n"], Float[Array, " n"]]:
    """Inverse mass and inverse inertia of every body from densities (0 density = fixed).

    Polygon vertices must already be centred on their area centroid.
    """
    m_p, _, i_p = polygon_mass(state.polygon.vertices, state.polygon.n_vertices, polygon_density)
    m_c, i_c = circle_mass(state.circle.radius, circle_density)
    mass = jnp.concatenate([m_p, m_c])
    inertia = jnp.concatenate([i_p, i_c])
    return safe_inverse(mass), safe_inverse(inertia)


def empty_state(static: StaticSimParams, gravity=(0.0, -9.81)) -> SimState:
    """A scene with every slot inactive (joints and thrusters point at body 0)."""
    P, C, J, T, V, N = (static.num_polygons, static.num_circles, static.num_joints, static.num_thrusters,
                        static.max_polygon_vertices, static.num_bodies)
    f = lambda *shape: jnp.zeros(shape, jnp.float32)  # noqa: E731
    i = lambda *shape: jnp.zeros(shape, jnp.int32)  # noqa: E731
    b = lambda *shape: jnp.zeros(shape, bool)  # noqa: E731
    body = Body(position=f(N, 2), rotation=f(N), velocity=f(N, 2), angular_velocity=f(N),
                inverse_mass=f(N), inverse_inertia=f(N), friction=jnp.ones((N,), jnp.float32),
                restitution=f(N), collision_mode=jnp.ones((N,), jnp.int32), active=b(N))
    joint = Joint(body_a=i(J), body_b=i(J), anchor_a=f(J, 2), anchor_b=f(J, 2), reference_angle=f(J),
                  is_fixed=b(J), active=b(J), motor_on=b(J), motor_speed=jnp.ones((J,), jnp.float32),
                  motor_power=jnp.ones((J,), jnp.float32), has_limits=b(J), lower_angle=f(J), upper_angle=f(J),
                  linear_impulse=f(J, 2), angular_impulse=f(J), motor_impulse=f(J), lower_impulse=f(J),
                  upper_impulse=f(J))
    thruster = Thruster(body=i(T), anchor=f(T, 2), angle=f(T), power=jnp.ones((T,), jnp.float32), active=b(T))
    return SimState(
        body=body, polygon=Polygon(vertices=f(P, V, 2), n_vertices=jnp.full((P,), 4 if V >= 4 else V, jnp.int32)),
        circle=Circle(radius=f(C)), joint=joint, thruster=thruster,
        contacts=empty_contacts(make_plan(static).num_pairs),
        collision_matrix=~jnp.eye(N, dtype=bool), gravity=jnp.asarray(gravity, jnp.float32),
        nonfinite=jnp.array(False), static=static,
    )


def with_collision_matrix(state: SimState) -> SimState:
    """Recompute ``collision_matrix`` from the joints (call after editing joints)."""
    j = state.joint
    return state.replace(collision_matrix=collision_matrix(j.body_a, j.body_b, j.active, state.static.num_bodies))
