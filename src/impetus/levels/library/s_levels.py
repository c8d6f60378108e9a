"""S library levels (5 polygons of which 1 is free, 2 circles, 1 joint, 1 thruster).

Each builder returns a :class:`Level` in the S capacities.  Conventions: the floor's top is at
``FLOOR_Y`` = 0.4 m, the world is 5 m x 5 m, the green shape is the agent's, blue the goal,
red kills.  Motor binding 0 and thruster binding 0 are the first action channels.
"""

import numpy as np

from ..level import BLUE, GREEN, RED, Level
from ..sketch import LevelSketch
from ..world import FLOOR_Y
from .parts import sketch
from .registry import register


def _sketch(max_timesteps: int = 256) -> LevelSketch:
    return sketch("s", max_timesteps)


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


# --------------------------------------------------------------------------------------- unicycles
def _unicycle(x: float, tilt: float, goal_x: float, red_floor: bool) -> Level:
    """A neutral wheel with a green pole hinged at its centre (motor binding 0); a fixed blue ball
    at pole-top height at ``goal_x``.  ``tilt`` [rad] leans the pole at the start (+: left)."""
    sk = _sketch()
    if red_floor:
        sk.set_floor_role(RED)
    r, half = 0.25, 0.45
    wheel = sk.add_circle((x, FLOOR_Y + r), r, friction=1.0)
    top = (x - np.sin(tilt) * half, FLOOR_Y + r + np.cos(tilt) * half)  # pole centre
    pole = sk.add_box(top, (0.05, half), role=GREEN, rotation=tilt, density=0.5)
    sk.add_revolute_joint(wheel, pole, (0.0, 0.0), (0.0, -half), speed=1.0, power=1.0, binding=0)
    sk.add_circle((goal_x, FLOOR_Y + r + 2 * half - 0.05), 0.15, role=BLUE, fixed=True)
    return sk.build()


@register("s/unicycle_right", group="unicycle", difficulty="medium",
          description="roll the wheel so the green pole on it reaches the blue ball on the right")
def unicycle_right() -> Level:
    return _unicycle(x=1.0, tilt=0.05, goal_x=4.0, red_floor=False)


@register("s/unicycle_left", group="unicycle", difficulty="hard",
          description="red floor: roll left to the blue ball without letting the green pole fall")
def unicycle_left() -> Level:
    return _unicycle(x=3.8, tilt=-0.03, goal_x=1.2, red_floor=True)


# --------------------------------------------------------------------------------------- flying
@register("s/lander_glide", group="lander", difficulty="medium",
          description="red floor: brake the green lander's fall with its thruster to reach the blue dome")
def lander_glide() -> Level:
    sk = _sketch()
    sk.set_floor_role(RED)
    lander = sk.add_box((0.8, 3.5), (0.25, 0.12), role=GREEN, velocity=(1.5, 0.0))
    sk.add_thruster(lander, (0.0, -0.12), np.pi / 2, power=0.15)  # hovers at ~80% duty
    sk.add_circle((4.1, FLOOR_Y + 0.05), 0.4, role=BLUE, fixed=True)  # a dome, mostly sunk in the floor
    return sk.build()


@register("s/thrust_over_red", group="aim", difficulty="medium",
          description="hop the green box over the red dome with its slanted thruster and land on blue")
def thrust_over_red() -> Level:
    sk = _sketch()
    box = sk.add_box((0.6, FLOOR_Y + 0.15), (0.2, 0.15), role=GREEN, density=2.0)
    sk.add_thruster(box, (0.0, 0.0), np.pi / 3, power=0.4)  # through the centre: no torque
    sk.add_circle((2.4, FLOOR_Y + 0.05), 0.45, role=RED, fixed=True)  # a dome
    sk.add_circle((4.3, FLOOR_Y + 0.25), 0.25, role=BLUE, fixed=True)
    return sk.build()


# --------------------------------------------------------------------------------------- arms, swings
@register("s/arm_reach_up", group="arm", difficulty="easy",
          description="swing the motorised green arm up and over to touch the blue ball above its pivot")
def arm_reach_up() -> Level:
    sk = _sketch()
    pivot = sk.add_circle((1.6, FLOOR_Y + 0.25), 0.08, fixed=True)
    arm = sk.add_box((1.6 + 0.6, FLOOR_Y + 0.25), (0.6, 0.05), role=GREEN)  # lies along +x
    sk.add_revolute_joint(pivot, arm, (0.0, 0.0), (-0.6, 0.0), speed=1.0, power=1.0, binding=0)
    sk.add_circle((1.6 - 0.55, FLOOR_Y + 0.25 + 1.15), 0.15, role=BLUE, fixed=True)  # up and left
    return sk.build()


@register("s/swing_up", group="swing", difficulty="hard",
          description="pump the weak motor to swing the green pendulum bob over the top to the blue bar")
def swing_up() -> Level:
    sk = _sketch()
    pivot = sk.add_circle((2.5, 2.4), 0.08, fixed=True)
    bob = sk.add_circle((2.5, 2.4 - 0.9), 0.15, role=GREEN)
    sk.add_revolute_joint(pivot, bob, (0.0, 0.0), (0.0, 0.9), speed=1.0, power=0.3, binding=0)
    sk.add_box((2.5, 2.4 + 1.09), (0.3, 0.06), role=BLUE, fixed=True)  # 2 cm into the top of its circle
    return sk.build()


@register("s/topple", group="flip", difficulty="easy",
          description="push the top of the tall green block with its thruster so it topples onto blue")
def topple() -> Level:
    sk = _sketch()
    block = sk.add_box((2.0, FLOOR_Y + 0.6), (0.1, 0.6), role=GREEN)
    sk.add_thruster(block, (-0.1, 0.5), 0.0, power=0.2)  # near the top, pushing right
    sk.add_circle((3.3, FLOOR_Y + 0.15), 0.15, role=BLUE, fixed=True)
    sk.add_circle((0.9, FLOOR_Y + 0.15), 0.15, role=RED, fixed=True)  # falling left would be fatal
    return sk.build()
