"""Pure edit operations on a level *document* (the Impetus JSON format, ``levels.format``).

The editor's state is the parsed JSON document of an Impetus level file.  Every operation here
takes a document and returns a new one (the input is never changed) or raises :class:`EditError`
with one line that names the operation, the argument and the problem.  Whether the result is a
valid level is checked afterwards by :mod:`impetus.editor.history` with the level validator.

Conventions (those of the file format): shapes are named ``"p<k>"`` (polygon slot ``k``) and
``"c<k>"`` (circle slot ``k``); a shape's ``position`` is its frame origin in world metres and
polygon ``vertices`` are counter-clockwise in that frame; joint anchors and thruster anchors are
in shape frames; a thruster's ``angle`` is relative to its shape.  Arguments given to the
operations are world coordinates [m] and world angles [rad] unless named otherwise.

``OPERATIONS`` maps names to functions for :func:`apply` (the server's ``/api/edit``).
"""

import copy
import math

import numpy as np

from ..engine import StaticSimParams
from ..engine.scenes import KINETIX_SIZES
from ..levels.format import SIZE_FIELDS, to_document
from ..levels.validate import ROLE_NAMES
from ..levels.world import walls_level

ROLES = ROLE_NAMES
SHAPE_PROPERTIES = ("role", "fixed", "density", "friction", "restitution", "collision_mode", "velocity",
                    "angular_velocity")


class EditError(ValueError):
    """An edit that cannot be made (bad argument, no free slot, unknown shape); one line."""


# ---------------------------------------------------------------------------------------------- helpers
def new_document(size: str | dict = "s", max_timesteps: int = 256) -> dict:
    """An empty level of ``size`` (``"s"``, ``"m"``, ``"l"`` or capacities): floor, walls, ceiling."""
    return to_document(walls_level(static_of(size), max_timesteps=max_timesteps))


def static_of(size: str | dict) -> StaticSimParams:
    """The capacities named by a document's ``size`` value."""
    if isinstance(size, str):
        if size not in KINETIX_SIZES:
            raise EditError(f"size: unknown size {size!r}; expected 's', 'm', 'l' or an object of capacities")
        return KINETIX_SIZES[size]
    if not isinstance(size, dict) or set(SIZE_FIELDS) - set(size):
        raise EditError(f"size: expected 's', 'm', 'l' or an object with {', '.join(SIZE_FIELDS)}")
    values = {k: size[k] for k in (*SIZE_FIELDS, "num_substeps") if k in size}
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 64 for v in values.values()):
        raise EditError("size: capacities must be integers in 0..64")
    try:
        return StaticSimParams(**values)
    except ValueError as err:
        raise EditError(f"size: {err}") from None


def rotate(v, angle: float) -> np.ndarray:
    """``v`` (..., 2) rotated counter-clockwise by ``angle`` [rad]."""
    c, s = math.cos(angle), math.sin(angle)
    v = np.asarray(v, np.float64)
    return np.stack([c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], axis=-1)


def to_local(shape: dict, point) -> list[float]:
    """A world point in ``shape``'s frame [m]."""
    offset = np.asarray(point, np.float64) - np.asarray(shape["position"], np.float64)
    return _floats(np.round(rotate(offset, -shape.get("rotation", 0.0)), 6))  # micrometres: no 1e-9 noise


def to_world(shape: dict, local) -> list[float]:
    """A point of ``shape``'s frame in world coordinates [m]."""
    return _floats(np.asarray(shape["position"], np.float64) + rotate(local, shape.get("rotation", 0.0)))


def _floats(v) -> list[float]:
    return [float(x) for x in np.asarray(v).reshape(-1)]


