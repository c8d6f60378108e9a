"""The PPO loss (reference section 6.2), as small pure functions with worked-number tests.

``total = actor + vf_coef * value - ent_coef * entropy`` where

* actor: the clipped surrogate ``-mean(min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A))``
  with ``ratio = exp(log_prob - old_log_prob)`` and ``A`` normalised per minibatch;
* value: ``0.5 * mean(max((v - target)^2, (v_clipped - target)^2))`` with
  ``v_clipped = old_v + clip(v - old_v, -eps, eps)`` (or the plain squared error);
* entropy: the mean policy entropy.
"""

from typing import NamedTuple

import jax
import jax.numpy as jnp


class Batch(NamedTuple):
    """One minibatch of ``M`` transitions (observations keep their pytree structure)."""

    obs: object  # leaves (M, ...)
    action: jax.Array  # (M, ...) as the env takes it
    log_prob: jax.Array  # (M,) under the behaviour policy
    value: jax.Array  # (M,) behaviour value estimates
    advantage: jax.Array  # (M,)
    target: jax.Array  # (M,) value targets


def normalize(x: jax.Array, eps: float = 1e-8) -> jax.Array:
    """``(x - mean) / (std + eps)`` over the whole array."""
    return (x - x.mean()) / (x.std() + eps)


def clipped_surrogate(log_prob: jax.Array, old_log_prob: jax.Array, advantage: jax.Array,
                      clip_eps: float) -> jax.Array:
    """The PPO actor loss (a scalar; lower is better)."""
    ratio = jnp.exp(log_prob - old_log_prob)
    unclipped = ratio * advantage
    clipped = jnp.clip(ratio, 1.0 - clip_eps, 1.0 + clip_eps) * advantage
    return -jnp.mean(jnp.minimum(unclipped, clipped))


def value_loss(value: jax.Array, old_value: jax.Array, target: jax.Array, clip_eps: float,
               clip: bool = True) -> jax.Array:
    """``0.5 * mean(max(unclipped, clipped squared error))`` (plain squared error if not ``clip``)."""
    unclipped = jnp.square(value - target)
    if not clip:
        return 0.5 * jnp.mean(unclipped)
    clipped_value = old_value + jnp.clip(value - old_value, -clip_eps, clip_eps)
    return 0.5 * jnp.mean(jnp.maximum(unclipped, jnp.square(clipped_value - target)))


def ppo_loss(params, apply_fn, dist, batch: Batch, clip_eps: float, vf_coef: float, ent_coef: float,
             clip_value_loss: bool = True, normalize_advantages: bool = True):
    """``(total, metrics)`` for one minibatch; ``apply_fn(params, obs) -> PolicyOutput``."""
    out = apply_fn(params, batch.obs)
    log_prob = dist.log_prob(out.pi, batch.action, out.log_std)
    advantage = normalize(batch.advantage) if normalize_advantages else batch.advantage
    actor = clipped_surrogate(log_prob, batch.log_prob, advantage, clip_eps)
    critic = value_loss(out.value, batch.value, batch.target, clip_eps, clip_value_loss)
    entropy = jnp.mean(dist.entropy(out.pi, out.log_std))
    total = actor + vf_coef * critic - ent_coef * entropy
    log_ratio = log_prob - batch.log_prob
    metrics = {
        "loss/total": total, "loss/actor": actor, "loss/value": critic, "loss/entropy": entropy,
        "loss/approx_kl": jnp.mean(jnp.exp(log_ratio) - 1.0 - log_ratio),
        "loss/clip_frac": jnp.mean((jnp.abs(jnp.exp(log_ratio) - 1.0) > clip_eps).astype(jnp.float32)),
    }
    return total, metrics
