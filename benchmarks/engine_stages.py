"""Where one engine step spends its time: stage-by-stage timings of ``step_lanes``.

Usage (from the repository root; single-threaded numbers are the stable ones on a shared machine)::

    XLA_FLAGS=--xla_cpu_multi_thread_eigen=false taskset -c 0 \
        .venv/bin/python benchmarks/engine_stages.py --size m --lanes 1024

Each stage prefix (narrow phase; + contact and joint preparation; the whole step with 1, 2 and
``num_substeps`` substeps) and each contact pass on its own is jitted on a batch of random scenes
in lane form and timed; compile time is printed beside.  Differences between prefixes give the
cost of a stage; differences between substep counts give the cost of one substep.
"""

import argparse
import dataclasses
import time

import jax
import jax.numpy as jnp

from impetus.bench.engine import stacked_random_scenes
from impetus.engine import SimParams
from impetus.engine import contact_solver as cs
from impetus.engine.collide import collide
from impetus.engine.joint_solver import prepare_joints
from impetus.engine.lanes import to_lanes
from impetus.engine.motion import initial_motion
from impetus.engine.plan import make_plan
from impetus.engine.solver import contact_pass
from impetus.engine.step import (
    external_accelerations,
    movable_mask,
    prepare_all_contacts,
    split_actions,
    step_lanes,
)


def timed(fn, *args, reps: int = 10) -> tuple[float, float]:
    """(seconds per call, compile seconds) of ``jax.jit(fn)(*args)``."""
    t0 = time.perf_counter()
    compiled = jax.jit(fn).lower(*args).compile()
    compile_s = time.perf_counter() - t0
    jax.block_until_ready(compiled(*args))
    t0 = time.perf_counter()
    for _ in range(reps):
        out = compiled(*args)
    jax.block_until_ready(out)
    return (time.perf_counter() - t0) / reps, compile_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="m", choices=("s", "m", "l"))
    ap.add_argument("--lanes", type=int, default=1024)
    args = ap.parse_args()
    state = to_lanes(stacked_random_scenes(args.size, args.lanes), True)
    static, params = state.static, SimParams()
    plan, h = make_plan(static), params.dt / static.num_substeps
    actions = jnp.zeros((static.num_joints + static.num_thrusters, args.lanes))

    def narrow_phase(s):
        return collide(s, params, plan, jnp.cos(s.body.rotation), jnp.sin(s.body.rotation))

    def prepared(s):
        motor, thrust = split_actions(actions, static)
        cos, sin = jnp.cos(s.body.rotation), jnp.sin(s.body.rotation)
        movable = movable_mask(s, static)
        accel = external_accelerations(s, params, thrust, cos, sin, movable)
        rows, imps = prepare_all_contacts(s, params, plan, collide(s, params, plan, cos, sin), h)
        return accel, rows, imps, prepare_joints(s, params, motor, cos, sin, h)

    stages = [("narrow phase", narrow_phase, state), ("+ prepare contacts and joints", prepared, state)]
    for n in sorted({1, 2, static.num_substeps}):
        sub = state.replace(static=dataclasses.replace(static, num_substeps=n))
        stages.append((f"whole step, {n} substep(s)", lambda s: step_lanes(s, params, actions), sub))
    def one_pass(kind_fn, **kw):
        row_fn = lambda r, i, Va, Vb, Da, Db: kind_fn(r, i, Va, Vb, Da, Db, params, h, **kw)  # noqa: E731
        return lambda V, D, rows, imps: contact_pass(V, D, plan, rows, imps, row_fn)

    passes = [("contact pass: warm start", cs.warm_start, {}), ("contact pass: solve", cs.solve, {"use_bias": True}),
              ("contact pass: relax", cs.solve, {"use_bias": False}), ("contact pass: restitution", cs.restitution, {})]
    print(f"size {args.size.upper()}, {args.lanes} lanes, {plan.num_pairs} contact rows, device {jax.devices()[0]}")
    print(f"{'stage':34s} {'ms/call':>9s} {'us/scene':>9s} {'compile s':>10s}")
    for name, fn, arg in stages:
        sec, comp = timed(fn, arg)
        print(f"{name:34s} {sec * 1e3:9.2f} {sec / args.lanes * 1e6:9.2f} {comp:10.2f}", flush=True)
    _, rows, imps, _ = jax.jit(prepared)(state)
    V, D = initial_motion(state.body.velocity, state.body.angular_velocity)
    for name, fn, kw in passes:
        sec, comp = timed(one_pass(fn, **kw), V, D, rows, imps, reps=30)
        print(f"{name:34s} {sec * 1e3:9.2f} {sec / args.lanes * 1e6:9.2f} {comp:10.2f}", flush=True)


if __name__ == "__main__":
    main()
