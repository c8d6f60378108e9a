"""Build scenes from Python: ``SceneBuilder`` (box2d-style ``add_*`` calls returning handles).

Positions, anchors and thruster points are given in world coordinates; the builder
converts them to body frames.  Every ``add_*`` validates its arguments and raises
:class:`SceneError` (a ``ValueError``) with a one-line message naming the call, the
argument and the problem; the builder is left unchanged by a failed call.

Example::

    b = SceneBuilder(StaticSimParams(num_polygons=5, num_circles=2, num_joints=1, num_thrusters=1))
    b.add_walls()
    car = b.add_box((1.0, 1.0), half_extents=(0.5, 0.1))
    wheel = b.add_circle((0.6, 0.8), radius=0.2)
    b.add_revolute_joint(car, wheel, anchor=(0.6, 0.8), motor_on=True)
    state = b.build()
"""

import dataclasses
import math
from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np

from .geometry import circle_mass, polygon_mass
from .scene import collision_matrix, empty_state
from .types import SimState, StaticSimParams


class SceneError(ValueError):
    """An invalid scene-builder call (bad argument or capacity exceeded)."""


@dataclasses.dataclass(frozen=True)
class BodyHandle:
    """A body added to a scene: ``index`` is its global index (polygons first)."""

    index: int
    kind: str  # "polygon" or "circle"
    slot: int  # index within its kind


def _vec(name: str, call: str, value, size: int = 2) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise SceneError(f"{call}: {name} must be {size} numbers (got {value!r})") from None
    if arr.shape != (size,) or not np.all(np.isfinite(arr)):
        raise SceneError(f"{call}: {name} must be {size} finite numbers (got {value!r})")
    return arr


