"""L library levels with machines: cars, a catapult, levers, gears, a chain, a crane, a flipper
and arms (12 polygons of which 8 are free, 4 circles, 6 joints, 2 thrusters).

Conventions as in ``s_levels``: floor top at ``FLOOR_Y`` = 0.4 m in a 5 m x 5 m world; green is
the agent's, blue the goal, red kills.  Motor bindings 0..3 and thruster bindings 0..1 are the
action channels.  Mechanisms are in ``parts`` and ``l_parts`` (hinges placed by world point,
limbs, claws, geared wheels, two-motor cars).  ``l_levels_control`` has the L levels that need
timing and finer control: platforming, the drawbridge, a rocket, the swimmer, balancing, the acrobot.
"""

import math

from ..level import BLUE, GREEN, NEUTRAL, RED, Level
from ..world import FLOOR_Y
from .l_parts import box_on, bump, claw, geared_wheel, hinge, limb, link, sketch, two_motor_car, weld
from .parts import RIGHT_WALL, along, static_anchor, two_link_arm
from .registry import register


# --------------------------------------------------------------------------------------- cars
@register("l/car_bumps", group="car", difficulty="easy",
          description="drive both wheels of the green car over three bumps to the blue ball")
def car_bumps() -> Level:
    sk = sketch()
    two_motor_car(sk, x=0.7)  # rear wheel on motor 0, front wheel on motor 1
    for x, height in ((1.7, 0.12), (2.6, 0.18), (3.5, 0.12)):
        bump(sk, x, 0.6, height, 0.2)
    sk.add_circle((4.6, FLOOR_Y + 0.3), 0.3, role=BLUE, fixed=True)
    return sk.build()


@register("l/lorry", group="car", difficulty="easy",
          description="red floor: drive the lorry over two bumps without spilling its green crate")
def lorry() -> Level:
    sk = sketch(red_floor=True)
    body, _, _ = two_motor_car(sk, x=1.0, half_length=0.6, body_role=NEUTRAL)
    bed = FLOOR_Y + 0.17 + 0.1 + 0.07  # top of the lorry's bed
    gate = sk.add_box((1.0 - 0.57, bed + 0.08), (0.03, 0.08))  # tailgate, welded to the bed's back
    weld(sk, body, gate, (1.0 - 0.57, bed))
    sk.add_box((1.3, bed + 0.12), (0.12, 0.12), role=GREEN, density=0.5)  # the crate, loose on the bed
    bump(sk, 2.4, 0.8, 0.12, 0.3)
    bump(sk, 3.4, 0.8, 0.16, 0.3)
    sk.add_box((4.7, bed + 0.5), (0.3, 0.42), role=BLUE, fixed=True)  # above the bed: only the crate reaches it
    return sk.build()


@register("l/car_pit_jump", group="car", difficulty="easy",
          description="red floor: drive the fast green car up the kicker ramp and jump the pit to blue")
def car_pit_jump() -> Level:
    sk = sketch(red_floor=True)
    ledge = 1.0  # height of the start ledge's top
    sk.add_box((0.9, (FLOOR_Y + ledge) / 2), (0.9, (ledge - FLOOR_Y) / 2), fixed=True)
    sk.add_polygon((1.8, ledge), [(0.0, 0.0), (0.6, 0.0), (0.6, 0.25)], fixed=True)  # kicker ramp
    sk.add_box((4.1, (FLOOR_Y + 0.8) / 2), (0.9, (0.8 - FLOOR_Y) / 2), fixed=True)  # landing block
    two_motor_car(sk, x=0.6, ground=ledge, wheel_radius=0.15, speed=3.0)
    sk.add_circle((4.7, 0.8 + 0.2), 0.2, role=BLUE, fixed=True)
    return sk.build()


# --------------------------------------------------------------------------------------- launchers, levers
@register("l/angry_birds", group="catapult", difficulty="easy",
          description="red floor: fling the green ball from the catapult over the red wall onto blue")
def angry_birds() -> Level:
    sk = sketch(red_floor=True)
    sk.add_box((0.9, FLOOR_Y + 0.2), (0.6, 0.2), fixed=True)  # the catapult's platform
    pivot = (1.3, FLOOR_Y + 0.7)
    post = sk.add_box((1.3, FLOOR_Y + 0.55), (0.05, 0.15), fixed=True)
    rest = math.pi + 0.3  # the long end of the arm rests down and to the left
    arm = link(sk, along(pivot, rest - math.pi, 0.2), rest, 1.0, 0.04)
    # +1 swings the arm clockwise (up and over) until it stops 45 degrees past upright-left; a weak
    # motor: the throw's speed grows with how long it is driven
    hinge(sk, post, arm, pivot, speed=-1.1, power=0.25, limits=(-(0.3 + math.pi / 4), 0.0))
    tip = along(along(pivot, rest, 0.8), rest - math.pi / 2, 0.04)
    cup = link(sk, tip, rest - math.pi / 2, 0.12, 0.03)  # a lip standing on the arm's end holds the ball
    weld(sk, arm, cup, tip)
    sk.add_circle(along(along(pivot, rest, 0.66), rest - math.pi / 2, 0.17), 0.12, role=GREEN, density=0.5)
    sk.add_box((2.2, FLOOR_Y + 0.5), (0.1, 0.5), role=RED, fixed=True)
    sk.add_box((3.6, FLOOR_Y + 0.25), (0.5, 0.25), role=BLUE, fixed=True)  # red floor on both sides of it
    return sk.build()


