"""step: JAX hygiene (trace once, vmap == loop, batch of one, determinism, NaN guard) and
motors / thrusters against hand-computed motion."""


import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.engine import SceneBuilder, SimParams, StaticSimParams, step
from impetus.engine.scenes import KINETIX_SIZES, car, random_scene, rocket

STATIC = KINETIX_SIZES["s"]


def _scenes(n, static=STATIC, seed=0):
    rng = np.random.default_rng(seed)
    return [random_scene(rng, static) for _ in range(n)]


def _stack(states):
    return jax.tree_util.tree_map(lambda *xs: jnp.stack(xs), *states)


def _actions(n, static=STATIC, seed=1):
    return jax.random.uniform(jax.random.key(seed), (n, static.num_joints + static.num_thrusters))


def _equal(a, b):
    return all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in
               zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True))


def test_step_traces_once_for_many_scenes():
    traces = []

    @jax.jit
    def f(state, actions):
        traces.append(1)
        return step(state, SimParams(), actions)

    for state, actions in zip(_scenes(4), _actions(4), strict=True):
        jax.block_until_ready(f(state, actions))
    assert len(traces) == 1


def test_vmap_traces_only_the_batched_pipeline(monkeypatch):
    """Under ``vmap`` the pipeline is traced once, in lane form (a ``custom_vmap`` also traced
    the single-scene form: a second of every compile at size M); nested vmaps equal one."""
    import importlib
    step_module = importlib.import_module("impetus.engine.step")
    lanes_seen = []
    real = step_module.step_lanes
    monkeypatch.setattr(step_module, "step_lanes",
                        lambda s, p, a: lanes_seen.append(s.body.position.shape[-1]) or real(s, p, a))
    states, actions = _stack(_scenes(6)), _actions(6)
    flat = jax.jit(jax.vmap(step, in_axes=(0, None, 0)))(states, SimParams(), actions)
    assert lanes_seen == [6]
    nested = jax.jit(jax.vmap(jax.vmap(step, in_axes=(0, None, 0)), in_axes=(0, None, 0)))(
        jax.tree_util.tree_map(lambda x: x.reshape(2, 3, *x.shape[1:]), states), SimParams(),
        actions.reshape(2, 3, -1))
    _close(flat, jax.tree_util.tree_map(lambda x: x.reshape(6, *x.shape[2:]), nested))
    shapes = jax.eval_shape(step, _scenes(1)[0], SimParams(), actions[0])
    assert jax.tree_util.tree_structure(shapes) == jax.tree_util.tree_structure(_scenes(1)[0])


def _close(a, b):
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=1e-5, atol=1e-6)


def test_vmap_equals_loop_and_batch_of_one_equals_unbatched():
    """A batch of one runs the very same code as one scene: bitwise equal.  Larger batches
    are vectorised across scenes, where XLA:CPU may contract multiply-adds differently
    than in scalar code: equal to float32 rounding (measured: <= 4e-7)."""
    states, actions = _scenes(5), _actions(5)
    batched = jax.jit(jax.vmap(step, in_axes=(0, None, 0)))(_stack(states), SimParams(), actions)
    single = jax.jit(step)
    for i, (state, action) in enumerate(zip(states, actions, strict=True)):
        alone = single(state, SimParams(), action)
        _close(jax.tree_util.tree_map(lambda x, i=i: x[i], batched), alone)
    one = jax.jit(jax.vmap(step, in_axes=(0, None, 0)))(_stack(states[:1]), SimParams(), actions[:1])
    assert _equal(jax.tree_util.tree_map(lambda x: x[0], one), single(states[0], SimParams(), actions[0]))


def test_deterministic_over_a_rollout():
    state = _stack(_scenes(3, seed=4))
    actions = _actions(3)

    @jax.jit
    def roll(s):
        return jax.lax.scan(lambda s, _: (jax.vmap(step, in_axes=(0, None, 0))(s, SimParams(), actions), None),
                            s, None, length=50)[0]

    assert _equal(roll(state), roll(state))


