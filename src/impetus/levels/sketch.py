"""``LevelSketch``: build a :class:`~impetus.levels.Level` slot by slot on the host (numpy).

A sketch starts from the Kinetix world (floor, walls, ceiling in polygon slots 0..3) and fills
the next free slot of each kind.  Positions are world coordinates of each shape's frame origin
[m]; vertices and anchors are in shape frames [m]; angles in radians.  ``add_*`` return the
global shape index (polygons ``0..P-1``, circle ``k`` at ``P + k``) or the joint / thruster slot.

Used by the example levels (``impetus.env.examples``) and the level library
(``impetus.levels.library``)::

    sk = LevelSketch(static_for_size("s"))
    box = sk.add_box((1.0, 0.55), (0.2, 0.15), role=GREEN)
    sk.add_thruster(box, (-0.2, 0.0), angle=0.0)
    level = sk.build()
"""

import math

import jax
import jax.numpy as jnp
import numpy as np

from ..engine import StaticSimParams
from .level import NEUTRAL, Level
from .world import walls_level


def box_vertices(hx: float, hy: float) -> list[tuple[float, float]]:
    """Counter-clockwise corners of a box with half extents ``(hx, hy)`` [m]."""
    return [(-hx, -hy), (hx, -hy), (hx, hy), (-hx, hy)]


def regular_polygon(radius: float, n: int, phase: float = 0.0) -> list[tuple[float, float]]:
    """Counter-clockwise corners of a regular ``n``-gon of circumradius ``radius`` [m] about the origin."""
    return [(radius * math.cos(phase + 2 * math.pi * k / n), radius * math.sin(phase + 2 * math.pi * k / n))
            for k in range(n)]


class LevelSketch:
    """Host-side level construction: ``add_*`` return global shape indices; ``build()`` a Level."""

    def __init__(self, static: StaticSimParams, max_timesteps: int = 256, gravity=(0.0, -9.81)):
        self.static = static
        base = walls_level(static, gravity, max_timesteps)
        self._tree = jax.tree_util.tree_map(np.array, base)
        self._next = {"polygon": static.num_static_polygons, "circle": 0, "joint": 0, "thruster": 0}

    def _slot(self, kind: str, capacity: int) -> int:
        slot = self._next[kind]
        if slot >= capacity:
            raise ValueError(f"LevelSketch: no free {kind} slot in {self.static}")
        self._next[kind] += 1
        return slot

    def _shape(self, index: int, position, rotation, role, fixed, density, friction, restitution,
               collision_mode=1, velocity=(0.0, 0.0), angular_velocity=0.0) -> None:
        s = self._tree.shape
        s.position[index], s.rotation[index], s.role[index] = position, rotation, role
        s.fixed[index], s.density[index], s.friction[index] = fixed, density, friction
        s.restitution[index], s.active[index], s.collision_mode[index] = restitution, True, collision_mode
        s.velocity[index], s.angular_velocity[index] = velocity, angular_velocity

    def add_polygon(self, position, vertices, role=NEUTRAL, fixed=False, rotation=0.0, density=1.0, friction=1.0,
                    restitution=0.0, **extra) -> int:
        """A convex polygon (vertices counter-clockwise about ``position``); ``extra``:
        ``collision_mode``, ``velocity`` [m/s], ``angular_velocity`` [rad/s]."""
        slot = self._slot("polygon", self.static.num_polygons)
        verts = np.asarray(vertices, np.float32)
        if len(verts) > self.static.max_polygon_vertices:
            raise ValueError(f"LevelSketch: {len(verts)} vertices exceed max_polygon_vertices of {self.static}")
        self._tree.polygon_vertices[slot] = 0.0
        self._tree.polygon_vertices[slot, :len(verts)] = verts
        self._tree.polygon_n_vertices[slot] = len(verts)
        self._shape(slot, position, rotation, role, fixed, density, friction, restitution, **extra)
        return slot

    def add_box(self, position, half_extents, **kw) -> int:
        """A box centred on ``position`` with half extents ``(hx, hy)`` [m] (keywords of ``add_polygon``)."""
        return self.add_polygon(position, box_vertices(*half_extents), **kw)

    def add_circle(self, position, radius, role=NEUTRAL, fixed=False, rotation=0.0, density=1.0, friction=1.0,
                   restitution=0.0, **extra) -> int:
        """A circle of ``radius`` [m] centred on ``position`` (``extra`` as in ``add_polygon``)."""
        slot = self._slot("circle", self.static.num_circles)
        self._tree.circle_radius[slot] = radius
        index = self.static.num_polygons + slot
        self._shape(index, position, rotation, role, fixed, density, friction, restitution, **extra)
        return index

    def add_revolute_joint(self, a: int, b: int, anchor_a, anchor_b, motor_on=True, speed=1.0, power=1.0,
                           binding=0, auto=False, limits=None, reference_angle=0.0) -> int:
        """A hinge pinning ``anchor_a`` (frame of shape ``a``) to ``anchor_b`` (frame of ``b``).

        A +1 motor command drives ``rotation_b - rotation_a`` at ``speed`` (Kinetix scale);
        ``limits = (lower, upper)`` [rad] bound ``rotation_b - rotation_a - reference_angle``."""
        j, slot = self._tree.joint, self._slot("joint", self.static.num_joints)
        j.body_a[slot], j.body_b[slot], j.anchor_a[slot], j.anchor_b[slot] = a, b, anchor_a, anchor_b
        j.motor_on[slot], j.motor_speed[slot], j.motor_power[slot] = motor_on, speed, power
        j.motor_binding[slot], j.motor_auto[slot], j.active[slot] = binding, auto, True
        j.reference_angle[slot] = reference_angle
        if limits is not None:
            j.has_limits[slot], (j.lower_angle[slot], j.upper_angle[slot]) = True, limits
        return slot

    def add_fixed_joint(self, a: int, b: int, anchor_a, anchor_b, reference_angle: float | None = None) -> int:
        """Weld shapes ``a`` and ``b`` at the given anchors; the relative angle defaults to the current one."""
        j, slot = self._tree.joint, self._slot("joint", self.static.num_joints)
        rot = self._tree.shape.rotation
        if reference_angle is None:
            reference_angle = float(rot[b] - rot[a])
        j.body_a[slot], j.body_b[slot], j.anchor_a[slot], j.anchor_b[slot] = a, b, anchor_a, anchor_b
        j.is_fixed[slot], j.reference_angle[slot], j.active[slot] = True, reference_angle, True
        j.motor_on[slot] = False
        return slot

    def add_thruster(self, body: int, anchor, angle: float, power=1.0, binding=0) -> int:
        """A thruster on shape ``body`` at ``anchor`` (its frame) pushing along ``angle`` (relative to the body)."""
        t, slot = self._tree.thruster, self._slot("thruster", self.static.num_thrusters)
        t.body[slot], t.anchor[slot], t.angle[slot], t.power[slot] = body, anchor, angle, power
        t.binding[slot], t.active[slot] = binding, True
        return slot

    def set_floor_role(self, role: int) -> None:
        """Give the floor (polygon slot 0) a role, e.g. ``RED`` for a deadly floor."""
        self._tree.shape.role[0] = role

    def build(self) -> Level:
        return jax.tree_util.tree_map(jnp.asarray, self._tree)
