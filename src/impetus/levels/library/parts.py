"""Reusable mechanisms for library builders: cars, arms, anchors on the static walls.

All functions add shapes to a :class:`~impetus.levels.sketch.LevelSketch` and return the global
indices they made.  Units: metres and radians; angles are absolute (from +x, counter-clockwise).
"""

import math

from ...engine.scenes import static_for_size
from ..level import GREEN, NEUTRAL, RED
from ..sketch import LevelSketch
from ..world import FLOOR_Y, wall_boxes

FLOOR, LEFT_WALL, RIGHT_WALL, CEILING = 0, 1, 2, 3  # static polygon slots


def sketch(size: str, max_timesteps: int = 256, red_floor: bool = False, gravity=(0.0, -9.81)) -> LevelSketch:
    """An empty level of Kinetix size ``size`` (floor, walls, ceiling), with a deadly floor when ``red_floor``."""
    sk = LevelSketch(static_for_size(size), max_timesteps, gravity)
    if red_floor:
        sk.set_floor_role(RED)
    return sk


def static_anchor(slot: int, point) -> tuple[float, float]:
    """A world ``point`` in the frame of static polygon ``slot`` (floor, walls, ceiling), for joints."""
    (cx, cy), _ = wall_boxes()[slot]
    return (point[0] - cx, point[1] - cy)


def along(origin, angle: float, length: float) -> tuple[float, float]:
    """The point ``length`` from ``origin`` in direction ``angle``."""
    return (origin[0] + length * math.cos(angle), origin[1] + length * math.sin(angle))


def car(sk: LevelSketch, x: float, half_length: float = 0.45, wheel_radius: float = 0.15, ground: float = FLOOR_Y,
        direction: float = 1.0, body_role: int = GREEN, speed: float = 1.0, power: float = 1.0,
        binding: int = 0) -> tuple[int, int, int]:
    """A car standing on ``ground`` at ``x``: a thin body box and two motorised wheels (both on
    motor ``binding``, so one channel drives; +1 drives towards ``direction`` = +1 right / -1 left).
    The body overhangs the wheels, so its ends are what the car bumps into things with.
    Returns ``(body, rear wheel, front wheel)``."""
    axle = ground + wheel_radius
    body = sk.add_box((x, axle + 0.1), (half_length, 0.07), role=body_role)
    wheels, offset = [], half_length - wheel_radius - 0.05
    for dx in (-direction * offset, direction * offset):
        wheel = sk.add_circle((x + dx, axle), wheel_radius, friction=1.0)
        # a = wheel, b = body: +1 turns the wheel clockwise relative to the body, i.e. forward to the
        # right; a car facing left gets the opposite speed so that +1 still means forward
        sk.add_revolute_joint(wheel, body, (0.0, 0.0), (dx, -0.1), speed=speed * direction, power=power,
                              binding=binding)
        wheels.append(wheel)
    return body, wheels[0], wheels[1]


def two_link_arm(sk: LevelSketch, base, lengths=(0.8, 0.7), angles=(math.pi / 2, math.pi / 2),
                 width: float = 0.05, power: float = 1.0, speed: float = 1.0, base_radius: float = 0.1,
                 hand_role: int = GREEN) -> tuple[int, int, int]:
    """A fixed base disc at ``base`` and two links (boxes) hinged end to end, pointing at
    ``angles``; shoulder on motor binding 0, elbow on binding 1.  Returns ``(base, upper, hand)``."""
    disc = sk.add_circle(base, base_radius, fixed=True)
    joint_at, links = base, []
    for k, (length, angle) in enumerate(zip(lengths, angles, strict=True)):
        centre = along(joint_at, angle, length / 2)
        link = sk.add_box(centre, (length / 2, width), rotation=angle, role=hand_role if k else NEUTRAL)
        parent = disc if k == 0 else links[-1]
        parent_anchor = (0.0, 0.0) if k == 0 else (lengths[0] / 2, 0.0)
        sk.add_revolute_joint(parent, link, parent_anchor, (-length / 2, 0.0), speed=speed, power=power,
                              binding=k, reference_angle=angle - (angles[0] if k else 0.0))
        links.append(link)
        joint_at = along(joint_at, angle, length)
    return disc, links[0], links[1]