def test_random_rollouts_stay_finite():
    states = _stack(_scenes(16, KINETIX_SIZES["m"], seed=7))
    static = KINETIX_SIZES["m"]

    @jax.jit
    def roll(s, key):
        def body(s, k):
            a = jax.random.uniform(k, (16, static.num_joints + static.num_thrusters), minval=-1, maxval=1)
            return jax.vmap(step, in_axes=(0, None, 0))(s, SimParams(), a), None
        return jax.lax.scan(body, s, jax.random.split(key, 300))[0]

    out = roll(states, jax.random.key(0))
    for leaf in jax.tree_util.tree_leaves(out):
        if jnp.issubdtype(leaf.dtype, jnp.floating):
            assert bool(jnp.all(jnp.isfinite(leaf)))
    assert not bool(out.nonfinite.any())
    # nothing leaves the 5 m world through the walls
    movable = np.asarray(out.body.active) & (np.arange(static.num_bodies) >= static.num_static_polygons)
    pos = np.asarray(out.body.position)[movable]
    assert (pos > -0.5).all() and (pos < 5.5).all()


def test_nan_is_rolled_back_and_reported():
    state = _scenes(1)[0]
    bad = state.replace(body=state.body.replace(velocity=state.body.velocity.at[4, 0].set(jnp.nan)))
    out = jax.jit(step)(bad, SimParams(), jnp.zeros(2))
    assert bool(out.nonfinite)
    np.testing.assert_array_equal(np.asarray(out.body.position), np.asarray(bad.body.position))


def test_nan_in_one_lane_rolls_back_that_lane_only():
    states = _stack(_scenes(3))
    body = states.body
    moving = np.flatnonzero(np.asarray(body.active[1] & (body.inverse_mass[1] > 0))[STATIC.num_static_polygons:])
    i = STATIC.num_static_polygons + int(moving[0])
    bad = states.replace(body=body.replace(angular_velocity=body.angular_velocity.at[1, i].set(jnp.nan)))
    out = jax.jit(jax.vmap(step, in_axes=(0, None, None)))(bad, SimParams(), jnp.zeros(2))
    np.testing.assert_array_equal(np.asarray(out.nonfinite), [False, True, False])
    np.testing.assert_array_equal(np.asarray(out.body.position[1]), np.asarray(bad.body.position[1]))
    assert not np.array_equal(np.asarray(out.body.position[0]), np.asarray(bad.body.position[0]))


def test_finite_check_flags_nan_and_inf_but_not_huge_finite_values():
    from impetus.engine.step import _finite_per_lane

    lanes = jnp.zeros((3, 2, 4)).at[0, 1, 1].set(jnp.nan).at[2, 0, 2].set(-jnp.inf)
    huge = jnp.full((5, 4), 3e38)
    np.testing.assert_array_equal(np.asarray(_finite_per_lane((lanes, huge))), [True, False, False, True])


def test_free_fall_matches_symplectic_euler():
    b = SceneBuilder(StaticSimParams(1, 1, 0, 0, num_static_polygons=0), gravity=(0.0, -10.0))
    b.add_box((50.0, 50.0), (0.1, 0.1), fixed=True)
    ball = b.add_circle((0.0, 5.0), 0.1)
    s = b.build()
    f = jax.jit(step)
    params = SimParams(clip_position=100.0)
    for _ in range(60):
        s = f(s, params, jnp.zeros(0))
    # 4 substeps of h = dt/4 per step: y = y0 - g h^2 n(n+1)/2 with n = 240 substeps
    h, n = 1 / 240, 240
    assert float(s.body.position[ball.index, 1]) == pytest.approx(5.0 - 10.0 * h * h * n * (n + 1) / 2, abs=1e-4)
    assert float(s.body.velocity[ball.index, 1]) == pytest.approx(-10.0, abs=1e-4)


def test_motor_reaches_target_speed_and_zero_action_frees_it():
    b = SceneBuilder(StaticSimParams(1, 1, 1, 0, num_static_polygons=1), gravity=(0.0, 0.0))
    hub = b.add_box((0.0, 0.0), (0.1, 0.1), fixed=True)
    wheel = b.add_circle((0.0, 0.0), 0.3)
    b.add_revolute_joint(hub, wheel, (0.0, 0.0), motor_on=True, motor_speed=0.5, motor_power=1.0)
    s = b.build()
    f = jax.jit(step)
    for _ in range(30):
        s = f(s, SimParams(), jnp.array([1.0]))
    # target = base_motor_speed (6) * motor_speed (0.5) * action (1) = 3 rad/s
    assert float(s.body.angular_velocity[wheel.index]) == pytest.approx(3.0, abs=1e-3)
    # the acceleration limit is base_motor_power * motor_power = 900 rad/s^2: 3 rad/s takes 1/300 s
    s2 = f(b.build(), SimParams(), jnp.array([-1.0]))
    assert float(s2.body.angular_velocity[wheel.index]) == pytest.approx(-3.0, abs=1e-3)
    spinning = f(s, SimParams(), jnp.array([0.0]))
    assert float(spinning.body.angular_velocity[wheel.index]) == pytest.approx(3.0, abs=1e-4)