def _num(name: str, call: str, value, low=-math.inf, high=math.inf, low_open=False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise SceneError(f"{call}: {name} must be a number (got {value!r})") from None
    if not math.isfinite(x) or x < low or x > high or (low_open and x <= low):
        bound = f"> {low}" if low_open else f"in [{low}, {high}]"
        raise SceneError(f"{call}: {name} must be finite and {bound} (got {value!r})")
    return x


def convex_ccw(vertices, call: str = "add_polygon", max_vertices: int = 8) -> np.ndarray:
    """Validate a convex polygon and return its vertices counter-clockwise (float64)."""
    try:
        v = np.asarray(vertices, dtype=np.float64)
    except (TypeError, ValueError):
        raise SceneError(f"{call}: vertices must be a list of (x, y) pairs") from None
    if v.ndim != 2 or v.shape[1] != 2:
        raise SceneError(f"{call}: vertices must be a list of (x, y) pairs (got shape {v.shape})")
    if not 3 <= len(v) <= max_vertices:
        raise SceneError(f"{call}: a polygon needs 3 to {max_vertices} vertices (got {len(v)})")
    if not np.all(np.isfinite(v)):
        raise SceneError(f"{call}: vertices must be finite")
    edges = np.roll(v, -1, axis=0) - v
    if np.min(np.hypot(edges[:, 0], edges[:, 1])) < 1e-6:
        raise SceneError(f"{call}: two consecutive vertices coincide")
    area2 = float(np.sum(v[:, 0] * np.roll(v[:, 1], -1) - np.roll(v[:, 0], -1) * v[:, 1]))
    if abs(area2) < 1e-8:
        raise SceneError(f"{call}: polygon has zero area")
    if area2 < 0:
        v = v[::-1].copy()
        edges = np.roll(v, -1, axis=0) - v
    turns = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
    scale = float(np.max(np.abs(v - v.mean(0)))) ** 2
    bad = np.nonzero(turns <= 1e-9 * max(scale, 1e-12))[0]
    if len(bad):
        raise SceneError(f"{call}: polygon is not strictly convex (at vertex {int(bad[0] + 1) % len(v)})")
    return v


class SceneBuilder:
    """Accumulates bodies, joints and thrusters, then ``build()``s a :class:`SimState`."""

    def __init__(self, static: StaticSimParams, gravity: Sequence[float] = (0.0, -9.81)):
        self.static = static
        self.gravity = _vec("gravity", "SceneBuilder", gravity)
        self._polygons: list[dict | None] = [None] * static.num_polygons
        self._circles: list[dict] = []
        self._joints: list[dict] = []
        self._thrusters: list[dict] = []

    # ---------------------------------------------------------------- bodies
    def _common(self, call, rotation, velocity, angular_velocity, density, friction, restitution,
                collision_mode, fixed) -> dict:
        if collision_mode not in (0, 1, 2):
            raise SceneError(f"{call}: collision_mode must be 0, 1 or 2 (got {collision_mode!r})")
        return dict(
            rotation=_num("rotation", call, rotation), velocity=_vec("velocity", call, velocity),
            angular_velocity=_num("angular_velocity", call, angular_velocity),
            density=_num("density", call, density, 0.0, low_open=not fixed) if not fixed else 0.0,
            friction=_num("friction", call, friction, 0.0),
            restitution=_num("restitution", call, restitution, 0.0, 1.0),
            collision_mode=int(collision_mode), fixed=bool(fixed),
        )

    def add_polygon(self, position, vertices, *, rotation=0.0, velocity=(0.0, 0.0), angular_velocity=0.0,
                    density=1.0, friction=1.0, restitution=0.0, collision_mode=1, fixed=False) -> BodyHandle:
        """Add a convex polygon; ``vertices`` are in the body frame around ``position``.

        The body is re-centred on the area centroid, so the handle's body position is the
        centre of mass.  Fixed polygons fill the static slots first.
        """
        call = "add_polygon"
        props = self._common(call, rotation, velocity, angular_velocity, density, friction, restitution,
                             collision_mode, fixed)
        verts = convex_ccw(vertices, call, self.static.max_polygon_vertices)
        pos = _vec("position", call, position)
        _, centroid, _ = polygon_mass(verts, np.int32(len(verts)), 1.0)
        centroid = np.asarray(centroid, np.float64)
        c, s = math.cos(props["rotation"]), math.sin(props["rotation"])
        props["position"] = pos + np.array([c * centroid[0] - s * centroid[1], s * centroid[0] + c * centroid[1]])
        props["vertices"] = verts - centroid
        slot = self._free_polygon_slot(fixed)
        self._polygons[slot] = props
        return BodyHandle(index=slot, kind="polygon", slot=slot)

    def add_box(self, position, half_extents, **kwargs) -> BodyHandle:
        """Add a rectangle with the given half width and half height, centred on ``position``."""
        hx, hy = _vec("half_extents", "add_box", half_extents)
        if hx <= 0 or hy <= 0:
            raise SceneError(f"add_box: half_extents must be > 0 (got {tuple(half_extents)})")
        return self.add_polygon(position, [(-hx, -hy), (hx, -hy), (hx, hy), (-hx, hy)], **kwargs)

    def add_circle(self, position, radius, *, rotation=0.0, velocity=(0.0, 0.0), angular_velocity=0.0,
                   density=1.0, friction=1.0, restitution=0.0, collision_mode=1, fixed=False) -> BodyHandle:
        call = "add_circle"
        props = self._common(call, rotation, velocity, angular_velocity, density, friction, restitution,
                             collision_mode, fixed)
        props["radius"] = _num("radius", call, radius, 0.0, low_open=True)
        props["position"] = _vec("position", call, position)
        if len(self._circles) >= self.static.num_circles:
            raise SceneError(f"add_circle: the scene is full (StaticSimParams.num_circles = {self.static.num_circles})")
        self._circles.append(props)
        k = len(self._circles) - 1
        return BodyHandle(index=self.static.num_polygons + k, kind="circle", slot=k)

    def add_walls(self, size: float = 5.0, floor: float = 0.4, thickness: float = 5.0) -> list[BodyHandle]:
        """Floor (top at ``floor``), left and right walls (x = 0, x = ``size``) and ceiling
        (y = ``size``) of the Kinetix world, as four fixed boxes with collision mode 2."""
        half = size / 2
        boxes = [((half, floor - thickness), (half + thickness, thickness)),
                 ((-thickness, half), (thickness, half + thickness)),
                 ((size + thickness, half), (thickness, half + thickness)),
                 ((half, size + thickness), (half + thickness, thickness))]
        return [self.add_box(p, e, fixed=True, collision_mode=2) for p, e in boxes]

    def _free_polygon_slot(self, fixed: bool) -> int:
        S, P = self.static.num_static_polygons, self.static.num_polygons
        order = list(range(S)) + list(range(S, P)) if fixed else list(range(S, P))
        for slot in order:
            if self._polygons[slot] is None:
                return slot
        what = "polygon slot" if fixed else f"movable polygon slot (slots {S}..{P - 1})"
        raise SceneError(f"add_polygon: no free {what} (StaticSimParams.num_polygons = {P}, "
                         f"num_static_polygons = {S})")

    def body_position(self, handle: BodyHandle) -> np.ndarray:
        """World position of a body's centre of mass."""
        return np.array(self._body("body_position", "handle", handle)["position"])

    # ---------------------------------------------------------------- joints, thrusters
    def _body(self, call: str, name: str, handle) -> dict:
        if not isinstance(handle, BodyHandle):
            raise SceneError(f"{call}: {name} must be a BodyHandle returned by add_* (got {handle!r})")
        props = self._polygons[handle.index] if handle.kind == "polygon" else self._circles[handle.slot]
        if props is None:
            raise SceneError(f"{call}: {name} refers to a body that does not exist")
        return props

    def _joint(self, call, a, b, anchor, **extra) -> int:
        pa, pb = self._body(call, "a", a), self._body(call, "b", b)
        if a.index == b.index:
            raise SceneError(f"{call}: a joint cannot connect a body to itself (body {a.index})")
        if pa["fixed"] and pb["fixed"]:
            raise SceneError(f"{call}: both bodies are fixed; the joint would do nothing")
        if len(self._joints) >= self.static.num_joints:
            raise SceneError(f"{call}: the scene is full (StaticSimParams.num_joints = {self.static.num_joints})")
        p = _vec("anchor", call, anchor)
        self._joints.append(dict(a=a.index, b=b.index, anchor_a=_to_local(pa, p), anchor_b=_to_local(pb, p),
                                 reference_angle=pb["rotation"] - pa["rotation"], **extra))
        return len(self._joints) - 1

    def add_revolute_joint(self, a: BodyHandle, b: BodyHandle, anchor, *, motor_on=False, motor_speed=1.0,
                           motor_power=1.0, limits: tuple[float, float] | None = None) -> int:
        """Pin ``a`` and ``b`` together at the world point ``anchor``; returns the joint slot.

        ``limits`` bound ``rotation_b - rotation_a`` relative to its value now, in radians.
        """
        call = "add_revolute_joint"
        lower, upper = (0.0, 0.0) if limits is None else _vec("limits", call, limits)
        if limits is not None and lower > upper:
            raise SceneError(f"{call}: limits must satisfy lower <= upper (got {tuple(limits)})")
        return self._joint(call, a, b, anchor, is_fixed=False, motor_on=bool(motor_on),
                           motor_speed=_num("motor_speed", call, motor_speed),
                           motor_power=_num("motor_power", call, motor_power, 0.0),
                           has_limits=limits is not None, lower=float(lower), upper=float(upper))

    def add_fixed_joint(self, a: BodyHandle, b: BodyHandle, anchor) -> int:
        """Weld ``a`` and ``b`` together at the world point ``anchor``; returns the joint slot."""
        return self._joint("add_fixed_joint", a, b, anchor, is_fixed=True, motor_on=False, motor_speed=0.0,
                           motor_power=0.0, has_limits=False, lower=0.0, upper=0.0)

    def add_thruster(self, body: BodyHandle, anchor, angle: float, power: float = 1.0) -> int:
        """A thruster at world point ``anchor`` pushing along world angle ``angle``."""
        call = "add_thruster"
        props = self._body(call, "body", body)
        if props["fixed"]:
            raise SceneError(f"{call}: a thruster on a fixed body would do nothing")
        if len(self._thrusters) >= self.static.num_thrusters:
            raise SceneError(f"{call}: the scene is full (StaticSimParams.num_thrusters = {self.static.num_thrusters})")
        self._thrusters.append(dict(body=body.index, anchor=_to_local(props, _vec("anchor", call, anchor)),
                                    angle=_num("angle", call, angle) - props["rotation"],
                                    power=_num("power", call, power, 0.0)))
        return len(self._thrusters) - 1

    # ---------------------------------------------------------------- build
    def build(self) -> SimState:
        """The scene as a :class:`SimState` (unused slots inactive)."""
        return build_state(self.static, self._polygons, self._circles, self._joints, self._thrusters, self.gravity)


def _to_local(props: dict, point: np.ndarray) -> np.ndarray:
    c, s = math.cos(props["rotation"]), math.sin(props["rotation"])
    d = point - props["position"]
    return np.array([c * d[0] + s * d[1], -s * d[0] + c * d[1]])


def build_state(static, polygons, circles, joints, thrusters, gravity) -> SimState:
    P, N, V = static.num_polygons, static.num_bodies, static.max_polygon_vertices
    arr = {k: np.zeros(shape, np.float32) for k, shape in
           dict(position=(N, 2), rotation=(N,), velocity=(N, 2), angular_velocity=(N,), inverse_mass=(N,),
                inverse_inertia=(N,), friction=(N,), restitution=(N,)).items()}
    mode, active = np.ones(N, np.int32), np.zeros(N, bool)
    verts, nverts, radius = np.zeros((P, V, 2), np.float32), np.full(P, min(4, V), np.int32), np.zeros(
        static.num_circles, np.float32)
    bodies = [(i, p) for i, p in enumerate(polygons) if p is not None] + [(P + k, c) for k, c in enumerate(circles)]
    for i, p in bodies:
        for key in ("position", "rotation", "velocity", "angular_velocity", "friction", "restitution"):
            arr[key][i] = p[key]
        mode[i], active[i] = p["collision_mode"], True
        if i < P:
            n = len(p["vertices"])
            verts[i, :n], nverts[i] = p["vertices"], n
            mass, _, inertia = polygon_mass(p["vertices"], np.int32(n), p["density"])
        else:
            radius[i - P] = p["radius"]
            mass, inertia = circle_mass(np.float64(p["radius"]), p["density"])
        mass, inertia = float(mass), float(inertia)
        arr["inverse_mass"][i] = 0.0 if p["fixed"] or mass <= 0 else 1.0 / mass
        arr["inverse_inertia"][i] = 0.0 if p["fixed"] or inertia <= 0 else 1.0 / inertia
    state = empty_state(static, gravity)
    body = state.body.replace(**arr, collision_mode=mode, active=active)
    joint = _joint_arrays(state.joint, joints)
    thruster = _thruster_arrays(state.thruster, thrusters)
    cm = collision_matrix(joint.body_a, joint.body_b, joint.active, N)
    state = state.replace(body=body, polygon=state.polygon.replace(vertices=verts, n_vertices=nverts),
                          circle=state.circle.replace(radius=radius), joint=joint, thruster=thruster,
                          collision_matrix=cm)
    return jax.tree_util.tree_map(jnp.asarray, state)


def _joint_arrays(joint, joints):
    J = joint.active.shape[0]
    f = {k: np.array(getattr(joint, k)) for k in ("anchor_a", "anchor_b", "reference_angle", "motor_speed",
                                                 "motor_power", "lower_angle", "upper_angle")}
    ia, ib = np.zeros(J, np.int32), np.zeros(J, np.int32)
    flags = {k: np.zeros(J, bool) for k in ("is_fixed", "active", "motor_on", "has_limits")}
    for j, d in enumerate(joints):
        ia[j], ib[j] = d["a"], d["b"]
        f["anchor_a"][j], f["anchor_b"][j] = d["anchor_a"], d["anchor_b"]
        f["reference_angle"][j], f["motor_speed"][j], f["motor_power"][j] = (d["reference_angle"], d["motor_speed"],
                                                                            d["motor_power"])
        f["lower_angle"][j], f["upper_angle"][j] = d["lower"], d["upper"]
        flags["is_fixed"][j], flags["active"][j] = d["is_fixed"], True
        flags["motor_on"][j], flags["has_limits"][j] = d["motor_on"], d["has_limits"]
    return joint.replace(body_a=ia, body_b=ib, **f, **flags)


def _thruster_arrays(thruster, thrusters):
    T = thruster.active.shape[0]
    body, anchor = np.zeros(T, np.int32), np.zeros((T, 2), np.float32)
    angle, power, active = np.zeros(T, np.float32), np.ones(T, np.float32), np.zeros(T, bool)
    for t, d in enumerate(thrusters):
        body[t], anchor[t], angle[t], power[t], active[t] = d["body"], d["anchor"], d["angle"], d["power"], True
    return thruster.replace(body=body, anchor=anchor, angle=angle, power=power, active=active)