@register("l/lever_puzzle", group="lever", difficulty="easy",
          description="tip the shelf so its weight drops on the lever and launches the green ball to blue")
def lever_puzzle() -> Level:
    sk = sketch()
    pivot = (2.5, FLOOR_Y + 0.3)
    stand = sk.add_box((2.5, FLOOR_Y + 0.15), (0.1, 0.15), fixed=True)
    tilt = math.asin(0.28 / 1.2)  # the plank's left end rests on the floor
    plank = link(sk, along(pivot, math.pi + tilt, 1.2), tilt, 2.4, 0.04, density=0.3)
    hinge(sk, stand, plank, pivot, motor=False)
    end = along(pivot, math.pi + tilt, 1.15)
    lip = link(sk, end, tilt + math.pi / 2, 0.1, 0.02)  # keeps the ball on the low end
    weld(sk, plank, lip, end)
    sk.add_circle(along(along(pivot, math.pi + tilt, 0.95), tilt + math.pi / 2, 0.16), 0.12, role=GREEN, density=0.3)
    # a shelf hinged at its middle to the right wall; the weight's side rests on a limit, +1 tips its left end down
    hub = (4.3, 3.2)
    shelf = sk.add_box(hub, (0.6, 0.04))
    sk.add_revolute_joint(RIGHT_WALL, shelf, static_anchor(RIGHT_WALL, hub), (0.0, 0.0), speed=0.5, power=2.0,
                          binding=0, limits=(-0.05, 0.7))
    stop = link(sk, (4.85, hub[1] + 0.04), math.pi / 2, 0.12, 0.02)
    weld(sk, shelf, stop, (4.85, hub[1] + 0.04))
    sk.add_circle((4.65, hub[1] + 0.04 + 0.15), 0.15, density=5.0)  # the weight, resting against the stop
    sk.add_box((2.75, 4.55), (0.5, 0.45), role=BLUE, fixed=True)  # hangs from the ceiling
    return sk.build()


@register("l/tip_shelf", group="lever", difficulty="easy",
          description="tip the shelf up so the green ball rolls off onto the chute and down to blue")
def tip_shelf() -> Level:
    sk = sketch()
    hinge_at = (1.3, 3.0)
    mount = sk.add_box(hinge_at, (0.04, 0.04), fixed=True)
    shelf = link(sk, hinge_at, math.pi, 1.1, 0.04)  # points left from its hinge
    box_on(sk, 0.15, 0.3, top=2.96, bottom=2.6)  # a stop under its left end: it cannot fall open
    # motor 0, -1: the shelf turns clockwise, lifting its left end; the ball rolls off the hinge end
    hinge(sk, mount, shelf, hinge_at, speed=0.3, power=2.0, limits=(-0.8, 0.0))
    sk.add_circle((0.6, 3.04 + 0.14), 0.14, role=GREEN, density=0.5)
    sk.add_polygon((0.0, FLOOR_Y), [(0.0, 0.0), (2.6, 0.0), (0.0, 1.3)], fixed=True)  # the chute, sloping right
    sk.add_circle((4.5, FLOOR_Y + 0.25), 0.25, role=BLUE, fixed=True)
    return sk.build()


@register("l/gear_train", group="gears", difficulty="easy",
          description="turn the motor wheel the right way so the gears swing the green bar to blue")
def gear_train() -> Level:
    sk = sketch()
    y = 1.5
    # three wheels on their own axles, each pressed 1-2 cm into the next so friction turns it
    geared_wheel(sk, (0.8, y), 0.3, motor=True, power=2.0)
    geared_wheel(sk, (0.8 + 0.3 + 0.25 - 0.01, y), 0.25)
    c3 = (0.8 + 0.3 + 0.5 + 0.2 - 0.02, y)
    _, w3 = geared_wheel(sk, c3, 0.2)
    bar = sk.add_box(c3, (0.9, 0.04), role=GREEN, collision_mode=0)  # mode 0: passes through the wheels
    weld(sk, w3, bar, c3)
    # +1 turns wheel 1 counter-clockwise, wheel 3 too: the bar's right end rises to blue at 60 degrees;
    # the other way its left end comes down onto red at 120 degrees first
    sk.add_circle(along(c3, math.pi / 3, 0.9), 0.12, role=BLUE, fixed=True, collision_mode=2)
    sk.add_box(along(c3, 2 * math.pi / 3, 0.9), (0.12, 0.12), role=RED, fixed=True, collision_mode=2)
    return sk.build()


# --------------------------------------------------------------------------------------- flipping, arms
@register("l/flip_crate", group="flip", difficulty="easy",
          description="swing the paddle to flip the green crate back over the red ball onto blue")
