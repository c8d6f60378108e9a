"""A small bundled set of hand-built S levels for evaluation and quick learning checks.

Each level is built in code (``impetus.env.examples.LevelSketch``) in the S capacities (one free
polygon, two circles, one joint, one thruster).  None is solved by doing nothing; each is solved
by a simple control (``full``: every thruster on and every motor at +1) except where noted.

==============  ======  ================================================================
name            group   task
==============  ======  ================================================================
thrust_right    easy    green box with a rightward thruster slides along the floor to a
                        blue ball on the right
thrust_left     easy    the mirror image: thrust left to a blue ball on the left
thrust_up       easy    green box with an upward thruster rises to a blue ball above it
                        (half the thrust does not lift it)
motor_wheel     medium  green bar on a motorised wheel drives right to a blue ball
thrust_aim      medium  diagonal thruster: fly up to the right to a blue ball in mid-air
==============  ======  ================================================================
"""

import numpy as np

from ..engine.scenes import static_for_size
from ..env.examples import LevelSketch
from ..levels import BLUE, GREEN, Level
from ..levels.world import FLOOR_Y


def _sketch(max_timesteps: int) -> LevelSketch:
    return LevelSketch(static_for_size("s"), max_timesteps)


def thrust_right(max_timesteps: int = 256, mirror: bool = False) -> Level:
    """Green box (thruster on its trailing face) slides to a blue ball at floor level."""
    sign = -1.0 if mirror else 1.0
    sk = _sketch(max_timesteps)
    box = sk.add_box((2.5 - sign * 1.5, FLOOR_Y + 0.15), (0.2, 0.15), role=GREEN, density=4.0, friction=0.3)
    sk.add_thruster(box, (-sign * 0.2, 0.0), 0.0 if not mirror else np.pi, power=0.3)
    sk.add_circle((2.5 + sign * 1.8, FLOOR_Y + 0.2), 0.2, role=BLUE, fixed=True)
    return sk.build()


def thrust_left(max_timesteps: int = 256) -> Level:
    """The mirror image of :func:`thrust_right`."""
    return thrust_right(max_timesteps, mirror=True)


def thrust_up(max_timesteps: int = 256) -> Level:
    """Green box with an upward thruster under a blue ball."""
    sk = _sketch(max_timesteps)
    box = sk.add_box((2.5, FLOOR_Y + 0.15), (0.2, 0.15), role=GREEN, density=2.0)
    sk.add_thruster(box, (0.0, -0.15), np.pi / 2, power=0.35)  # lifts at full thrust, not at half
    sk.add_circle((2.5, 3.4), 0.25, role=BLUE, fixed=True)
    return sk.build()


def motor_wheel(max_timesteps: int = 256) -> Level:
    """Green bar, its back end on a motorised wheel, its front end dragging; blue ball ahead."""
    sk = _sketch(max_timesteps)
    bar = sk.add_box((1.2, FLOOR_Y + 0.2), (0.45, 0.06), role=GREEN, friction=0.1)
    wheel = sk.add_circle((0.85, FLOOR_Y + 0.2), 0.2, friction=1.0)
    sk.add_revolute_joint(wheel, bar, (0.0, 0.0), (-0.35, 0.0), speed=1.0, power=1.0, binding=0)
    sk.add_circle((4.2, FLOOR_Y + 0.3), 0.3, role=BLUE, fixed=True)
    return sk.build()


def thrust_aim(max_timesteps: int = 256) -> Level:
    """Diagonal thruster; a blue ball on the full-thrust line up to the right."""
    sk = _sketch(max_timesteps)
    box = sk.add_box((0.8, FLOOR_Y + 0.15), (0.2, 0.15), role=GREEN, density=2.0)
    sk.add_thruster(box, (0.0, 0.0), np.pi / 3, power=1.0)
    sk.add_circle((3.2, 3.55), 0.25, role=BLUE, fixed=True)
    return sk.build()


#: name -> (group, builder)
BUNDLED = {
    "thrust_right": ("easy", thrust_right),
    "thrust_left": ("easy", thrust_left),
    "thrust_up": ("easy", thrust_up),
    "motor_wheel": ("medium", motor_wheel),
    "thrust_aim": ("medium", thrust_aim),
}
