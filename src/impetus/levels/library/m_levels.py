"""M library levels (6 polygons of which 2 are free, 3 circles, 2 joints, 2 thrusters).

Conventions as in ``s_levels``: floor top at ``FLOOR_Y`` = 0.4 m in a 5 m x 5 m world; green is
the agent's, blue the goal, red kills.  Motor bindings 0 and 1 and thruster bindings 0 and 1 are
the first two channels of each kind.  Mechanisms (cars, arms, wall anchors) are in ``parts``.
"""

import math

from ..level import BLUE, GREEN, RED, Level
from ..sketch import LevelSketch
from ..world import FLOOR_Y
from .parts import FLOOR, LEFT_WALL, RIGHT_WALL, along, car, sketch, static_anchor, two_link_arm
from .registry import register


def _sketch(max_timesteps: int = 256, red_floor: bool = False) -> LevelSketch:
    return sketch("m", max_timesteps, red_floor)


# --------------------------------------------------------------------------------------- cars
@register("m/car_right", group="car", difficulty="easy",
          description="drive the green car right over the bump to the blue ball")
def car_right() -> Level:
    sk = _sketch()
    car(sk, x=0.9)
    sk.add_polygon((2.5, FLOOR_Y), [(-0.6, 0.0), (0.6, 0.0), (0.3, 0.2), (-0.3, 0.2)], fixed=True)  # a bump
    sk.add_circle((4.4, FLOOR_Y + 0.3), 0.3, role=BLUE, fixed=True)
    return sk.build()


@register("m/car_left_ramp", group="car", difficulty="medium",
          description="drive the green car left and up the ramp to the blue ball at its top")
def car_left_ramp() -> Level:
    sk = _sketch()
    car(sk, x=3.8, direction=-1.0)
    sk.add_polygon((0.0, FLOOR_Y), [(0.0, 0.0), (2.0, 0.0), (0.0, 0.6)], fixed=True)  # rises to the left wall
    sk.add_circle((0.25, FLOOR_Y + 0.6 + 0.2), 0.2, role=BLUE, fixed=True)
    return sk.build()


@register("m/car_jump", group="platform", difficulty="medium",
          description="red floor: drive the green car off its ledge and fire the thruster to reach blue")
def car_jump() -> Level:
    sk = _sketch(red_floor=True)
    ledge = 1.0  # height of the ledge top
    sk.add_box((0.8, (FLOOR_Y + ledge) / 2), (0.8, (ledge - FLOOR_Y) / 2), fixed=True)
    body, _, _ = car(sk, x=0.7, ground=ledge)
    sk.add_thruster(body, (-0.45, 0.0), math.pi / 4, power=0.35, binding=0)  # up and forward: needs a run-up
    sk.add_circle((4.3, FLOOR_Y + 0.1), 0.5, role=BLUE, fixed=True)  # an island in the red floor
    return sk.build()


# --------------------------------------------------------------------------------------- arms
@register("m/arm_right", group="arm", difficulty="easy",
          description="two motorised joints: reach the green hand to the blue ball up on the right")
def arm_right() -> Level:
    sk = _sketch()
    two_link_arm(sk, (2.0, FLOOR_Y + 0.1))
    sk.add_circle((3.2, 1.35), 0.12, role=BLUE, fixed=True)
    return sk.build()


@register("m/arm_left", group="arm", difficulty="medium",
          description="hold the arm up and reach the green hand to the blue ball on the left, over the red one")
def arm_left() -> Level:
    sk = _sketch()
    two_link_arm(sk, (2.8, FLOOR_Y + 0.1))
    sk.add_circle((1.6, 1.3), 0.12, role=BLUE, fixed=True)
    sk.add_circle((1.6, FLOOR_Y + 0.3), 0.2, role=RED, fixed=True)  # where an arm left to fall lands
    return sk.build()


@register("m/arm_up", group="arm", difficulty="hard",
          description="red floor: hold the bent arm up and stretch the green hand to the blue ball above")
def arm_up() -> Level:
    sk = _sketch(red_floor=True)
    base = (2.5, FLOOR_Y + 0.1)
    two_link_arm(sk, base, angles=(math.pi / 3, 5 * math.pi / 6))  # bent: elbow right, hand up-left
    sk.add_circle((2.5, base[1] + 1.5 + 0.07), 0.12, role=BLUE, fixed=True)  # only a straight arm reaches
    return sk.build()


# --------------------------------------------------------------------------------------- launchers
@register("m/angry_birds", group="catapult", difficulty="medium",
          description="red floor: swing the catapult arm to fling the green ball onto the blue tower")