def flip_crate() -> Level:
    sk = sketch()
    pivot = (2.2, FLOOR_Y + 0.08)
    mount = sk.add_box(pivot, (0.05, 0.05), fixed=True)
    paddle = link(sk, pivot, 0.0, 1.2, 0.04)  # lies on the floor to the right of its hinge
    hinge(sk, mount, paddle, pivot, speed=1.0, power=3.0, limits=(0.0, 1.6))  # +1 swings it up to near vertical
    sk.add_box((3.0, pivot[1] + 0.04 + 0.15), (0.2, 0.15), role=GREEN, density=0.5)
    sk.add_circle((1.4, FLOOR_Y + 0.2), 0.2, role=RED, fixed=True)
    sk.add_box((0.45, FLOOR_Y + 0.05), (0.45, 0.05), role=BLUE, fixed=True)
    return sk.build()


@register("l/arm_knock", group="arm", difficulty="easy",
          description="swing the two-link arm to knock the green ball off its pedestal onto the blue mat")
def arm_knock() -> Level:
    sk = sketch()
    # leaning left: left alone it falls away from the ball
    two_link_arm(sk, (1.2, FLOOR_Y + 0.1), lengths=(0.9, 0.8), angles=(math.pi / 2 + 0.3,) * 2, hand_role=NEUTRAL)
    box_on(sk, 2.35, 2.55, top=1.6)  # the pedestal, right of the arm's reach when upright
    sk.add_circle((2.45, 1.6 + 0.12), 0.12, role=GREEN)
    box_on(sk, 3.0, 4.6, top=FLOOR_Y + 0.08, role=BLUE)  # the mat, where a knocked ball lands
    return sk.build()


@register("l/arm_over_wall", group="arm", difficulty="medium",
          description="lift the three-link arm over the red wall and reach the green hand down to blue")
def arm_over_wall() -> Level:
    sk = sketch()
    base = (2.1, FLOOR_Y + 0.1)
    disc = sk.add_circle(base, 0.1, fixed=True)
    # shoulder, elbow and wrist on motors 0, 1, 2; the arm starts lying on the floor, pointing left
    limb(sk, disc, base, angles=(math.pi, math.pi, math.pi), lengths=(0.75, 0.65, 0.55), bindings=(0, 1, 2),
         limits=(None, None, None), half_width=0.04, power=2.0, tip_role=GREEN)
    sk.add_box((2.75, FLOOR_Y + 0.3), (0.06, 0.3), role=RED, fixed=True)
    sk.add_circle((3.35, FLOOR_Y + 0.12), 0.12, role=BLUE, fixed=True)
    return sk.build()


# --------------------------------------------------------------------------------------- chains, grasping
@register("l/chain_swing", group="chain", difficulty="medium",
          description="pump the weak shoulder motor to swing the chain's green end up to blue")
def chain_swing() -> Level:
    sk = sketch()
    top = (1.6, 4.3)
    mount = sk.add_circle(top, 0.06, fixed=True)
    parent, at = mount, top
    for k in range(3):  # three hanging links; only the top hinge has a motor, too weak to lift the chain
        piece = link(sk, at, -math.pi / 2, 0.5, 0.05, role=GREEN if k == 2 else NEUTRAL)
        hinge(sk, parent, piece, at, motor=k == 0, power=0.3, binding=0)
        parent, at = piece, along(at, -math.pi / 2, 0.5)
    sk.add_circle((2.95, 3.75), 0.12, role=BLUE, fixed=True)
    return sk.build()


@register("l/claw_crane", group="grasp", difficulty="medium",
          description="grab the green ball with the crane's claw, lift it over the red post and drop it on blue")
def claw_crane() -> Level:
    sk = sketch()
    pivot = (2.5, 1.75)
    post = sk.add_box((2.5, (FLOOR_Y + pivot[1]) / 2), (0.06, (pivot[1] - FLOOR_Y) / 2), role=RED, fixed=True)
    ball = (1.4, FLOOR_Y + 0.15)
    wrist = (ball[0], ball[1] + 0.47)  # the claw hangs from here, open around the ball
    angle = math.atan2(wrist[1] - pivot[1], wrist[0] - pivot[0])
    arm = link(sk, pivot, angle, math.dist(pivot, wrist), 0.04, collision_mode=0)  # the ball passes through it
    # motor 0, +1: the arm swings clockwise, up and over the post, until it stops above the blue pad
    hinge(sk, post, arm, pivot, speed=-0.3, power=1.0, binding=0, limits=(-4.0, 0.2))
    palm, _, _ = claw(sk, (wrist[0], wrist[1] - 0.06), opening=0.3, finger=0.4, binding=1, power=2.0, density=3.0)
    hinge(sk, arm, palm, wrist, motor=False)  # the claw hangs freely; motor 1 closes (+1) and opens (-1) it
    sk.add_circle(ball, 0.15, role=GREEN, density=0.3)
    sk.add_box((3.65, FLOOR_Y + 0.05), (0.35, 0.05), role=BLUE, fixed=True)
    return sk.build()
