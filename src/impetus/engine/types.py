"""State, parameter and static-configuration types of the physics engine.

Conventions
-----------
* Units are SI: metres, seconds, radians, kilograms (density is kg/m^2 in 2D).
* Bodies are addressed by a *global index*: polygons take ``0 .. P-1`` and circle ``k``
  takes ``P + k`` (the Jax2D/Kinetix convention).  Every body is exactly one shape.
* The first ``num_static_polygons`` polygon slots are immovable scenery (floor, walls,
  ceiling in Kinetix worlds); pairs among them are never tested.
* Every array has a fixed capacity; a slot is in use only while its ``active`` flag is
  set.  Unused joint or thruster slots point at body 0 and are masked, never ``-1``.
* Polygon vertices are stored in the body frame, relative to the centre of mass, in
  counter-clockwise order; slots ``>= n_vertices`` are zero.
* ``rotation`` is an unwrapped angle (radians), as in Jax2D.
"""

import dataclasses

import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ._pytree import PyTreeNode, static_field

#: Bumped whenever simulated trajectories change on purpose (recorded in level files
#: and benchmark outputs).
PHYSICS_VERSION = 1


@dataclasses.dataclass(frozen=True)
class StaticSimParams:
    """Capacities and solver structure. Hashable; changing any field recompiles.

    Attributes:
        num_polygons: polygon slots ``P`` (including the static ones).
        num_circles: circle slots ``C``.
        num_joints: joint slots ``J``.
        num_thrusters: thruster slots ``T``.
        max_polygon_vertices: vertex slots per polygon ``V`` (3 .. 8).
        num_static_polygons: leading polygon slots that never move and never collide with
            each other (Kinetix: floor, two walls, ceiling = 4).
        num_substeps: soft-step substeps per step (Box2D v3 default 4).
    """

    num_polygons: int = 12
    num_circles: int = 12
    num_joints: int = 12
    num_thrusters: int = 12
    max_polygon_vertices: int = 4
    num_static_polygons: int = 4
    num_substeps: int = 4

    def __post_init__(self) -> None:
        checks = [
            (self.num_polygons >= 0, "num_polygons must be >= 0"),
            (self.num_circles >= 0, "num_circles must be >= 0"),
            (self.num_polygons + self.num_circles >= 1, "a scene needs at least one shape slot"),
            (self.num_joints >= 0, "num_joints must be >= 0"),
            (self.num_thrusters >= 0, "num_thrusters must be >= 0"),
            (3 <= self.max_polygon_vertices <= 8, "max_polygon_vertices must be in 3..8"),
            (0 <= self.num_static_polygons <= self.num_polygons,
             "num_static_polygons must be in 0..num_polygons"),
            (1 <= self.num_substeps <= 16, "num_substeps must be in 1..16"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"StaticSimParams: {message} (got {self})")

    @property
    def num_bodies(self) -> int:
        """Total shape slots ``N = P + C``."""
        return self.num_polygons + self.num_circles


class SimParams(PyTreeNode):
    """Traced (vmappable) physical coefficients.

    The Kinetix/Jax2D meanings are kept for ``dt``, ``base_friction``, the motor and
    thruster scales and the clips.  The remaining fields parameterise the Box2D-v3 style
    soft-step solver (Jax2D's Baumgarte/joint-stiffness constants do not exist here).
    """

    dt: float | Float[Array, ""] = 1.0 / 60.0
    #: pair friction = base_friction * sqrt(f_a^2 + f_b^2) (Jax2D rule; two mu=1 shapes give 0.57)
    base_friction: float | Float[Array, ""] = 0.4
    #: motor target relative angular speed = base_motor_speed * motor_speed * action [rad/s]
    base_motor_speed: float | Float[Array, ""] = 6.0
    #: motor strength: max relative angular acceleration = base_motor_power * motor_power [rad/s^2]
    base_motor_power: float | Float[Array, ""] = 900.0
    #: thruster force = base_thruster_power * power * action [N]
    base_thruster_power: float | Float[Array, ""] = 10.0
    contact_hertz: float | Float[Array, ""] = 30.0
    contact_damping_ratio: float | Float[Array, ""] = 10.0
    #: maximum push-out speed for overlapping shapes [m/s]
    contact_push_max: float | Float[Array, ""] = 3.0
    joint_hertz: float | Float[Array, ""] = 60.0
    joint_damping_ratio: float | Float[Array, ""] = 2.0
    #: approach speeds below this do not bounce [m/s]
    restitution_threshold: float | Float[Array, ""] = 1.0
    linear_slop: float | Float[Array, ""] = 0.005
    #: contacts are created this far apart (plus the closing distance of one step) [m]
    speculative_distance: float | Float[Array, ""] = 0.02
    clip_position: float | Float[Array, ""] = 15.0
    clip_velocity: float | Float[Array, ""] = 100.0
    clip_angular_velocity: float | Float[Array, ""] = 50.0


class Body(PyTreeNode):
    """Rigid bodies, one per shape slot (N = P + C rows, polygons first)."""

    position: Float[Array, "n 2"]  # centre of mass, world frame [m]
    rotation: Float[Array, " n"]  # angle [rad], unwrapped
    velocity: Float[Array, "n 2"]  # [m/s]
    angular_velocity: Float[Array, " n"]  # [rad/s]
    inverse_mass: Float[Array, " n"]  # 0 = immovable [1/kg]
    inverse_inertia: Float[Array, " n"]  # about the centre of mass [1/(kg m^2)]
    friction: Float[Array, " n"]  # per-shape coefficient, mixed per pair (see SimParams)
    restitution: Float[Array, " n"]  # pair value = min(e_a, e_b)
    collision_mode: Int[Array, " n"]  # 0: only with mode 2; 1: with 1 and 2; 2: with everything
    active: Bool[Array, " n"]


class Polygon(PyTreeNode):
    """Polygon geometry (P rows)."""

    vertices: Float[Array, "p v 2"]  # body frame, about the centre of mass, CCW [m]
    n_vertices: Int[Array, " p"]


class Circle(PyTreeNode):
    """Circle geometry (C rows)."""

    radius: Float[Array, " c"]  # [m]


class Joint(PyTreeNode):
    """Revolute and fixed (weld) joints (J rows) with their warm-start impulses."""

    body_a: Int[Array, " j"]  # global body index
    body_b: Int[Array, " j"]
    anchor_a: Float[Array, "j 2"]  # body-a frame, relative to its centre of mass [m]
    anchor_b: Float[Array, "j 2"]
    reference_angle: Float[Array, " j"]  # rest value of rotation_b - rotation_a [rad]
    is_fixed: Bool[Array, " j"]  # weld joint (no relative rotation)
    active: Bool[Array, " j"]
    motor_on: Bool[Array, " j"]
    motor_speed: Float[Array, " j"]  # multiplier of SimParams.base_motor_speed
    motor_power: Float[Array, " j"]  # multiplier of SimParams.base_motor_power
    has_limits: Bool[Array, " j"]
    lower_angle: Float[Array, " j"]  # limits on (rotation_b - rotation_a - reference_angle) [rad]
    upper_angle: Float[Array, " j"]
    linear_impulse: Float[Array, "j 2"]  # warm start [N s]
    angular_impulse: Float[Array, " j"]  # weld angular row [N m s]
    motor_impulse: Float[Array, " j"]
    lower_impulse: Float[Array, " j"]
    upper_impulse: Float[Array, " j"]


class Thruster(PyTreeNode):
    """Thrusters (T rows): a force on a body at a fixed point, along a fixed direction."""

    body: Int[Array, " t"]  # global body index
    anchor: Float[Array, "t 2"]  # body frame, relative to the centre of mass [m]
    angle: Float[Array, " t"]  # thrust direction relative to the body [rad]
    power: Float[Array, " t"]  # multiplier of SimParams.base_thruster_power
    active: Bool[Array, " t"]


class Contacts(PyTreeNode):
    """Per candidate pair (R rows, in the solver's plan order, see ``plan.Plan``).

    Point slot 1 is used by polygon-polygon pairs only.
    """

    normal_impulse: Float[Array, "r 2"]  # accumulated, for warm starting [N s]
    tangent_impulse: Float[Array, "r 2"]
    feature: Int[Array, "r 2"]  # feature key of each point; 0 = no point
    separation: Float[Array, " r"]  # smallest separation at the start of the last step [m]; 1e3 if none


class SimState(PyTreeNode):
    """Everything that defines one scene at one instant."""

    body: Body
    polygon: Polygon
    circle: Circle
    joint: Joint
    thruster: Thruster
    contacts: Contacts
    collision_matrix: Bool[Array, "n n"]  # False where jointed (same component) or self
    gravity: Float[Array, " 2"]  # [m/s^2]
    nonfinite: Bool[Array, ""]  # set (sticky) when a step produced NaN/inf and was rolled back
    static: StaticSimParams = static_field()  # capacities (tree metadata: a change recompiles)


NO_CONTACT_SEPARATION = 1e3




def empty_contacts(num_pairs: int) -> Contacts:
    """Contact cache with no points (for ``num_pairs`` candidate pairs)."""
    return Contacts(
        normal_impulse=jnp.zeros((num_pairs, 2), jnp.float32),
        tangent_impulse=jnp.zeros((num_pairs, 2), jnp.float32),
        feature=jnp.zeros((num_pairs, 2), jnp.int32),
        separation=jnp.full((num_pairs,), NO_CONTACT_SEPARATION, jnp.float32),
    )