def angry_birds() -> Level:
    sk = _sketch(red_floor=True)
    pivot = sk.add_circle((1.2, FLOOR_Y + 0.35), 0.08, fixed=True)
    arm = sk.add_box((1.2, FLOOR_Y + 0.35), (0.6, 0.05))  # hinged at its middle
    # the limits hold the arm level under the ball and stop a clockwise swing at 0.8 rad, releasing the
    # ball at about 45 degrees; motor -1 swings clockwise
    sk.add_revolute_joint(pivot, arm, (0.0, 0.0), (0.0, 0.0), speed=2.0, power=3.0, binding=0, limits=(-0.8, 0.0))
    sk.add_circle((0.72, FLOOR_Y + 0.35 + 0.05 + 0.12), 0.12, role=GREEN, density=0.5)  # on the left end
    sk.add_box((4.0, FLOOR_Y + 0.6), (0.15, 0.6), role=BLUE, fixed=True)
    return sk.build()


@register("m/seesaw", group="lever", difficulty="medium",
          description="fire the box's thruster down on the seesaw to launch the green ball up to blue")
def seesaw() -> Level:
    sk = _sketch()
    pivot = sk.add_circle((2.0, FLOOR_Y + 0.3), 0.1, fixed=True)
    plank = sk.add_box((2.0, FLOOR_Y + 0.3), (1.0, 0.05))
    sk.add_revolute_joint(pivot, plank, (0.0, 0.0), (0.0, 0.0), motor_on=False, limits=(-0.3, 0.3))
    sk.add_circle((2.85, FLOOR_Y + 0.3 + 0.05 + 0.15), 0.15, role=GREEN)  # tips the right end down
    box = sk.add_box((1.2, FLOOR_Y + 0.3 + 0.05 + 0.1), (0.12, 0.1), density=0.4)  # light: rests on the left end
    sk.add_thruster(box, (0.0, 0.1), -math.pi / 2, power=1.0, binding=0)  # pushes down through the plank
    sk.add_circle((3.1, 2.0), 0.2, role=BLUE, fixed=True)
    return sk.build()


# --------------------------------------------------------------------------------------- thrusters
@register("m/lunar_lander", group="lander", difficulty="medium",
          description="red floor: steer the drifting green lander with two engines onto the blue pad")
def lunar_lander() -> Level:
    sk = _sketch(red_floor=True)
    lander = sk.add_box((1.0, 3.8), (0.25, 0.15), role=GREEN, velocity=(0.8, 0.0))
    sk.add_thruster(lander, (-0.2, -0.15), math.pi / 2, power=0.12, binding=0)  # left engine
    sk.add_thruster(lander, (0.2, -0.15), math.pi / 2, power=0.12, binding=1)  # right engine
    sk.add_box((3.9, FLOOR_Y + 0.1), (0.45, 0.1), role=BLUE, fixed=True)
    return sk.build()


@register("m/thrust_needle", group="maze", difficulty="hard",
          description="slide right under the red bar, then thrust up through the narrow gap to blue")
def thrust_needle() -> Level:
    sk = _sketch()
    box = sk.add_box((0.8, FLOOR_Y + 0.1), (0.15, 0.1), role=GREEN, friction=0.3)
    sk.add_thruster(box, (-0.15, 0.0), 0.0, power=0.1, binding=0)  # pushes right
    sk.add_thruster(box, (0.0, -0.1), math.pi / 2, power=0.25, binding=1)  # lifts
    sk.add_box((1.3, 2.2), (1.0, 0.08), role=RED, fixed=True)
    sk.add_circle((3.5, 2.2), 0.7, role=RED, fixed=True)  # the gap is x in [2.3, 2.8]
    sk.add_circle((2.55, 3.9), 0.2, role=BLUE, fixed=True)
    return sk.build()


@register("m/chain_thrust", group="chain", difficulty="medium",
          description="pump the right-pushing thruster to swing the hanging chain's green end up to blue on the left")
def chain_thrust() -> Level:
    sk = _sketch()
    top = (1.5, 4.3)
    pivot = sk.add_circle(top, 0.08, fixed=True)
    upper = sk.add_box((top[0], top[1] - 0.4), (0.05, 0.4))
    lower = sk.add_box((top[0], top[1] - 1.2), (0.05, 0.4), role=GREEN)
    sk.add_revolute_joint(pivot, upper, (0.0, 0.0), (0.0, 0.4), motor_on=False)
    sk.add_revolute_joint(upper, lower, (0.0, -0.4), (0.0, 0.4), motor_on=False)
    sk.add_thruster(lower, (-0.05, -0.35), 0.0, power=0.3, binding=0)  # pushes right, near the end
    sk.add_circle((0.5, 3.7), 0.2, role=BLUE, fixed=True)  # behind the thrust: reached by swinging back
    return sk.build()


