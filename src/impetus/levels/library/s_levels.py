"""S library levels (5 polygons of which 1 is free, 2 circles, 1 joint, 1 thruster).

Each builder returns a :class:`Level` in the S capacities.  Conventions: the floor's top is at
``FLOOR_Y`` = 0.4 m, the world is 5 m x 5 m, the green shape is the agent's, blue the goal,
red kills.  Motor binding 0 and thruster binding 0 are the first action channels.
"""

import numpy as np

from ...engine.scenes import static_for_size
from ..level import BLUE, GREEN, Level
from ..sketch import LevelSketch
from ..world import FLOOR_Y
from .registry import register


def _sketch(max_timesteps: int = 256) -> LevelSketch:
    return LevelSketch(static_for_size("s"), max_timesteps)


def _thrust_slide(mirror: bool) -> Level:
    """Green box (thruster on its trailing face) slides to a blue ball at floor level."""
    sign = -1.0 if mirror else 1.0
    sk = _sketch()
    box = sk.add_box((2.5 - sign * 1.5, FLOOR_Y + 0.15), (0.2, 0.15), role=GREEN, density=4.0, friction=0.3)
    sk.add_thruster(box, (-sign * 0.2, 0.0), np.pi if mirror else 0.0, power=0.3)
    sk.add_circle((2.5 + sign * 1.8, FLOOR_Y + 0.2), 0.2, role=BLUE, fixed=True)
    return sk.build()


@register("s/thrust_right", group="thrust", difficulty="easy",
          description="fire the rear thruster to slide the green box right onto the blue ball")
def thrust_right() -> Level:
    return _thrust_slide(mirror=False)


@register("s/thrust_left", group="thrust", difficulty="easy",
          description="fire the rear thruster to slide the green box left onto the blue ball")
def thrust_left() -> Level:
    return _thrust_slide(mirror=True)


@register("s/thrust_up", group="thrust", difficulty="easy",
          description="fire the upward thruster to lift the green box up to the blue ball above it")
def thrust_up() -> Level:
    sk = _sketch()
    box = sk.add_box((2.5, FLOOR_Y + 0.15), (0.2, 0.15), role=GREEN, density=2.0)
    sk.add_thruster(box, (0.0, -0.15), np.pi / 2, power=0.35)  # lifts at full thrust only
    sk.add_circle((2.5, 3.4), 0.25, role=BLUE, fixed=True)
    return sk.build()


@register("s/motor_wheel", group="car", difficulty="easy",
          description="drive the motorised wheel to drag the green bar right to the blue ball")
def motor_wheel() -> Level:
    sk = _sketch()
    bar = sk.add_box((1.2, FLOOR_Y + 0.2), (0.45, 0.06), role=GREEN, friction=0.1)
    wheel = sk.add_circle((0.85, FLOOR_Y + 0.2), 0.2, friction=1.0)
    sk.add_revolute_joint(wheel, bar, (0.0, 0.0), (-0.35, 0.0), speed=1.0, power=1.0, binding=0)
    sk.add_circle((4.2, FLOOR_Y + 0.3), 0.3, role=BLUE, fixed=True)
    return sk.build()


@register("s/thrust_aim", group="aim", difficulty="medium",
          description="a diagonal thruster: fly the green box up and right to the blue ball in mid-air")
def thrust_aim() -> Level:
    sk = _sketch()
    box = sk.add_box((0.8, FLOOR_Y + 0.15), (0.2, 0.15), role=GREEN, density=2.0)
    sk.add_thruster(box, (0.0, 0.0), np.pi / 3, power=1.0)
    sk.add_circle((3.2, 3.55), 0.25, role=BLUE, fixed=True)
    return sk.build()
