"""Reward, termination and truncation on hand-built S levels; determinism, finiteness, tracing.

Every test here shares one compiled ``step`` (S size, entity observation, multi-discrete).
"""

import jax
import jax.numpy as jnp
import numpy as np

from impetus.env import EnvParams, noop_action, random_action
from impetus.env import examples as ex
from impetus.env.events import goal_and_death
from impetus.levels import RED

from .common import STATIC_S, all_finite, run, s_env

NOOP = noop_action(STATIC_S)


def test_green_ball_on_blue_box_scores_and_terminates():
    _, state0, out = run(ex.ball_drop(), [NOOP] * 64)
    *_, terminated, truncated, info = out[-1]
    assert terminated and not truncated and info["goal"] and not info["death"]
    assert 10 <= len(out) <= 20  # a 1.2 m fall takes ~15 env steps at 30 Hz
    shaping = 0.2 * (float(state0.last_distance) - float(info["distance"]))
    assert abs(sum(r for *_, r, _, _, _ in out) - (1.0 + shaping)) < 1e-4  # shaping telescopes
    assert all(not t for *_, t, _, _ in out[:-1])


def test_green_ball_on_red_box_dies():
    *_, out = run(ex.ball_drop(RED), [NOOP] * 64)
    *_, reward, terminated, truncated, info = out[-1]
    assert terminated and not truncated and info["death"] and reward < -0.9


def test_death_wins_a_tie():
    *_, out = run(ex.touching_both(), [NOOP] * 4)
    assert len(out) == 1
    _, state, reward, terminated, _, info = out[0]
    touches = goal_and_death(state.sim, state.level.shape.role, EnvParams().touch_distance)
    assert all(bool(t) for t in touches)  # green touches blue and red in the same sub-step
    assert terminated and info["death"] and not info["goal"] and reward < -0.99


def test_sparse_reward_is_exactly_plus_one():
    *_, out = run(ex.ball_drop(), [NOOP] * 64, EnvParams(dense_reward_scale=0.0))
    rewards = [r for *_, r, _, _, _ in out]
    assert rewards[-1] == 1.0 and all(r == 0.0 for r in rewards[:-1])


def test_time_limit_truncates_and_does_not_terminate():
    *_, out = run(ex.resting_ball(max_timesteps=8), [NOOP] * 64)
    assert len(out) == 8
    *_, terminated, truncated, info = out[-1]
    assert truncated and not terminated and int(info["timestep"]) == 8
    *_, out = run(ex.resting_ball(max_timesteps=8), [NOOP] * 64, EnvParams(max_timesteps=3))
    assert len(out) == 3 and out[-1][4]


def test_frame_skip_holds_the_action_for_two_physics_steps():
    *_, out = run(ex.ball_drop(), [NOOP])
    _, state, *_ = out[0]
    ball = STATIC_S.sim.num_polygons  # circle 0
    np.testing.assert_allclose(float(state.sim.body.velocity[ball, 1]), -9.81 * 2 / 60, rtol=1e-4)
    assert int(state.timestep) == 1


def test_nonfinite_state_truncates_the_episode():
    fns = s_env()
    params = fns.env.default_params
    _, state = fns.reset(jax.random.key(0), ex.ball_drop(), params)
    state = state.replace(sim=state.sim.replace(nonfinite=jnp.array(True)))
    _, _, _, terminated, truncated, info = fns.step(jax.random.key(0), state, NOOP, params)
    assert bool(truncated) and not bool(terminated) and bool(info["nonfinite"])


def random_actions(n, seed=0):
    return [random_action(k, STATIC_S) for k in jax.random.split(jax.random.key(seed), n)]


def test_random_rollout_is_finite_deterministic_and_traced_once():
    actions = random_actions(150)
    level = ex.motor_and_thruster()
    _, _, first = run(level, actions, stop_at_end=False)
    _, _, second = run(level, actions, stop_at_end=False)
    assert all(all_finite((obs, state, reward)) for obs, state, reward, *_ in first)
    for a, b in zip(first, second, strict=True):
        assert all(np.array_equal(x, y) for x, y in zip(jax.tree_util.tree_leaves(a[:3]),
                                                        jax.tree_util.tree_leaves(b[:3]), strict=True))
    moved = np.asarray(first[-1][1].sim.body.position) - np.asarray(first[0][1].sim.body.position)
    assert np.abs(moved).max() > 0.05  # the controls do something



def test_one_trace_serves_many_levels():
    env, traces = s_env().env, []

    def step(key, state, action, params):  # named like env.step: same program, persistent-cache hit
        traces.append(1)
        return env.step(key, state, action, params)

    jitted_step, params = jax.jit(step), env.default_params
    for level in (ex.ball_drop(), ex.resting_ball(), ex.red_floor(), ex.motor_and_thruster()):
        _, state = s_env().reset(jax.random.key(0), level, params)
        for action in random_actions(2):
            jitted_step(jax.random.key(1), state, action, params)
    assert len(traces) == 1
