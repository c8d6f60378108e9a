"""Mechanisms for the L library levels: hinges by world point, limbs, claws, cars, geared wheels.

Extends ``parts`` (cars, two-link arms, wall anchors) without changing it.  Every function adds
shapes or joints to a :class:`~impetus.levels.sketch.LevelSketch` and returns the global shape
indices (or joint slots) it made.  Units: metres, radians, kg/m² densities; angles absolute
(from +x, counter-clockwise) unless they say otherwise.

Joints here are placed by a *world* point: :func:`hinge` works out both local anchors from the
shapes' current poses, and its limits are relative to the pose at build time (the reference
angle is the current relative rotation), so ``limits=(-0.5, 0.5)`` means "half a radian either
way from how it was drawn".
"""

import math

import numpy as np

from ..level import GREEN, NEUTRAL
from ..sketch import LevelSketch
from ..world import FLOOR_Y
from . import parts
from .parts import along


def sketch(max_timesteps: int = 256, red_floor: bool = False, gravity=(0.0, -9.81)) -> LevelSketch:
    """An empty L level (floor, walls, ceiling), with a deadly floor when ``red_floor``."""
    return parts.sketch("l", max_timesteps, red_floor, gravity)


def bump(sk: LevelSketch, x: float, width: float, height: float, top: float) -> int:
    """A fixed trapezoid bump on the floor centred on ``x`` (base ``width``, top ``top``) [m]."""
    half, crest = width / 2, top / 2
    return sk.add_polygon((x, FLOOR_Y), [(-half, 0.0), (half, 0.0), (crest, height), (-crest, height)], fixed=True)


def box_on(sk: LevelSketch, left: float, right: float, top: float, bottom: float = FLOOR_Y, **shape) -> int:
    """A fixed box filling ``x`` in ``[left, right]``, ``y`` in ``[bottom, top]`` [m] (a ledge, a bar)."""
    return sk.add_box(((left + right) / 2, (bottom + top) / 2), ((right - left) / 2, (top - bottom) / 2), fixed=True,
                      **shape)


def pose(sk: LevelSketch, index: int) -> tuple[np.ndarray, float]:
    """``(position (2,) [m], rotation [rad])`` of shape ``index`` as drawn so far."""
    shape = sk._tree.shape  # the sketch's host arrays (same package: levels)
    return np.array(shape.position[index], np.float64), float(shape.rotation[index])


def to_local(sk: LevelSketch, index: int, point) -> tuple[float, float]:
    """World ``point`` [m] in the frame of shape ``index``."""
    (px, py), r = pose(sk, index)
    dx, dy = point[0] - px, point[1] - py
    c, s = math.cos(r), math.sin(r)
    return (c * dx + s * dy, -s * dx + c * dy)


def hinge(sk: LevelSketch, a: int, b: int, point, motor: bool = True, speed: float = 1.0, power: float = 1.0,
          binding: int = 0, limits=None) -> int:
    """A revolute joint pinning shapes ``a`` and ``b`` together at world ``point``.

    +1 on motor ``binding`` drives ``rotation_b - rotation_a`` up (``b`` turns counter-clockwise
    relative to ``a``) at ``6 * speed`` rad/s; ``limits`` [rad] are relative to the drawn pose."""
    (_, ra), (_, rb) = pose(sk, a), pose(sk, b)
    return sk.add_revolute_joint(a, b, to_local(sk, a, point), to_local(sk, b, point), motor_on=motor, speed=speed,
                                 power=power, binding=binding, limits=limits, reference_angle=rb - ra)


def weld(sk: LevelSketch, a: int, b: int, point) -> int:
    """A fixed joint gluing ``b`` to ``a`` at world ``point`` in their drawn relative pose."""
    return sk.add_fixed_joint(a, b, to_local(sk, a, point), to_local(sk, b, point))


def link(sk: LevelSketch, start, angle: float, length: float, half_width: float = 0.05, **shape) -> int:
    """A box of ``length`` from world point ``start`` pointing along ``angle`` (keywords of
    ``add_polygon``: role, density, friction, ...).  Its far end is ``along(start, angle, length)``."""
    return sk.add_box(along(start, angle, length / 2), (length / 2, half_width), rotation=angle, **shape)


