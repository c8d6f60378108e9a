"""Generalised advantage estimation over a rollout (time-major arrays).

With ``T`` steps and ``B`` envs, for every step ``t``::

    delta_t = r_t + gamma * (1 - terminated_t) * next_value_t - value_t
    A_t     = delta_t + gamma * lambda * (1 - done_t) * A_{t+1}        (A_T = 0)
    target_t = A_t + value_t

``next_value_t`` is the value of the state the step led to: ``V(s_{t+1})``, or, where the
episode was truncated and truncations are bootstrapped, ``V(final observation)``.  ``done``
(terminated or truncated) cuts the trace, ``terminated`` drops the bootstrap.  Treating every
``done`` as ``terminated`` gives the Kinetix/purejaxrl estimator (time-outs not bootstrapped).
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float


def gae(rewards: Float[Array, "T B"], values: Float[Array, "T B"], next_values: Float[Array, "T B"],
        terminated: Bool[Array, "T B"], dones: Bool[Array, "T B"], gamma: float,
        lam: float) -> tuple[Float[Array, "T B"], Float[Array, "T B"]]:
    """``(advantages, targets)``, both ``(T, B)`` (module docstring)."""
    deltas = rewards + gamma * (1.0 - terminated.astype(rewards.dtype)) * next_values - values
    decay = gamma * lam * (1.0 - dones.astype(rewards.dtype))

    def back(carry, x):
        delta, d = x
        advantage = delta + d * carry
        return advantage, advantage

    _, advantages = jax.lax.scan(back, jnp.zeros_like(rewards[0]), (deltas, decay), reverse=True)
    return advantages, advantages + values


def shifted_next_values(values: Float[Array, "T B"], last_value: Float[Array, " B"]) -> Float[Array, "T B"]:
    """``V(s_{t+1})`` for every step: ``values[1:]`` followed by the value after the rollout."""
    return jnp.concatenate([values[1:], last_value[None]], axis=0)
