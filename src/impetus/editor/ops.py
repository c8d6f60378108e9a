"""Level-wide edits (gravity, episode length, size) and the table of every edit by name.

:func:`apply` is what the server calls for ``POST /api/edit`` with ``{"op": NAME, "args": {...}}``:
it checks the name and the argument names against the operation's signature, so a bad request
becomes one :class:`~impetus.editor.model.EditError` line instead of a ``TypeError``.
"""

import copy
import inspect

from ..levels.format import size_document
from ..levels.validate import MAX_TIMESTEPS
from . import links, model
from .model import EditError, check_integer, check_number, check_vec2, static_of


def set_gravity(doc: dict, gravity) -> dict:
    """Set the gravity vector [m/s^2]."""
    x, y = check_vec2(gravity, "gravity")
    new = copy.deepcopy(doc)
    new["gravity"] = [check_number(x, "gravity[0]", -100.0, 100.0), check_number(y, "gravity[1]", -100.0, 100.0)]
    return new


def set_max_timesteps(doc: dict, max_timesteps) -> dict:
    """Set the episode length in environment steps."""
    new = copy.deepcopy(doc)
    new["max_timesteps"] = check_integer(max_timesteps, "max_timesteps", 1, MAX_TIMESTEPS)
    return new


def set_size(doc: dict, size) -> dict:
    """Change the capacities to ``size`` (``"s"``, ``"m"``, ``"l"`` or an object of capacities).

    Static slots keep their shapes; the other polygons and the circles are renumbered in slot
    order from the first free slot, and joints and thrusters follow their shapes."""
    old, static = static_of(doc["size"]), static_of(size)
    if static.num_static_polygons != old.num_static_polygons:
        raise EditError(f"size: num_static_polygons must stay {old.num_static_polygons} "
                        f"(got {static.num_static_polygons})")
    polygons = [s for s in doc["shapes"] if s["id"][0] == "p" and int(s["id"][1:]) >= old.num_static_polygons]
    circles = [s for s in doc["shapes"] if s["id"][0] == "c"]
    counts = (("movable polygons", len(polygons), static.num_polygons - static.num_static_polygons),
              ("circles", len(circles), static.num_circles), ("joints", len(doc["joints"]), static.num_joints),
              ("thrusters", len(doc["thrusters"]), static.num_thrusters))
    for what, have, room in counts:
        if have > room:
            raise EditError(f"size: the level has {have} {what} but the new size allows {room}")
    corners = max((len(s["vertices"]) for s in doc["shapes"] if "vertices" in s), default=0)
    if corners > static.max_polygon_vertices:
        raise EditError(f"size: a polygon has {corners} corners but the new size allows "
                        f"{static.max_polygon_vertices} (max_polygon_vertices)")
    rename = {s["id"]: f"p{static.num_static_polygons + k}" for k, s in enumerate(polygons)}
    rename.update({s["id"]: f"c{k}" for k, s in enumerate(circles)})
    new = copy.deepcopy(doc)
    new["size"] = size_document(static)
    for s in new["shapes"]:
        s["id"] = rename.get(s["id"], s["id"])
    for j in new["joints"]:
        j["a"], j["b"] = rename.get(j["a"], j["a"]), rename.get(j["b"], j["b"])
    for t in new["thrusters"]:
        t["shape"] = rename.get(t["shape"], t["shape"])
    return new


OPERATIONS = {f.__name__: f for f in (
    model.add_circle, model.add_rectangle, model.add_polygon, model.delete_shape, model.move_shape,
    model.rotate_shape, model.resize_shape, model.set_shape, links.add_joint, links.set_joint, links.delete_joint,
    links.add_thruster, links.set_thruster, links.delete_thruster, set_gravity, set_max_timesteps, set_size)}


def apply(doc: dict, op, args) -> dict:
    """``OPERATIONS[op](doc, **args)`` with the name and argument names checked first."""
    if op not in OPERATIONS:
        raise EditError(f"unknown edit {op!r}; expected one of {', '.join(sorted(OPERATIONS))}")
    if not isinstance(args, dict):
        raise EditError(f"{op}: 'args' must be an object of named arguments")
    fn = OPERATIONS[op]
    try:
        inspect.signature(fn).bind(doc, **args)
    except TypeError as err:
        raise EditError(f"{op}: {err}") from None
    try:
        return fn(doc, **args)
    except EditError as err:
        raise EditError(f"{op}: {err}") from None
