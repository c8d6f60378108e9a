"""Worked-number tests of GAE, the PPO losses and the action distributions."""

import math

import jax.numpy as jnp
import numpy as np
import pytest

from impetus.agents.gae import gae, shifted_next_values
from impetus.agents.losses import Batch, clipped_surrogate, normalize, ppo_loss, value_loss
from impetus.agents.networks import PolicyOutput
from impetus.agents.networks.distributions import ActionDistribution
from impetus.agents.rollout import Transition, bootstrap_inputs


def col(*xs, dtype=jnp.float32):
    """A (T, 1) time-major column."""
    return jnp.asarray(xs, dtype)[:, None]


def test_gae_three_steps_with_a_terminal():
    # r = (1, 0, 2), V = (0.5, 0.4, 0.3), V after the rollout 0.6; the episode terminates at t = 1
    values = col(0.5, 0.4, 0.3)
    next_values = shifted_next_values(values, jnp.asarray([0.6]))
    done = col(False, True, False, dtype=bool)
    adv, target = gae(col(1.0, 0.0, 2.0), values, next_values, done, done, gamma=0.9, lam=0.8)
    # deltas: 1 + .9*.4 - .5 = .86;  0 + 0 - .4 = -.4;  2 + .9*.6 - .3 = 2.24
    # A2 = 2.24;  A1 = -.4 (trace cut by done);  A0 = .86 + .9*.8*(-.4) = .572
    np.testing.assert_allclose(adv[:, 0], [0.572, -0.4, 2.24], rtol=1e-6)
    np.testing.assert_allclose(target[:, 0], [1.072, 0.0, 2.54], rtol=1e-6)


def test_gae_bootstraps_a_truncation_from_the_final_observation():
    values = col(0.5, 0.4, 0.3)
    zeros = col(0.0, 0.0, 0.0)
    traj = Transition(obs=None, action=None, log_prob=None, value=values, reward=col(1.0, 0.0, 2.0),
                      terminated=col(False, False, False, dtype=bool), truncated=col(False, True, False, dtype=bool),
                      final_value=col(0.0, 0.7, 0.0), episode_return=zeros, episode_length=zeros,
                      episode_solved=zeros)
    next_values, terminated = bootstrap_inputs(traj, jnp.asarray([0.6]), bootstrap_truncated=True)
    adv, _ = gae(traj.reward, values, next_values, terminated, traj.done, gamma=0.9, lam=0.8)
    # delta1 = 0 + .9*.7 - .4 = .23 (bootstrapped from V(final obs)); A0 = .86 + .72*.23 = 1.0256
    np.testing.assert_allclose(adv[:, 0], [1.0256, 0.23, 2.24], rtol=1e-6)
    # without bootstrapping the time-out is terminal (Kinetix)
    next_values, terminated = bootstrap_inputs(traj, jnp.asarray([0.6]), bootstrap_truncated=False)
    adv, _ = gae(traj.reward, values, next_values, terminated, traj.done, gamma=0.9, lam=0.8)
    np.testing.assert_allclose(adv[:, 0], [0.572, -0.4, 2.24], rtol=1e-6)


def test_clipped_surrogate_outside_the_clip_range():
    ratio = jnp.asarray([1.5, 1.5, 0.5])
    advantage = jnp.asarray([2.0, -2.0, 1.0])
    loss = clipped_surrogate(jnp.log(ratio), jnp.zeros(3), advantage, clip_eps=0.2)
    # min(1.5*2, 1.2*2) = 2.4;  min(1.5*-2, 1.2*-2) = -3;  min(.5*1, .8*1) = .5  -> -(2.4 - 3 + .5)/3
    assert float(loss) == pytest.approx(0.1 / 3, rel=1e-5)


def test_clipped_value_loss():
    # v moved from 1.0 to 1.5 (clipped to 1.2): target 2.0 -> max(.25, .64); target 1.0 -> max(.25, .04)
    loss = value_loss(jnp.asarray([1.5, 1.5]), jnp.asarray([1.0, 1.0]), jnp.asarray([2.0, 1.0]), clip_eps=0.2)
    assert float(loss) == pytest.approx(0.5 * (0.64 + 0.25) / 2, rel=1e-6)
    plain = value_loss(jnp.asarray([1.5, 1.5]), jnp.asarray([1.0, 1.0]), jnp.asarray([2.0, 1.0]), 0.2, clip=False)
    assert float(plain) == pytest.approx(0.5 * (0.25 + 0.25) / 2, rel=1e-6)


def test_entropy_and_log_prob_of_known_categoricals():
    p = jnp.log(jnp.asarray([0.5, 0.25, 0.25]))
    discrete = ActionDistribution("discrete", (3,))
    assert float(discrete.entropy(p)) == pytest.approx(1.5 * math.log(2), rel=1e-6)
    assert float(discrete.log_prob(p, jnp.asarray(1))) == pytest.approx(math.log(0.25), rel=1e-6)
    multi = ActionDistribution("multi_discrete", (3, 2))
    logits = jnp.concatenate([p, jnp.log(jnp.asarray([0.5, 0.5]))])
    assert float(multi.entropy(logits)) == pytest.approx(2.5 * math.log(2), rel=1e-6)
    assert float(multi.log_prob(logits, jnp.asarray([0, 1]))) == pytest.approx(2 * math.log(0.5), rel=1e-6)
    assert multi.mode(logits).tolist() == [0, 0]


def test_gaussian_log_prob_and_entropy():
    gauss = ActionDistribution("continuous", (2,))
    mean, log_std = jnp.zeros((2,)), jnp.asarray([0.0, math.log(2.0)])
    expected = -0.5 * math.log(2 * math.pi) + (-0.5 * 0.25 - math.log(2.0) - 0.5 * math.log(2 * math.pi))
    assert float(gauss.log_prob(mean, jnp.asarray([0.0, 1.0]), log_std)) == pytest.approx(expected, rel=1e-6)
    assert float(gauss.entropy(mean, log_std)) == pytest.approx(1.0 + math.log(2 * math.pi) + math.log(2.0),
                                                                rel=1e-6)


def test_ppo_loss_combines_the_terms():
    dist = ActionDistribution("discrete", (2,))
    logits = jnp.log(jnp.asarray([[0.5, 0.5], [0.8, 0.2]]))

    def apply_fn(params, obs):
        return PolicyOutput(logits, jnp.asarray([1.5, 1.5]), None)

    batch = Batch(obs=None, action=jnp.asarray([0, 0]), log_prob=jnp.log(jnp.asarray([0.5, 0.5])),
                  value=jnp.asarray([1.0, 1.0]), advantage=jnp.asarray([1.0, 3.0]), target=jnp.asarray([2.0, 1.0]))
    total, metrics = ppo_loss(None, apply_fn, dist, batch, clip_eps=0.2, vf_coef=0.5, ent_coef=0.01)
    adv = normalize(batch.advantage)  # (-1, 1)
    actor = -(1.0 * adv[0] + 1.2 * adv[1]) / 2  # ratios 1 and 1.6 (clipped to 1.2 for the positive advantage)
    entropy = (math.log(2) - (0.8 * math.log(0.8) + 0.2 * math.log(0.2))) / 2
    assert float(metrics["loss/actor"]) == pytest.approx(float(actor), rel=1e-5)
    assert float(metrics["loss/value"]) == pytest.approx(0.2225, rel=1e-5)
    assert float(total) == pytest.approx(float(actor) + 0.5 * 0.2225 - 0.01 * entropy, rel=1e-5)
    assert float(metrics["loss/clip_frac"]) == pytest.approx(0.5)
