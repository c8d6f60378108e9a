"""L library levels that need timing and finer control: platforming over gaps, a drawbridge, a
rocket, a swimmer, a balancing waiter and an acrobot (12 polygons of which 8 are free,
4 circles, 6 joints, 2 thrusters).

Conventions as in ``s_levels``: floor top at ``FLOOR_Y`` = 0.4 m in a 5 m x 5 m world; green is
the agent's, blue the goal, red kills (only green touching red).  Motor bindings 0..3 and
thruster bindings 0..1 are the action channels; a motor given 0 is off and its joint turns
freely.  Mechanisms are in ``parts`` and ``l_parts``; ``l_levels_machines`` has the cars,
launchers, levers, gears, arms, chains and the crane.
"""

import math

from ..level import BLUE, GREEN, NEUTRAL, RED, Level
from ..world import FLOOR_Y
from .l_parts import box_on, hinge, limb, link, sketch, two_motor_car
from .parts import along, car
from .registry import register


# --------------------------------------------------------------------------------------- platforming
@register("l/car_gaps", group="platform", difficulty="medium",
          description="red floor: drive the green car and fire its lift thruster to hop up two ledges to blue")
def car_gaps() -> Level:
    sk = sketch(red_floor=True)
    box_on(sk, 0.0, 1.4, top=0.9)  # start ledge; each next ledge is higher, past a gap of red floor
    box_on(sk, 2.0, 3.0, top=1.2)
    box_on(sk, 3.6, 5.0, top=1.5)
    body, _, _ = two_motor_car(sk, x=0.5, ground=0.9, half_length=0.4, wheel_radius=0.13)
    sk.add_thruster(body, (0.0, 0.0), math.pi / 2, power=0.35, binding=0)  # lifts: about 1.6 g
    sk.add_circle((4.7, 1.5 + 0.2), 0.2, role=BLUE, fixed=True)
    return sk.build()


@register("l/drawbridge", group="car", difficulty="medium",
          description="red pit: lower the drawbridge with one motor, then drive the green car across to blue")
def drawbridge() -> Level:
    sk = sketch(red_floor=True)
    ledge = 1.0
    box_on(sk, 0.0, 1.8, top=ledge)
    far = box_on(sk, 3.2, 5.0, top=ledge)
    car(sk, x=0.6, ground=ledge, binding=0)  # both wheels on motor 0
    hinge_at = (3.2, ledge)
    bridge = link(sk, along(hinge_at, math.pi / 2, 0.04), math.pi / 2, 1.45, 0.04)  # stands up at the far side
    # motor 1, +1: the bridge turns counter-clockwise (over to the left) until it lies across the pit
    hinge(sk, far, bridge, hinge_at, speed=0.3, power=1.0, binding=1, limits=(0.0, math.pi / 2 + 0.05))
    sk.add_circle((4.6, ledge + 0.2), 0.2, role=BLUE, fixed=True)
    return sk.build()


# --------------------------------------------------------------------------------------- flying
@register("l/rocket_shelf", group="thrust", difficulty="easy",
          description="fire the lift and push engines to fly the green rocket around the red ball onto the blue shelf")
def rocket_shelf() -> Level:
    sk = sketch()
    rocket = sk.add_box((0.5, FLOOR_Y + 0.15), (0.1, 0.15), role=GREEN)  # 60 g, weighs 0.59 N
    sk.add_thruster(rocket, (0.0, -0.15), math.pi / 2, power=0.1, binding=0)  # lifts: 1.7 g
    sk.add_thruster(rocket, (-0.1, 0.0), 0.0, power=0.03, binding=1)  # pushes right
    sk.add_circle((2.4, 2.2), 0.45, role=RED, fixed=True)
    box_on(sk, 3.8, 5.0, top=3.0, bottom=2.85, role=BLUE)  # a shelf on the right wall
    return sk.build()


# --------------------------------------------------------------------------------------- locomotion
@register("l/swimmer", group="swimmer", difficulty="medium",
          description="undulate the four-link swimmer lying on the floor so its green head reaches blue")
def swimmer() -> Level:
    sk = sketch()
    y = FLOOR_Y + 0.05
    tail = link(sk, (0.3, y), 0.0, 0.35, 0.05)
    # three motorised joints (motors 0, 1, 2) along the body, each within 1.2 rad of straight
    limb(sk, tail, (0.65, y), angles=(0.0, 0.0, 0.0), lengths=(0.35, 0.35, 0.35), bindings=(0, 1, 2),
         limits=((-1.2, 1.2),) * 3, half_width=0.05, power=1.0, tip_role=GREEN)
    sk.add_circle((2.7, FLOOR_Y + 0.2), 0.2, role=BLUE, fixed=True)
    return sk.build()


# --------------------------------------------------------------------------------------- balancing
@register("l/waiter", group="balance", difficulty="medium",
          description="red floor: drive the car gently so the loose green block on it stays up and touches blue")
def waiter() -> Level:
    sk = sketch(red_floor=True)
    # strong, fast motors: full throttle on both wheels tips the block off; one wheel or pulses do not
    two_motor_car(sk, x=0.9, body_role=NEUTRAL, power=0.1, speed=1.5)
    bed = FLOOR_Y + 0.17 + 0.1 + 0.07
    sk.add_box((0.9, bed + 0.35), (0.08, 0.35), role=GREEN, friction=1.0)  # tall and loose: it tips easily
    box_on(sk, 4.2, 5.0, top=5.0, bottom=bed + 0.55, role=BLUE)  # an awning: only the block's top reaches it
    return sk.build()


# --------------------------------------------------------------------------------------- swing
@register("l/acrobot", group="swing", difficulty="medium",
          description="pump the elbow motor of the hanging two-link acrobot to swing its green tip up to blue")
def acrobot() -> Level:
    sk = sketch()
    top = (2.5, 2.6)
    pivot = sk.add_circle(top, 0.06, fixed=True)
    upper = link(sk, top, -math.pi / 2, 0.8, 0.05)
    lower = link(sk, along(top, -math.pi / 2, 0.8), -math.pi / 2, 0.8, 0.05, role=GREEN)
    hinge(sk, pivot, upper, top, motor=False)  # the shoulder is free
    hinge(sk, upper, lower, along(top, -math.pi / 2, 0.8), power=0.4, binding=0)  # only the elbow drives
    sk.add_box((top[0], top[1] + 1.6 + 0.02), (0.35, 0.05), role=BLUE, fixed=True)  # just above the reach
    return sk.build()
