"""Collect a rollout: ``num_steps`` policy steps in every env, as time-major ``Transition``s.

``make_rollout(env, apply_fn, dist, num_steps, bootstrap_truncated)`` returns a pure function
``rollout(params, env_state, obs, key) -> (env_state, obs, Transition (T, B), last_value (B,))``
(``lax.scan`` over steps; the env is batch-level, see ``envs``).  With
``bootstrap_truncated`` the value of ``info["final_observation"]`` is computed on every step,
so time-outs can be bootstrapped in GAE (one more network pass per step).
"""

from typing import NamedTuple

import jax
import jax.numpy as jnp

from .gae import shifted_next_values


class Transition(NamedTuple):
    """One env step of every env (leading axes ``(T, B)`` once stacked by the scan)."""

    obs: object  # observation pytree the action was chosen from
    action: jax.Array
    log_prob: jax.Array
    value: jax.Array
    reward: jax.Array
    terminated: jax.Array  # the task ended (goal or death)
    truncated: jax.Array  # the episode ended otherwise (time limit, non-finite physics)
    final_value: jax.Array  # V(final observation) when bootstrapping truncations, else 0
    episode_return: jax.Array  # return of the episode this step ended (valid where done)
    episode_length: jax.Array
    episode_solved: jax.Array

    @property
    def done(self) -> jax.Array:
        return self.terminated | self.truncated


def make_rollout(env, apply_fn, dist, num_steps: int, bootstrap_truncated: bool = False, keep=lambda obs: obs):
    """The rollout function (module docstring); ``apply_fn(params, obs) -> PolicyOutput``; ``keep(obs)``
    selects what of each observation is stored for the update."""

    def step(params, carry, _):
        env_state, obs, key = carry
        key, k_act, k_env = jax.random.split(key, 3)
        out = apply_fn(params, obs)
        action = dist.sample(k_act, out.pi, out.log_std)
        log_prob = dist.log_prob(out.pi, action, out.log_std)
        next_obs, env_state, reward, terminated, truncated, info = env.step(k_env, env_state, action)
        if bootstrap_truncated:
            final_value = apply_fn(params, info["final_observation"]).value
        else:
            final_value = jnp.zeros_like(out.value)
        transition = Transition(keep(obs), action, log_prob, out.value, reward, terminated, truncated, final_value,
                                info["returned_episode_returns"], info["returned_episode_lengths"],
                                info["returned_episode_solved"])
        return (env_state, next_obs, key), transition

    def rollout(params, env_state, obs, key):
        (env_state, obs, _), traj = jax.lax.scan(lambda c, x: step(params, c, x), (env_state, obs, key), None,
                                                 length=num_steps)
        last_value = apply_fn(params, obs).value
        return env_state, obs, traj, last_value

    return rollout


def bootstrap_inputs(traj: Transition, last_value: jax.Array, bootstrap_truncated: bool):
    """``(next_values, terminated)`` for GAE: time-outs bootstrapped from the final observation's
    value, or (Kinetix) treated as terminal."""
    next_values = shifted_next_values(traj.value, last_value)
    if not bootstrap_truncated:
        return next_values, traj.done
    return jnp.where(traj.truncated, traj.final_value, next_values), traj.terminated


def episode_stats(traj: Transition) -> dict:
    """Sums over the episodes that ended in the rollout (divide by ``episodes`` for means)."""
    done = traj.done.astype(jnp.float32)
    return {
        "episodes": jnp.sum(done),
        "episode_return_sum": jnp.sum(traj.episode_return * done),
        "episode_length_sum": jnp.sum(traj.episode_length * done),
        "episode_solved_sum": jnp.sum(traj.episode_solved * done),
    }
