"""Small hand-built levels shared by tests, benchmarks, docs and the CLI.

:class:`LevelSketch` fills a :class:`~impetus.levels.Level` slot by slot on the host (numpy),
starting from the Kinetix world (floor, walls, ceiling in polygon slots 0..3).  Positions are
world coordinates of each shape's frame origin; vertices and anchors are in shape frames.
"""

import jax
import jax.numpy as jnp
import numpy as np

from ..engine import StaticSimParams
from ..engine.scenes import static_for_size
from ..levels import BLUE, GREEN, NEUTRAL, RED, Level
from ..levels.world import FLOOR_Y, walls_level


def box_vertices(hx: float, hy: float) -> list[tuple[float, float]]:
    """Counter-clockwise corners of a box with half extents ``(hx, hy)``."""
    return [(-hx, -hy), (hx, -hy), (hx, hy), (-hx, hy)]


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

    def _shape(self, index: int, position, rotation, role, fixed, density, friction, restitution) -> None:
        s = self._tree.shape
        s.position[index], s.rotation[index], s.role[index] = position, rotation, role
        s.fixed[index], s.density[index], s.friction[index] = fixed, density, friction
        s.restitution[index], s.active[index] = restitution, True

    def add_polygon(self, position, vertices, role=NEUTRAL, fixed=False, rotation=0.0, density=1.0, friction=1.0,
                    restitution=0.0) -> int:
        slot = self._slot("polygon", self.static.num_polygons)
        verts = np.asarray(vertices, np.float32)
        self._tree.polygon_vertices[slot] = 0.0
        self._tree.polygon_vertices[slot, :len(verts)] = verts
        self._tree.polygon_n_vertices[slot] = len(verts)
        self._shape(slot, position, rotation, role, fixed, density, friction, restitution)
        return slot

    def add_box(self, position, half_extents, **kw) -> int:
        return self.add_polygon(position, box_vertices(*half_extents), **kw)

    def add_circle(self, position, radius, role=NEUTRAL, fixed=False, rotation=0.0, density=1.0, friction=1.0,
                   restitution=0.0) -> int:
        slot = self._slot("circle", self.static.num_circles)
        self._tree.circle_radius[slot] = radius
        index = self.static.num_polygons + slot
        self._shape(index, position, rotation, role, fixed, density, friction, restitution)
        return index

    def add_revolute_joint(self, a: int, b: int, anchor_a, anchor_b, motor_on=True, speed=1.0, power=1.0,
                           binding=0, auto=False) -> int:
        j, slot = self._tree.joint, self._slot("joint", self.static.num_joints)
        j.body_a[slot], j.body_b[slot], j.anchor_a[slot], j.anchor_b[slot] = a, b, anchor_a, anchor_b
        j.motor_on[slot], j.motor_speed[slot], j.motor_power[slot] = motor_on, speed, power
        j.motor_binding[slot], j.motor_auto[slot], j.active[slot] = binding, auto, True
        return slot

    def add_thruster(self, body: int, anchor, angle: float, power=1.0, binding=0) -> int:
        t, slot = self._tree.thruster, self._slot("thruster", self.static.num_thrusters)
        t.body[slot], t.anchor[slot], t.angle[slot], t.power[slot] = body, anchor, angle, power
        t.binding[slot], t.active[slot] = binding, True
        return slot

    def set_floor_role(self, role: int) -> None:
        self._tree.shape.role[0] = role

    def build(self) -> Level:
        return jax.tree_util.tree_map(jnp.asarray, self._tree)


def ball_drop(target_role: int = BLUE, size: str = "s", max_timesteps: int = 256, height: float = 1.2) -> Level:
    """A green ball dropped from ``height`` onto a fixed box of ``target_role`` lying on the floor."""
    sk = LevelSketch(static_for_size(size), max_timesteps)
    sk.add_box((2.5, FLOOR_Y + 0.2), (0.6, 0.2), role=target_role, fixed=True)
    sk.add_circle((2.5, FLOOR_Y + 0.4 + height), 0.2, role=GREEN)
    return sk.build()


