"""Reject levels that the do-nothing policy solves (Kinetix level filtering, reference 6.1).

:func:`noop_outcome` rolls a batch of levels out in the engine with the no-op action (motors
off, except ``motor_auto`` joints at +1; thrusters off) and reports each level's first
terminal event (:func:`touch.terminal_event`, checked after every physics step).
:func:`sample_filtered_levels` draws ``oversample * n`` levels and keeps the first ``n`` that
the no-op policy does not solve, in a fixed-shape way (a stable sort on "solved"); Kinetix
instead samples with weight 0.001 for solved levels, which picks the same set in
distribution.  The default horizon is Kinetix's: 64 environment steps of frame skip 2.
"""

import functools

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float

from ..engine import SimParams, SimState, StaticSimParams, step
from .generate import DEFAULT_PARAMS, sample_level
from .generator_params import GeneratorParams
from .level import Level, to_sim_state
from .touch import TOUCH_DISTANCE, terminal_event

NOOP_FILTER_STEPS = 128  # physics steps: 64 env steps x frame skip 2


def sim_states(levels: Level) -> SimState:
    """``vmap(to_sim_state)`` of a batch of levels."""
    return jax.vmap(to_sim_state)(levels)


def noop_actions(level: Level) -> Float[Array, " a"]:
    """The engine action of the no-op policy: (J + T,), +1 for active ``motor_auto`` joints."""
    j = level.joint
    motors = jnp.where(j.active & j.motor_auto, 1.0, 0.0)
    return jnp.concatenate([motors, jnp.zeros((level.static.num_thrusters,))])


def noop_outcome(levels: Level, steps: int = NOOP_FILTER_STEPS, sim_params: SimParams = SimParams(),  # noqa: B008
                 eps: float = TOUCH_DISTANCE) -> tuple[Bool[Array, " b"], Bool[Array, " b"]]:
    """Roll a batch of levels out with the no-op action for ``steps`` physics steps.

    Returns:
        (solved, nonfinite), each (B,): the first terminal event was a success; the engine hit
        a non-finite state.
    """
    states = sim_states(levels)
    roles = levels.shape.role
    actions = jax.vmap(noop_actions)(levels)

    def body(carry, _):
        states, outcome = carry
        states = jax.vmap(step, in_axes=(0, None, 0))(states, sim_params, actions)
        event = jax.vmap(terminal_event, in_axes=(0, 0, None))(states, roles, eps)
        return (states, jnp.where(outcome == 0, event, outcome)), None

    outcome = jnp.zeros(roles.shape[:1], jnp.int32)
    (states, outcome), _ = jax.lax.scan(body, (states, outcome), None, length=steps)
    return outcome > 0, states.nonfinite


@functools.partial(jax.jit, static_argnames=("static", "n", "oversample", "steps"))
def sample_filtered_levels(key: jax.Array, static: StaticSimParams, n: int, params: GeneratorParams = DEFAULT_PARAMS,
                           oversample: int = 2, steps: int = NOOP_FILTER_STEPS,
                           sim_params: SimParams = SimParams()) -> tuple[Level, Bool[Array, " n"]]:  # noqa: B008
    """``n`` random levels, preferring ones the no-op policy does not solve (jitted).

    Args:
        key: PRNG key; static: capacities; n: levels wanted.
        oversample: levels drawn per level wanted.
        steps: no-op rollout length in physics steps.

    Returns:
        (levels with a leading axis of ``n``, (n,) ``True`` where a kept level is still solved
        by the no-op policy, which happens only when fewer than ``n`` of the drawn ones pass).
    """
    keys = jax.random.split(key, n * oversample)
    levels = jax.vmap(sample_level, in_axes=(0, None, None))(keys, static, params)
    solved, _ = noop_outcome(levels, steps, sim_params)
    return keep_unsolved(levels, solved, n)


def keep_unsolved(levels: Level, solved: Bool[Array, " b"], n: int) -> tuple[Level, Bool[Array, " n"]]:
    """The first ``n`` levels of a batch whose ``solved`` flag is False, topped up with solved
    ones if too few (a stable sort: fixed shapes, no resampling loop)."""
    keep = jnp.argsort(solved.astype(jnp.int32), stable=True)[:n]
    return jax.tree_util.tree_map(lambda x: x[keep], levels), solved[keep]
