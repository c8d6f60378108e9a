"""Helpers shared by the engine tests."""

import jax
import jax.numpy as jnp
import numpy as np

from impetus.engine import SimParams, make_plan
from impetus.engine.collide import collide
from impetus.engine.lanes import to_lanes


def manifold_for(state, a: int, b: int, params: SimParams | None = None):
    """The manifold of the pair of global bodies (a, b) (a < b), as numpy arrays (one scene)."""
    params = params or SimParams()
    plan = make_plan(state.static)
    lane = to_lanes(state, False)
    cos, sin = jnp.cos(lane.body.rotation), jnp.sin(lane.body.rotation)
    manifolds = collide(lane, params, plan, cos, sin)
    for kind, kp in plan.kinds.items():
        for i, (x, y) in enumerate(zip(kp.a.tolist(), kp.b.tolist(), strict=True)):
            if (x, y) == (a, b) and kp.real[i]:
                return kind, jax.tree_util.tree_map(lambda v, i=i: np.asarray(v[i, ..., 0]), manifolds[kind])
    raise KeyError((a, b))
