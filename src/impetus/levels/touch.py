"""Which roles touch in a simulated scene, read from the engine's contact cache.

The engine keeps, per candidate pair (in the order of ``engine.make_plan(static)``), the
smallest separation seen at the start of the last step (``state.contacts.separation``; a
large value when the pair was farther apart than the speculative margin or their collision
modes never meet).  Two shapes *touch* when that separation is at most ``eps``.  Like
Kinetix's reward, this ignores the joint collision matrix (jointed shapes still touch).

Kinetix's terminal events: green touching blue is a success (+1), green touching red a failure
(-1); when both happen in one step the failure wins.  One scene; vmap for a batch.
"""

import jax.numpy as jnp
from jaxtyping import Array, Bool, Int

from ..engine import SimState, make_plan
from .level import BLUE, GREEN, RED

#: separation [m] at or below which two shapes count as touching (resting contacts sit near
#: minus the linear slop, 0.005 m; the engine creates contacts from 0.02 m apart)
TOUCH_DISTANCE = 0.01


def touching(state: SimState, roles: Int[Array, " n"], role_a: int, role_b: int,
             eps: float = TOUCH_DISTANCE) -> Bool[Array, ""]:
    """``True`` when an active shape of ``role_a`` touches an active shape of ``role_b``."""
    plan = make_plan(state.static)
    a, b, real = plan.all_a, plan.all_b, plan.all_real
    if len(a) == 0:
        return jnp.array(False)
    roles = jnp.where(state.body.active, roles, -1)
    ra, rb = roles[a], roles[b]
    pair = ((ra == role_a) & (rb == role_b)) | ((ra == role_b) & (rb == role_a))
    return jnp.any(real & pair & (state.contacts.separation <= eps))


def terminal_event(state: SimState, roles: Int[Array, " n"], eps: float = TOUCH_DISTANCE) -> Int[Array, ""]:
    """-1 if green touches red, else +1 if green touches blue, else 0 (Kinetix's sparse reward)."""
    failure = touching(state, roles, GREEN, RED, eps)
    success = touching(state, roles, GREEN, BLUE, eps)
    return jnp.where(failure, -1, jnp.where(success, 1, 0)).astype(jnp.int32)
