"""Task events read off a scene: which shapes touch, goal / death contacts, green-blue distance.

Touching comes from the engine's contact cache, so it costs a few gathers and no geometry:
``state.contacts`` has one row per candidate pair in the order of ``engine.make_plan(static)``
(``Plan.all_a`` / ``Plan.all_b``), and its ``separation`` is the smallest gap of the pair's
contact points at the *start* of the last physics step (``1e3`` when the pair had no point
within the speculative margin).  A pair touches when that separation is at most
``touch_distance``, both shapes are active, their collision modes let them collide (the engine
drops other points) and they are not in one jointed component.  The last condition is a
deliberate difference from Kinetix, whose reward also fires between jointed shapes (reference
Appendix A, item 8).  The price of reading the cache is a delay of one physics step: a contact
made during physics step ``k`` is seen after step ``k + 1``.
"""

import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Bool, Float, Int

from ..engine import SimState, StaticSimParams, make_plan
from ..levels import BLUE, GREEN, RED


def pair_table(static: StaticSimParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, real) of every contact-cache row: global body indices and a padding mask (numpy)."""
    plan = make_plan(static)
    return plan.all_a, plan.all_b, plan.all_real


def touching_pairs(sim: SimState, touch_distance) -> Bool[Array, " r"]:
    """Which contact-cache rows are touching pairs (see the module docstring)."""
    a, b, real = pair_table(sim.static)
    if len(a) == 0:
        return jnp.zeros((0,), bool)
    active = sim.body.active
    allowed = sim.collision_matrix[a, b] & active[a] & active[b] & jnp.asarray(real)
    return allowed & (sim.contacts.separation <= touch_distance)


def contact_matrix(sim: SimState, touch_distance) -> Bool[Array, "n n"]:
    """Symmetric ``(N, N)`` matrix of touching shapes."""
    a, b, _ = pair_table(sim.static)
    N = sim.static.num_bodies
    if len(a) == 0:
        return jnp.zeros((N, N), bool)
    one_a = np.eye(N, dtype=np.float32)[a]  # (R, N) static one-hots (no scatter)
    one_b = np.eye(N, dtype=np.float32)[b]
    weight = touching_pairs(sim, touch_distance).astype(jnp.float32)
    pairs = jnp.einsum("r,ri,rj->ij", weight, one_a, one_b) > 0
    return pairs | pairs.T


def goal_and_death(sim: SimState, roles: Int[Array, " n"], touch_distance) -> tuple[Bool[Array, ""], Bool[Array, ""]]:
    """(green touches blue, green touches red) in the current scene."""
    a, b, _ = pair_table(sim.static)
    if len(a) == 0:
        return jnp.array(False), jnp.array(False)
    touch = touching_pairs(sim, touch_distance)
    ra, rb = roles[a], roles[b]

    def pair_is(x, y):
        return ((ra == x) & (rb == y)) | ((ra == y) & (rb == x))

    return jnp.any(touch & pair_is(GREEN, BLUE)), jnp.any(touch & pair_is(GREEN, RED))


def event_reward(goal: Bool[Array, ""], death: Bool[Array, ""]) -> Float[Array, ""]:
    """-1 on death (it wins a tie), else +1 on goal, else 0."""
    return jnp.where(death, -1.0, jnp.where(goal, 1.0, 0.0)).astype(jnp.float32)


def green_blue_distance(sim: SimState, roles: Int[Array, " n"]) -> Float[Array, ""]:
    """Sum over active (green, blue) pairs of the distance between their centres of mass [m]."""
    active = sim.body.active
    green, blue = active & (roles == GREEN), active & (roles == BLUE)
    delta = sim.body.position[:, None, :] - sim.body.position[None, :, :]
    dist = jnp.sqrt(jnp.sum(delta * delta, axis=-1) + 1e-12)
    return jnp.sum(jnp.where(green[:, None] & blue[None, :], dist, 0.0))