# --------------------------------------------------------------------------------------- balancing
@register("m/cartpole", group="balance", difficulty="hard",
          description="red floor: thrust the cart right while keeping the green pole up to touch the blue awning")
def cartpole() -> Level:
    sk = _sketch(red_floor=True)
    cart = sk.add_box((2.2, FLOOR_Y + 0.1), (0.3, 0.1), friction=0.05)
    tilt, half = 0.02, 0.5  # the pole leans slightly back (left) at the start
    pole = sk.add_box((2.2 - half * math.sin(tilt), FLOOR_Y + 0.2 + half * math.cos(tilt)), (0.03, half),
                      rotation=tilt, role=GREEN, density=0.5)
    sk.add_revolute_joint(cart, pole, (0.0, 0.1), (0.0, -half), motor_on=False)
    sk.add_thruster(cart, (-0.3, 0.0), 0.0, power=0.15, binding=0)  # pushes right
    sk.add_thruster(cart, (0.3, 0.0), math.pi, power=0.15, binding=1)  # pushes left
    # a blue dome hanging above the right end: the pole's tip reaches it only while the pole is
    # within ~30 degrees of upright
    sk.add_circle((4.3, FLOOR_Y + 0.2 + 0.87 + 0.5), 0.5, role=BLUE, fixed=True)
    return sk.build()


# --------------------------------------------------------------------------------------- pinball
@register("m/pinball", group="pinball", difficulty="medium",
          description="red floor: flip the falling green ball up to the blue target with two flippers")
def pinball() -> Level:
    sk = _sketch(red_floor=True)
    y = 1.3  # flipper hinge height on the walls
    for slot, x, sign, binding in ((LEFT_WALL, 0.0, 1.0, 0), (RIGHT_WALL, 5.0, -1.0, 1)):
        droop = -sign * 0.35  # flippers slope down towards the middle
        centre = along((x, y), math.pi / 2 - sign * (math.pi / 2) + droop, 1.05)
        flipper = sk.add_box(centre, (1.05, 0.06), rotation=droop)
        sk.add_revolute_joint(slot, flipper, static_anchor(slot, (x, y)), (-sign * 1.05, 0.0), speed=2.0 * sign,
                              power=2.0, binding=binding, limits=(-0.5, 0.6), reference_angle=droop)
    sk.add_circle((1.4, 3.6), 0.15, role=GREEN)
    sk.add_circle((3.6, 4.3), 0.2, role=BLUE, fixed=True)
    sk.add_circle((2.5, 3.0), 0.25, fixed=True, restitution=0.5)  # a bumper
    return sk.build()


# --------------------------------------------------------------------------------------- locomotion
@register("m/whegs", group="walker", difficulty="medium",
          description="turn the two-ended leg (a wheel-leg) round and round to walk the green body to blue")
def whegs() -> Level:
    sk = _sketch()
    hip = (1.0, FLOOR_Y + 0.1)
    body = sk.add_box(hip, (0.3, 0.1), role=GREEN, friction=0.1)  # slides on the floor
    # a bar hinged at the body's middle (they do not collide); each half turn plants one end on the floor
    leg = sk.add_box(hip, (0.3, 0.04), rotation=0.35, friction=1.5)
    sk.add_revolute_joint(body, leg, (0.0, 0.0), (0.0, 0.0), speed=1.0, power=1.0, binding=0)
    sk.add_circle((4.3, FLOOR_Y + 0.25), 0.25, role=BLUE, fixed=True)
    return sk.build()


@register("m/conveyor", group="gears", difficulty="easy",
          description="turn the two rollers the right way to carry the green board onto blue, not red")
def conveyor() -> Level:
    sk = _sketch()
    axle_y, r = FLOOR_Y + 0.22, 0.2
    for x in (2.2, 2.8):  # rollers on axles fixed to the floor, driven together by motor channel 0
        roller = sk.add_circle((x, axle_y), r, friction=1.0)
        sk.add_revolute_joint(FLOOR, roller, static_anchor(FLOOR, (x, axle_y)), (0.0, 0.0), speed=0.5, power=1.0,
                              binding=0)
    sk.add_box((2.5, axle_y + r + 0.05), (0.6, 0.05), role=GREEN)  # the board lies on both rollers
    sk.add_box((4.1, FLOOR_Y + 0.15), (0.3, 0.15), role=BLUE, fixed=True)
    sk.add_circle((1.0, FLOOR_Y + 0.2), 0.2, role=RED, fixed=True)
    return sk.build()
