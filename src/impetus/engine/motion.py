"""The per-body motion blocks the solver works on (lane form: scenes on the last axis).

``V`` (N, 3, L): linear velocity x, y and angular velocity: the solver writes these.
``D`` (N, 5, L): position change x, y since the start of the step, angle change, and the
cosine and sine of the angle change: constant within a solver pass.
"""

import jax.numpy as jnp

VX, VY, W = 0, 1, 2
DPX, DPY, DQ, DQC, DQS = 0, 1, 2, 3, 4


def initial_motion(velocity, angular_velocity):
    """(V, D) at the start of a step from velocities (N, 2, L) and (N, L)."""
    V = jnp.concatenate([velocity, angular_velocity[:, None]], axis=1)
    zeros = jnp.zeros_like(angular_velocity)
    D = jnp.stack([zeros, zeros, zeros, zeros + 1.0, zeros], axis=1)
    return V, D