def check_number(value, name: str, low: float | None = None, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise EditError(f"{name}: expected a finite number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise EditError(f"{name}: must be in {low}..{high} (got {value})")
    return float(value)


def check_integer(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise EditError(f"{name}: expected an integer in {low}..{high}, got {value!r}")
    return value


def check_vec2(value, name: str) -> list[float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise EditError(f"{name}: expected [x, y], got {value!r}")
    return [check_number(value[0], f"{name}[0]"), check_number(value[1], f"{name}[1]")]


def find_shape(doc: dict, ref) -> dict:
    for shape in doc["shapes"]:
        if shape["id"] == ref:
            return shape
    raise EditError(f"shape {ref!r} does not exist")


def check_index(items: list, index, what: str) -> int:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(items):
        raise EditError(f"{what} {index!r} does not exist (there are {len(items)})")
    return index


def _free_slot(doc: dict, kind: str) -> str:
    static = static_of(doc["size"])
    used = {s["id"] for s in doc["shapes"]}
    first, capacity = (static.num_static_polygons, static.num_polygons) if kind == "p" else (0, static.num_circles)
    for k in range(first, capacity):
        if f"{kind}{k}" not in used:
            return f"{kind}{k}"
    what = "polygon" if kind == "p" else "circle"
    raise EditError(f"no free {what} slot: the level's size allows {capacity - first} movable {what}s "
                    f"(change the size to add more)")


def _properties(props: dict) -> dict:
    """Checked shape properties (``SHAPE_PROPERTIES``) as document fields."""
    out = {}
    for key, value in props.items():
        if key not in SHAPE_PROPERTIES:
            raise EditError(f"unknown shape property {key!r}; expected one of {', '.join(SHAPE_PROPERTIES)}")
        if key == "role":
            if value not in ROLES:
                raise EditError(f"role: expected one of {', '.join(ROLES)}, got {value!r}")
        elif key == "fixed":
            if not isinstance(value, bool):
                raise EditError(f"fixed: expected true or false, got {value!r}")
        elif key == "collision_mode":
            value = check_integer(value, key, 0, 2)
        elif key == "velocity":
            value = check_vec2(value, key)
        else:
            value = check_number(value, key, 0.0 if key != "angular_velocity" else None)
        out[key] = value
    return out


def _with_shape(doc: dict, shape: dict) -> dict:
    new = copy.deepcopy(doc)
    new["shapes"].append(shape)
    new["shapes"].sort(key=_slot_order(new))
    return new


def _slot_order(doc: dict):
    P = static_of(doc["size"]).num_polygons
    return lambda s: int(s["id"][1:]) + (P if s["id"][0] == "c" else 0)


# ---------------------------------------------------------------------------------------------- shapes
def add_circle(doc: dict, position, radius, **props) -> dict:
    """A circle of ``radius`` [m] centred at world ``position`` in the next free circle slot."""
    shape = {"id": _free_slot(doc, "c"), "position": check_vec2(position, "position"), "rotation": 0.0,
             "radius": check_number(radius, "radius", 1e-3, 10.0), **_properties(props)}
    return _with_shape(doc, shape)


def add_rectangle(doc: dict, position, half_size, rotation=0.0, **props) -> dict:
    """A box of half extents ``half_size`` [m] centred at ``position``, turned by ``rotation`` [rad]."""
    hx, hy = (check_number(h, f"half_size[{k}]", 1e-3, 10.0) for k, h in enumerate(check_vec2(half_size, "half_size")))
    shape = {"id": _free_slot(doc, "p"), "position": check_vec2(position, "position"),
             "rotation": check_number(rotation, "rotation"), "vertices": [[-hx, -hy], [hx, -hy], [hx, hy], [-hx, hy]],
             **_properties(props)}
    return _with_shape(doc, shape)


def convex_hull(points) -> np.ndarray:
    """Counter-clockwise convex hull of 2-D points (monotone chain; collinear points dropped)."""
    pts = sorted({(float(x), float(y)) for x, y in points})
    if len(pts) < 3:
        return np.asarray(pts, np.float64).reshape(-1, 2)

    def half(seq):
        out = []
        for p in seq:
            while len(out) >= 2 and ((out[-1][0] - out[-2][0]) * (p[1] - out[-2][1])
                                     - (out[-1][1] - out[-2][1]) * (p[0] - out[-2][0])) <= 1e-12:
                out.pop()
            out.append(p)
        return out

    return np.asarray(half(pts)[:-1] + half(pts[::-1])[:-1], np.float64)


def add_polygon(doc: dict, points, **props) -> dict:
    """A convex polygon through world ``points`` (their convex hull), framed at its area centroid."""
    if not isinstance(points, list) or len(points) < 3:
        raise EditError(f"points: a polygon needs at least 3 points, got {points!r}")
    hull = convex_hull([check_vec2(p, f"points[{k}]") for k, p in enumerate(points)])
    limit = static_of(doc["size"]).max_polygon_vertices
    if len(hull) < 3:
        raise EditError("points: the points are collinear; a polygon needs an area")
    if len(hull) > limit:
        raise EditError(f"points: the polygon has {len(hull)} corners but the size allows {limit} "
                        f"(max_polygon_vertices)")
    x, y = hull[:, 0], hull[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    centroid = np.array([np.sum((x + np.roll(x, -1)) * cross), np.sum((y + np.roll(y, -1)) * cross)])
    centroid /= 3.0 * np.sum(cross)
    shape = {"id": _free_slot(doc, "p"), "position": _floats(centroid), "rotation": 0.0,
             "vertices": [_floats(v) for v in hull - centroid], **_properties(props)}
    return _with_shape(doc, shape)


def delete_shape(doc: dict, id) -> dict:
    """Remove shape ``id`` and the joints and thrusters attached to it."""
    find_shape(doc, id)
    new = copy.deepcopy(doc)
    new["shapes"] = [s for s in new["shapes"] if s["id"] != id]
    new["joints"] = [j for j in new["joints"] if id not in (j["a"], j["b"])]
    new["thrusters"] = [t for t in new["thrusters"] if t["shape"] != id]
    return new


def attached(doc: dict, id) -> list[str]:
    """``id`` and every shape joined to it through joints (its rigid assembly), in slot order."""
    group, frontier = {id}, [id]
    while frontier:
        ref = frontier.pop()
        for j in doc["joints"]:
            for a, b in ((j["a"], j["b"]), (j["b"], j["a"])):
                if a == ref and b not in group:
                    group.add(b)
                    frontier.append(b)
    return [s["id"] for s in doc["shapes"] if s["id"] in group]


def move_shape(doc: dict, id, position) -> dict:
    """Put shape ``id``'s frame origin at world ``position``; shapes jointed to it move along."""
    shape = find_shape(doc, id)
    delta = np.asarray(check_vec2(position, "position")) - np.asarray(shape["position"])
    new = copy.deepcopy(doc)
    for ref in attached(doc, id):
        s = find_shape(new, ref)
        s["position"] = _floats(np.asarray(s["position"]) + delta)
    return new


def rotate_shape(doc: dict, id, rotation) -> dict:
    """Set shape ``id``'s rotation [rad]; jointed shapes turn with it about its frame origin."""
    shape = find_shape(doc, id)
    turn = check_number(rotation, "rotation") - shape.get("rotation", 0.0)
    pivot = np.asarray(shape["position"], np.float64)
    new = copy.deepcopy(doc)
    for ref in attached(doc, id):
        s = find_shape(new, ref)
        s["position"] = _floats(pivot + rotate(np.asarray(s["position"]) - pivot, turn))
        s["rotation"] = float(s.get("rotation", 0.0) + turn)
    return new


def resize_shape(doc: dict, id, radius=None, width=None, height=None) -> dict:
    """A circle's ``radius`` [m], or a polygon's ``width``/``height`` [m] in its own frame (vertices
    scaled about the frame origin).  Joint and thruster anchors on the shape scale with it."""
    shape = find_shape(doc, id)
    if "radius" in shape:
        if radius is None or width is not None or height is not None:
            raise EditError(f"resize_shape: circle {id} takes 'radius' only")
        factor = np.full(2, check_number(radius, "radius", 1e-3, 10.0) / shape["radius"])
    else:
        if radius is not None:
            raise EditError(f"resize_shape: polygon {id} takes 'width' and/or 'height', not 'radius'")
        v = np.asarray(shape["vertices"], np.float64)
        extent = v.max(0) - v.min(0)
        want = [extent[0] if width is None else check_number(width, "width", 2e-3, 20.0),
                extent[1] if height is None else check_number(height, "height", 2e-3, 20.0)]
        factor = np.asarray(want) / extent
    new = copy.deepcopy(doc)
    s = find_shape(new, id)
    if "radius" in s:
        s["radius"] = float(s["radius"] * factor[0])
    else:
        s["vertices"] = [_floats(np.asarray(p) * factor) for p in s["vertices"]]
    for j in new["joints"]:
        for end in ("a", "b"):
            if j[end] == id:
                j[f"anchor_{end}"] = _floats(np.asarray(j[f"anchor_{end}"]) * factor)
    for t in new["thrusters"]:
        if t["shape"] == id:
            t["anchor"] = _floats(np.asarray(t["anchor"]) * factor)
    return new


def set_shape(doc: dict, id, **props) -> dict:
    """Set properties of shape ``id``: role, fixed, density, friction, restitution, collision_mode,
    velocity [m/s], angular_velocity [rad/s]."""
    find_shape(doc, id)
    checked = _properties(props)
    new = copy.deepcopy(doc)
    find_shape(new, id).update(checked)
    return new