def touching_both(size: str = "s", max_timesteps: int = 256) -> Level:
    """A green ball resting 2 mm above a red floor and 4 mm beside a blue box: the first physics
    step sees both contacts (a tie, which death wins)."""
    sk = LevelSketch(static_for_size(size), max_timesteps)
    sk.set_floor_role(RED)
    sk.add_box((2.5, FLOOR_Y + 0.2), (0.2, 0.2), role=BLUE, fixed=True)
    sk.add_circle((2.7 + 0.2 + 0.004, FLOOR_Y + 0.2 + 0.002), 0.2, role=GREEN)
    return sk.build()


def resting_ball(size: str = "s", max_timesteps: int = 8) -> Level:
    """A green ball at rest on a neutral floor, a blue box out of reach: only a timeout ends it."""
    sk = LevelSketch(static_for_size(size), max_timesteps)
    sk.add_box((4.5, 4.5), (0.2, 0.2), role=BLUE, fixed=True)
    sk.add_circle((1.0, FLOOR_Y + 0.2), 0.2, role=GREEN)
    return sk.build()


def car(size: str = "m", max_timesteps: int = 256) -> Level:
    """A green car (box + two motorised wheels, bindings 0 and 1, a thruster on binding 0) and a
    blue goal box on the floor to its right; ``full`` actions drive it there."""
    static = static_for_size(size)
    sk = LevelSketch(static, max_timesteps)
    sk.add_box((4.2, FLOOR_Y + 0.25), (0.25, 0.25), role=BLUE, fixed=True)
    body = sk.add_box((1.2, FLOOR_Y + 0.45), (0.55, 0.08), role=GREEN)  # longer than the wheelbase
    wheels = []
    for dx in (-0.3, 0.3):
        wheels.append(sk.add_circle((1.2 + dx, FLOOR_Y + 0.2), 0.2, friction=1.0))
    for k, (dx, w) in enumerate(zip((-0.3, 0.3), wheels, strict=True)):
        if k < static.num_joints:
            # a = wheel, b = body: a +1 command turns the wheel clockwise relative to the body (forward)
            sk.add_revolute_joint(w, body, (0.0, 0.0), (dx, -0.25), speed=1.0, power=1.0, binding=k)
    if static.num_thrusters:
        sk.add_thruster(body, (-0.55, 0.0), 0.0, power=0.5, binding=0)
    return sk.build()


def red_floor(size: str = "s", max_timesteps: int = 256) -> Level:
    """A green ball above a red floor (death on landing)."""
    sk = LevelSketch(static_for_size(size), max_timesteps)
    sk.set_floor_role(RED)
    sk.add_circle((2.5, FLOOR_Y + 1.0), 0.2, role=GREEN)
    sk.add_box((4.5, 4.5), (0.2, 0.2), role=BLUE, fixed=True)
    return sk.build()


def motor_and_thruster(size: str = "s", max_timesteps: int = 256) -> Level:
    """A green box with an upward thruster (binding 0) and a motorised wheel (binding 1); a fixed
    blue ball up in a corner.  Exercises every kind of control (random-action smoke tests)."""
    sk = LevelSketch(static_for_size(size), max_timesteps)
    box = sk.add_box((2.5, FLOOR_Y + 0.6), (0.3, 0.1), role=GREEN)
    wheel = sk.add_circle((2.2, FLOOR_Y + 0.6), 0.15)
    sk.add_revolute_joint(wheel, box, (0.0, 0.0), (-0.3, 0.0), binding=1)
    sk.add_thruster(box, (0.0, -0.1), np.pi / 2, power=1.0, binding=0)
    sk.add_circle((4.5, 4.3), 0.2, role=BLUE, fixed=True)
    return sk.build()


EXAMPLES = {"ball_drop": ball_drop, "ball_drop_red": lambda **kw: ball_drop(RED, **kw),
            "touching_both": touching_both, "resting_ball": resting_ball, "car": car, "red_floor": red_floor,
            "motor_and_thruster": motor_and_thruster}
