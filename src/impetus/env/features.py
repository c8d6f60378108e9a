"""Per-entity feature rows shared by the entity and flat observations (reference section 3.1).

Rows of inactive slots are all zero.  Widths with ``V`` vertex slots and ``nmb`` / ``ntb``
bindings (Kinetix: V = 4, nmb = 4, ntb = 2, giving 26 / 18 / 23 / 8):

* shape base (16): position (2) [m], velocity (2) [m/s], inverse mass, inverse inertia, density,
  tanh(angular velocity / 10), one-hot role (4), sin and cos of rotation, friction, restitution;
* polygon = base + [0 (polygon flag), vertices about the centre of mass (2 V, unused slots -1),
  is_triangle] (``18 + 2 V``);
* circle = base + [radius, 1 (circle flag)] (18);
* joint, per direction (``19 + nmb``): active, is_fixed, from-anchor (2), to-anchor (2) (body
  frames, about the centres of mass), sin and cos of the joint angle; revolute joints only:
  motor speed, motor power, motor on, has limits, one-hot binding (nmb); revolute joints with
  limits only: sin/cos of the lower and upper limit, lower - angle, upper - angle; and last,
  motor_auto (revolute only);
* thruster (``6 + ntb``): active, anchor (2) about the centre of mass, one-hot binding (ntb),
  sin and cos of the thrust angle relative to the body, power.

Deliberate differences from Kinetix: the joint angle is the *current* angle
``rotation_b - rotation_a - reference_angle`` (Kinetix shows the constant reference angle), the
limit offsets are measured from it, and ``motor_auto`` is observable (Kinetix hides it).
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, Int

from ..engine import SimState
from ..levels import Level


def onehot(index, size: int):
    return jax.nn.one_hot(index, size, dtype=jnp.float32)


def shape_base(sim: SimState, level: Level) -> Float[Array, "n 16"]:
    """The 16 base features of every shape (polygons first, then circles)."""
    b = sim.body
    cols = [b.position, b.velocity, b.inverse_mass[:, None], b.inverse_inertia[:, None], level.shape.density[:, None],
            jnp.tanh(b.angular_velocity / 10.0)[:, None], onehot(level.shape.role, 4),
            jnp.sin(b.rotation)[:, None], jnp.cos(b.rotation)[:, None], b.friction[:, None], b.restitution[:, None]]
    return jnp.concatenate(cols, axis=1) * b.active[:, None]


def polygon_features(sim: SimState, base: Float[Array, "n 16"]) -> Float[Array, "p f"]:
    """Polygon rows: base + polygon flag, vertices (unused slots -1), is_triangle."""
    P, V = sim.polygon.vertices.shape[:2]
    n = sim.polygon.n_vertices
    used = jnp.arange(V)[None, :] < n[:, None]
    verts = jnp.where(used[..., None], sim.polygon.vertices, -1.0).reshape(P, 2 * V)
    rows = jnp.concatenate([base[:P], jnp.zeros((P, 1)), verts, (n <= 3)[:, None].astype(jnp.float32)], axis=1)
    return rows * sim.body.active[:P, None]


def circle_features(sim: SimState, base: Float[Array, "n 16"]) -> Float[Array, "c 18"]:
    """Circle rows: base + radius, circle flag."""
    P = sim.polygon.vertices.shape[0]
    C = sim.circle.radius.shape[0]
    rows = jnp.concatenate([base[P:], sim.circle.radius[:, None], jnp.ones((C, 1))], axis=1)
    return rows * sim.body.active[P:, None]


def joint_angle(sim: SimState) -> Float[Array, " j"]:
    """Current angle of every joint: ``rotation_b - rotation_a - reference_angle`` [rad]."""
    j, rot = sim.joint, sim.body.rotation
    return rot[j.body_b] - rot[j.body_a] - j.reference_angle


def joint_features(sim: SimState, level: Level, num_motor_bindings: int) -> Float[Array, "2j f"]:
    """Joint rows in both directions: rows ``0..J-1`` are b -> a, rows ``J..2J-1`` a -> b."""
    j = sim.joint
    q = joint_angle(sim)
    revolute = (~j.is_fixed).astype(jnp.float32)[:, None]
    limited = revolute * j.has_limits.astype(jnp.float32)[:, None]
    col = lambda x: jnp.asarray(x, jnp.float32)[:, None]  # noqa: E731
    head = [col(j.active), col(j.is_fixed)]
    common = [jnp.sin(q)[:, None], jnp.cos(q)[:, None],
              revolute * jnp.concatenate([col(j.motor_speed), col(j.motor_power), col(j.motor_on), col(j.has_limits),
                                          onehot(level.joint.motor_binding, num_motor_bindings)], axis=1),
              limited * jnp.stack([jnp.sin(j.lower_angle), jnp.cos(j.lower_angle), jnp.sin(j.upper_angle),
                                   jnp.cos(j.upper_angle), j.lower_angle - q, j.upper_angle - q], axis=1),
              revolute * col(level.joint.motor_auto)]
    b_to_a = jnp.concatenate([*head, j.anchor_b, j.anchor_a, *common], axis=1)
    a_to_b = jnp.concatenate([*head, j.anchor_a, j.anchor_b, *common], axis=1)
    return jnp.concatenate([b_to_a, a_to_b]) * jnp.concatenate([j.active, j.active])[:, None]


def joint_indexes(sim: SimState) -> Int[Array, "2j 2"]:
    """(from, to) global shape indices of every joint row (zero for inactive joints)."""
    j = sim.joint
    rows = jnp.concatenate([jnp.stack([j.body_b, j.body_a], 1), jnp.stack([j.body_a, j.body_b], 1)])
    return jnp.where(jnp.concatenate([j.active, j.active])[:, None], rows, 0).astype(jnp.int32)


def thruster_features(sim: SimState, level: Level, num_thruster_bindings: int) -> Float[Array, "t f"]:
    """Thruster rows: active, anchor (2), one-hot binding, sin/cos of the angle, power."""
    t = sim.thruster
    rows = jnp.concatenate([t.active[:, None].astype(jnp.float32), t.anchor,
                            onehot(level.thruster.binding, num_thruster_bindings),
                            jnp.sin(t.angle)[:, None], jnp.cos(t.angle)[:, None], t.power[:, None]], axis=1)
    return rows * t.active[:, None]
