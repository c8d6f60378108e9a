"""Small hand-built levels shared by tests, benchmarks, docs and the CLI.

They are built with :class:`~impetus.levels.sketch.LevelSketch` (re-exported here with
``box_vertices`` for older imports).  The task library lives in ``impetus.levels.library``.
"""

import numpy as np

from ..engine.scenes import static_for_size
from ..levels import BLUE, GREEN, RED, Level
from ..levels.sketch import LevelSketch, box_vertices  # noqa: F401 (re-exported for older imports)
from ..levels.world import FLOOR_Y


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