def limb(sk: LevelSketch, parent: int, start, angles, lengths, bindings, limits, half_width: float = 0.05,
         speed: float = 1.0, power: float = 1.0, tip_role: int = NEUTRAL, **shape) -> list[int]:
    """A chain of motorised links hanging off ``parent`` from world point ``start``: link ``k``
    points along ``angles[k]`` with ``lengths[k]``, hinged to the previous one (the first to
    ``parent``) on motor ``bindings[k]`` within ``limits[k]`` (``None``: free).  The last link
    gets ``tip_role``, the others are neutral.  Returns the links, root first."""
    links, at, previous = [], start, parent
    for k, (angle, length, binding, limit) in enumerate(zip(angles, lengths, bindings, limits, strict=True)):
        role = tip_role if k == len(angles) - 1 else NEUTRAL
        piece = link(sk, at, angle, length, half_width, role=role, **shape)
        hinge(sk, previous, piece, at, speed=speed, power=power, binding=binding, limits=limit)
        links.append(piece)
        previous, at = piece, along(at, angle, length)
    return links


def two_motor_car(sk: LevelSketch, x: float, half_length: float = 0.5, wheel_radius: float = 0.17,
                  ground: float = FLOOR_Y, body_role: int = GREEN, speed: float = 1.0, power: float = 1.0,
                  bindings=(0, 1), body_half_height: float = 0.07, density: float = 1.0) -> tuple[int, int, int]:
    """A car facing right on ``ground`` at ``x``: a body box and two wheels, the rear wheel on motor
    ``bindings[0]`` and the front on ``bindings[1]`` (+1 on both drives right; one alone is weak).
    Returns ``(body, rear wheel, front wheel)``."""
    axle = ground + wheel_radius
    body = sk.add_box((x, axle + 0.1), (half_length, body_half_height), role=body_role, density=density)
    wheels, offset = [], half_length - wheel_radius - 0.03
    for dx, binding in zip((-offset, offset), bindings, strict=True):
        wheel = sk.add_circle((x + dx, axle), wheel_radius, friction=1.0)
        # a = wheel, b = body: +1 turns the wheel clockwise relative to the body, i.e. forward (right)
        sk.add_revolute_joint(wheel, body, (0.0, 0.0), (dx, -0.1), speed=speed, power=power, binding=binding)
        wheels.append(wheel)
    return body, wheels[0], wheels[1]


def claw(sk: LevelSketch, centre, half_width: float = 0.3, finger: float = 0.4, opening: float = 0.35,
         binding: int = 0, power: float = 1.0, speed: float = 0.5, palm_role: int = NEUTRAL,
         density: float = 1.0, close: float = 0.9) -> tuple[int, int, int]:
    """A two-finger claw: a palm box centred on ``centre`` and two fingers hinged at its lower
    corners, hanging down and splayed outwards by ``opening`` [rad].  Both fingers are on motor
    ``binding``: +1 closes them (they swing in under the palm), -1 opens them; each may open
    0.3 rad further than drawn and close to ``close`` [rad] inwards of straight down.
    Returns ``(palm, left finger, right finger)``."""
    cx, cy = centre
    palm = sk.add_box(centre, (half_width, 0.06), role=palm_role, density=density)
    fingers = []
    for side in (-1.0, 1.0):
        root = (cx + side * (half_width - 0.04), cy - 0.06)
        angle = -math.pi / 2 + side * opening  # splayed outwards
        piece = link(sk, root, angle, finger, 0.04, friction=1.5, density=density)
        # left finger closes counter-clockwise (+), right finger clockwise (-): one binding, opposite speeds
        hinge(sk, palm, piece, root, speed=-side * speed, power=power, binding=binding,
              limits=(-0.3, opening + close) if side < 0 else (-opening - close, 0.3))
        fingers.append(piece)
    return palm, fingers[0], fingers[1]


def geared_wheel(sk: LevelSketch, centre, radius: float, motor: bool = False, speed: float = 1.0,
                 power: float = 1.0, binding: int = 0, **shape) -> tuple[int, int]:
    """A wheel turning on its own fixed axle mount (a small fixed box inside the wheel, so wheels
    on different mounts still touch each other).  With ``motor``, +1 turns it counter-clockwise.
    Returns ``(mount, wheel)``."""
    mount = sk.add_box(centre, (0.04, 0.04), fixed=True)
    wheel = sk.add_circle(centre, radius, **shape)
    hinge(sk, mount, wheel, centre, motor=motor, speed=speed, power=power, binding=binding)
    return mount, wheel
