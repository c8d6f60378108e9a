"""Named scenes shared by tests, benchmarks and examples, and random Kinetix-sized scenes.

``KINETIX_SIZES`` are the capacities of Kinetix's S/M/L environments (4 of the polygons
are the static floor, walls and ceiling of the 5 m x 5 m world).
"""

import math

import numpy as np

from .builder import SceneBuilder
from .types import SimState, StaticSimParams

KINETIX_SIZES = {
    "s": StaticSimParams(num_polygons=5, num_circles=2, num_joints=1, num_thrusters=1),
    "m": StaticSimParams(num_polygons=6, num_circles=3, num_joints=2, num_thrusters=2),
    "l": StaticSimParams(num_polygons=12, num_circles=4, num_joints=6, num_thrusters=2),
}


def static_for_size(size: str) -> StaticSimParams:
    """The :class:`StaticSimParams` of a Kinetix size name (``s``, ``m`` or ``l``)."""
    try:
        return KINETIX_SIZES[size.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"unknown size {size!r}; expected one of s, m, l") from None


def car(static: StaticSimParams | None = None) -> SimState:
    """A two-wheeled car in the Kinetix world; joint 0 and 1 drive the wheels (motor on)."""
    static = static or StaticSimParams(num_polygons=5, num_circles=2, num_joints=2, num_thrusters=1)
    b = SceneBuilder(static)
    b.add_walls()
    body = b.add_box((1.5, 1.0), (0.5, 0.1))
    for x in (1.1, 1.9):
        wheel = b.add_circle((x, 0.75), 0.2)
        b.add_revolute_joint(body, wheel, (x, 0.75), motor_on=True, motor_speed=1.0, motor_power=1.0)
    return b.build()


def rocket(static: StaticSimParams | None = None) -> SimState:
    """A box with an upward thruster under its centre, resting on the floor."""
    static = static or StaticSimParams(num_polygons=5, num_circles=1, num_joints=1, num_thrusters=1)
    b = SceneBuilder(static)
    b.add_walls()
    box = b.add_box((2.5, 0.7), (0.2, 0.3))
    b.add_thruster(box, (2.5, 0.4), angle=math.pi / 2, power=1.0)
    return b.build()


def pendulum(static: StaticSimParams | None = None, angle: float = 0.2) -> SimState:
    """A circle hanging 1 m below a static pin on a revolute joint, released at ``angle``."""
    static = static or StaticSimParams(num_polygons=1, num_circles=1, num_joints=1, num_thrusters=0,
                                       num_static_polygons=1)
    b = SceneBuilder(static, gravity=(0.0, -10.0))
    pin = b.add_box((0.0, 0.0), (0.05, 0.05), fixed=True)
    bob = b.add_circle((math.sin(angle), -math.cos(angle)), 0.1)
    b.add_revolute_joint(pin, bob, (0.0, 0.0))
    return b.build()


def random_scene(rng: np.random.Generator, static: StaticSimParams) -> SimState:
    """A random scene in the Kinetix world filling ``static``'s capacities.

    Boxes, triangles and circles are dropped at random places, joints connect random
    pairs (some motorised, some with limits, some welded), thrusters sit on random
    bodies.  For benchmarks and robustness tests; not the Kinetix level distribution
    (that is ``impetus.levels``).
    """
    b = SceneBuilder(static)
    if static.num_static_polygons >= 4:
        b.add_walls()
    handles = []
    for _ in range(static.num_polygons - len([h for h in b._polygons if h is not None])):
        pos = rng.uniform([0.5, 0.8], [4.5, 4.2])
        if rng.random() < 0.3:
            r = rng.uniform(0.1, 0.3)
            verts = [(r * math.cos(a), r * math.sin(a)) for a in (0.0, 2.1, 4.2)]
            handles.append(b.add_polygon(pos, verts, rotation=rng.uniform(-3, 3), density=rng.uniform(0.5, 2)))
        else:
            handles.append(b.add_box(pos, rng.uniform(0.05, 0.35, size=2), rotation=rng.uniform(-3, 3),
                                     friction=rng.uniform(0.2, 1.0), restitution=rng.uniform(0.0, 0.3)))
    for _ in range(static.num_circles):
        handles.append(b.add_circle(rng.uniform([0.5, 0.8], [4.5, 4.2]), rng.uniform(0.1, 0.4),
                                    density=rng.uniform(0.5, 2)))
    for _ in range(min(static.num_joints, len(handles) - 1)):
        i, j = rng.choice(len(handles), size=2, replace=False)
        a, c = handles[i], handles[j]
        anchor = 0.5 * (b_pos(b, a) + b_pos(b, c))
        if rng.random() < 0.15:
            b.add_fixed_joint(a, c, anchor)
        else:
            limits = tuple(sorted(rng.uniform(-1.5, 1.5, size=2))) if rng.random() < 0.3 else None
            b.add_revolute_joint(a, c, anchor, motor_on=rng.random() < 0.7, motor_speed=rng.uniform(0.4, 3),
                                 motor_power=rng.uniform(1, 3), limits=limits)
    for _ in range(static.num_thrusters if handles else 0):
        h = handles[rng.integers(len(handles))]
        b.add_thruster(h, b_pos(b, h), angle=rng.uniform(0, 2 * math.pi), power=rng.uniform(0.5, 2.0))
    return b.build()


def b_pos(builder: SceneBuilder, handle) -> np.ndarray:
    """Centre of mass of a body added to ``builder`` (world frame)."""
    return builder.body_position(handle)