def test_weak_motor_is_torque_limited():
    b = SceneBuilder(StaticSimParams(1, 1, 1, 0, num_static_polygons=1), gravity=(0.0, 0.0))
    hub = b.add_box((0.0, 0.0), (0.1, 0.1), fixed=True)
    wheel = b.add_circle((0.0, 0.0), 0.3)
    b.add_revolute_joint(hub, wheel, (0.0, 0.0), motor_on=True, motor_speed=10.0, motor_power=0.01)
    s = jax.jit(step)(b.build(), SimParams(), jnp.array([1.0]))
    # max relative angular acceleration = 900 * 0.01 = 9 rad/s^2 -> 0.15 rad/s after 1/60 s
    assert float(s.body.angular_velocity[wheel.index]) == pytest.approx(9.0 / 60.0, rel=1e-4)


def test_thruster_force_and_torque():
    b = SceneBuilder(StaticSimParams(2, 0, 0, 1, num_static_polygons=1), gravity=(0.0, 0.0))
    b.add_box((50.0, 50.0), (0.1, 0.1), fixed=True)
    box = b.add_box((0.0, 0.0), (0.5, 0.5), density=2.0)  # m = 2, I = 2 (1 + 1) / 12 = 1/3
    b.add_thruster(box, (0.0, 0.5), angle=0.0, power=1.5)  # pushes +x at the top edge
    s = jax.jit(step)(b.build(), SimParams(clip_position=100.0), jnp.array([1.0]))
    force = 10.0 * 1.5  # base_thruster_power * power * action
    assert float(s.body.velocity[box.index, 0]) == pytest.approx(force / 2.0 / 60.0, rel=1e-5)
    # torque = r x F = (0, 0.5) x (15, 0) = -7.5 N m
    assert float(s.body.angular_velocity[box.index]) == pytest.approx(-7.5 * 3.0 / 60.0, rel=1e-4)


def test_car_drives_and_rocket_lifts():
    f = jax.jit(step)
    s = car()
    x0 = float(s.body.position[4, 0])
    for _ in range(120):
        s = f(s, SimParams(), jnp.array([1.0, 1.0, 0.0]))
    assert x0 - float(s.body.position[4, 0]) > 0.5  # +1 spins the wheels counter-clockwise: drives left
    assert abs(float(s.body.rotation[4])) < 0.3
    r = rocket()
    y0 = float(r.body.position[4, 1])
    mass = 1.0 / float(r.body.inverse_mass[4])
    for _ in range(30):
        r = f(r, SimParams(), jnp.array([0.0, 1.0]))
    assert 10.0 / mass > 9.81 and float(r.body.position[4, 1]) > y0 + 0.1


def test_tile_shape_power_of_two_tiles_within_budget():
    from impetus.engine.lanes import tile_shape
    assert tile_shape(2048, 34) == (4, 512)  # M: 963 lanes allowed -> 4 tiles of 512
    assert tile_shape(2048, 114) == (8, 256)  # L
    assert tile_shape(256, 114) == (1, 256)  # small batches are not tiled
    count, lanes = tile_shape(1000, 114)
    assert count == 4 and lanes % 8 == 0 and count * lanes >= 1000 and lanes * 114 <= 32768


def test_tiled_batch_equals_untiled_batch(monkeypatch):
    """Cutting a batch into tiles (padded here: 21 scenes in 4 tiles of 8 lanes) changes
    nothing a scene computes."""
    import importlib
    step_module = importlib.import_module("impetus.engine.step")
    states, actions = _scenes(21, seed=3), _actions(21, seed=4)

    def rollout():
        return jax.jit(lambda s, a: jax.lax.scan(
            lambda s, _: (jax.vmap(step, in_axes=(0, None, 0))(s, SimParams(), a), None), s, None, length=3)[0])

    whole = rollout()(_stack(states), actions)
    calls = []
    monkeypatch.setattr(step_module, "tile_shape", lambda batch, rows: calls.append(batch) or (4, 8))
    tiled = rollout()(_stack(states), actions)
    assert calls == [21]
    assert _equal(whole, tiled)
