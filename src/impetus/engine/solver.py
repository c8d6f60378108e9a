"""The soft-step solver loop: substeps of integrate / warm start / solve / relax (lane form).

Every pass visits the joints in slot order (one ``lax.scan``), then the contacts kind by
kind, chunk by chunk (one ``lax.scan`` per kind, see ``plan``).  A chunk gathers the
motion rows of its bodies, solves all its pairs at once, and writes the velocities back
with one more gather.

Why restitution keeps its own loop body (measured, session 9): running it as a third
pass of the solve/relax loop, selected by a traced flag, compiles 0.3-0.7 s faster and is
bitwise equal, but only if the flag enters every row *before* the division that ends it.
A ``where`` on the flag after the division made XLA recompute the whole row chain inside
the velocity write-back gather (that kernel 6x slower, the step 2x slower).  Even done
right, M/2048 on two devices ran 10-17 % slower (more kernels per pass), so it was not kept.
"""

import jax
import jax.numpy as jnp

from . import contact_solver as cs
from .joint_solver import JointImpulses, JointRows, joint_pass
from .motion import DPX, DPY, DQ, VX, VY, W
from .plan import Plan
from .types import SimParams

ContactSet = dict[str, cs.ContactRows]
ImpulseSet = dict[str, cs.ContactImpulses]


def _chunked(tree, num_chunks: int):
    return jax.tree_util.tree_map(lambda x: x.reshape((num_chunks, -1, *x.shape[1:])), tree)


def _flat(tree):
    return jax.tree_util.tree_map(lambda x: x.reshape((-1, *x.shape[2:])), tree)


def contact_pass(V, D, plan: Plan, rows: ContactSet, imps: ImpulseSet, row_fn):
    """Apply ``row_fn(rows, impulses, Va, Vb, Da, Db)`` to every pair, kind by kind, chunk by chunk."""
    new_imps = {}
    for kind, kp in plan.kinds.items():
        m = kp.chunk

        def body(V, xs, m=m):
            gather, write_back, r, imp = xs
            GV, GD = jnp.take(V, gather, axis=0), jnp.take(D, gather, axis=0)
            new_a, new_b, imp = row_fn(r, imp, GV[:m], GV[m:], GD[:m], GD[m:])
            # materialise the rows: otherwise XLA fuses the row arithmetic into the write-back
            # gather and recomputes it for every gathered element
            new_a, new_b, imp = jax.lax.optimization_barrier((new_a, new_b, imp))
            return jnp.take(jnp.concatenate([new_a, new_b, V], axis=0), write_back, axis=0), imp

        xs = (kp.gather, kp.write_back, _chunked(rows[kind], kp.num_chunks), _chunked(imps[kind], kp.num_chunks))
        V, out = jax.lax.scan(body, V, xs)
        new_imps[kind] = _flat(out)
    return V, new_imps


def integrate_velocities(V, accel, params: SimParams, h):
    """Add ``h`` times the acceleration (N, 3, L) and clamp speeds (per component, as Jax2D)."""
    V = V + h * accel
    lin = jnp.clip(V[:, VX:VY + 1], -params.clip_velocity, params.clip_velocity)
    ang = jnp.clip(V[:, W:], -params.clip_angular_velocity, params.clip_angular_velocity)
    return jnp.concatenate([lin, ang], axis=1)


def integrate_positions(V, D, movable, h):
    """Accumulate the position and angle change of the step (immovable bodies stay)."""
    dp = D[:, DPX:DPY + 1] + h * V[:, VX:VY + 1] * movable[:, None]
    dq = D[:, DQ] + h * V[:, W] * movable
    return jnp.concatenate([dp, dq[:, None], jnp.cos(dq)[:, None], jnp.sin(dq)[:, None]], axis=1)


def substeps(V, D, plan: Plan, params: SimParams, accel, movable, rows: ContactSet, imps: ImpulseSet,
             jrows: JointRows, jimps: JointImpulses, jsoft, h):
    """Run ``plan.static.num_substeps`` substeps and the restitution pass.

    Returns:
        (V, D, contact impulses, joint impulses).
    """

    def contact_fn(kind_fn, **kw):
        return lambda r, i, Va, Vb, Da, Db: kind_fn(r, i, Va, Vb, Da, Db, params, h, **kw)

    def one(carry, _):
        V, D, imps, jimps = carry
        V = integrate_velocities(V, accel, params, h)
        V, jimps = joint_pass(V, D, jrows, jimps, jsoft, h, warm=True)
        V, imps = contact_pass(V, D, plan, rows, imps, contact_fn(cs.warm_start))
        (V, D, imps, jimps), _ = jax.lax.scan(solve_then_relax, (V, D, imps, jimps), jnp.array([True, False]))
        return (V, D, imps, jimps), None

    def solve_then_relax(carry, use_bias):
        """Soft solve and position update (``use_bias``), then the rigid relax pass: one compiled body."""
        V, D, imps, jimps = carry
        V, jimps = joint_pass(V, D, jrows, jimps, jsoft, h, use_bias=use_bias)
        V, imps = contact_pass(V, D, plan, rows, imps, contact_fn(cs.solve, use_bias=use_bias))
        D = jnp.where(use_bias, integrate_positions(V, D, movable, h), D)
        return (V, D, imps, jimps), None

    (V, D, imps, jimps), _ = jax.lax.scan(one, (V, D, imps, jimps), None, length=plan.static.num_substeps)
    V, imps = contact_pass(V, D, plan, rows, imps, contact_fn(cs.restitution))
    return V, D, imps, jimps
