"""Pure edit operations on joints and thrusters of a level document (see :mod:`.model`).

Joints and thrusters are addressed by their index in the document's ``joints`` / ``thrusters``
lists.  Anchors are given as world points [m] and stored in the shapes' frames; a thruster's
direction is given as a world angle [rad] and stored relative to its shape.
"""

import copy
import math

from ..levels.validate import NUM_MOTOR_BINDINGS, NUM_THRUSTER_BINDINGS
from .model import EditError, check_index, check_integer, check_number, check_vec2, find_shape, static_of, to_local

JOINT_TYPES = ("revolute", "fixed")


def _motor(on=True, speed=1.0, power=1.0, binding=0, auto=False) -> dict:
    for name, value in (("motor_on", on), ("auto", auto)):
        if not isinstance(value, bool):
            raise EditError(f"{name}: expected true or false, got {value!r}")
    return {"on": on, "speed": check_number(speed, "speed", -100.0, 100.0),
            "power": check_number(power, "power", 0.0, 100.0),
            "binding": check_integer(binding, "binding", 0, NUM_MOTOR_BINDINGS - 1), "auto": auto}


def _limits(limits) -> list[float] | None:
    if limits is None:
        return None
    low, high = check_vec2(limits, "limits")
    if low > high:
        raise EditError(f"limits: need lower <= upper (got {low} > {high})")
    return [low, high]


def add_joint(doc: dict, a, b, anchor, type="revolute", motor_on=True, speed=1.0, power=1.0, binding=0,
              auto=False, limits=None) -> dict:
    """Join shapes ``a`` and ``b`` at world point ``anchor``: a ``"revolute"`` pin (motor on by
    default, ``speed``/``power`` in Kinetix units, ``binding`` 0..3, ``limits`` [rad] on the relative
    rotation or ``None``) or a ``"fixed"`` weld.  The rest angle is the shapes' current relative angle."""
    if type not in JOINT_TYPES:
        raise EditError(f"type: expected 'revolute' or 'fixed', got {type!r}")
    shape_a, shape_b = find_shape(doc, a), find_shape(doc, b)
    if a == b:
        raise EditError(f"a joint needs two different shapes (got {a} twice)")
    capacity = static_of(doc["size"]).num_joints
    if len(doc["joints"]) >= capacity:
        raise EditError(f"no free joint slot: the level's size allows {capacity} joints")
    point = check_vec2(anchor, "anchor")
    joint = {"a": a, "b": b, "type": type, "anchor_a": to_local(shape_a, point), "anchor_b": to_local(shape_b, point),
             "reference_angle": float(shape_b.get("rotation", 0.0) - shape_a.get("rotation", 0.0))}
    if type == "revolute":
        joint["motor"] = _motor(motor_on, speed, power, binding, auto)
        if _limits(limits) is not None:
            joint["limits"] = _limits(limits)
    new = copy.deepcopy(doc)
    new["joints"].append(joint)
    return new


def set_joint(doc: dict, index, **changes) -> dict:
    """Change joint ``index``: ``type``, ``motor_on``, ``speed``, ``power``, ``binding``, ``auto``,
    ``limits`` ([lower, upper] in radians, or ``None`` for none)."""
    index = check_index(doc["joints"], index, "joint")
    known = ("type", "motor_on", "speed", "power", "binding", "auto", "limits")
    for key in changes:
        if key not in known:
            raise EditError(f"unknown joint property {key!r}; expected one of {', '.join(known)}")
    new = copy.deepcopy(doc)
    joint = new["joints"][index]
    kind = changes.get("type", joint["type"])
    if kind not in JOINT_TYPES:
        raise EditError(f"type: expected 'revolute' or 'fixed', got {kind!r}")
    joint["type"] = kind
    if kind == "fixed":
        if set(changes) - {"type"}:
            raise EditError(f"a fixed joint has no motor or limits (joint {index})")
        joint.pop("motor", None)
        joint.pop("limits", None)
        return new
    motor = {**_motor(), **joint.get("motor", {})}
    names = {"motor_on": "on", "speed": "speed", "power": "power", "binding": "binding", "auto": "auto"}
    motor.update({names[k]: v for k, v in changes.items() if k in names})
    joint["motor"] = _motor(**motor)
    if "limits" in changes:
        limits = _limits(changes["limits"])
        if limits is None:
            joint.pop("limits", None)
        else:
            joint["limits"] = limits
    return new


def delete_joint(doc: dict, index) -> dict:
    """Remove joint ``index`` (later joints move up one)."""
    index = check_index(doc["joints"], index, "joint")
    new = copy.deepcopy(doc)
    del new["joints"][index]
    return new


def add_thruster(doc: dict, shape, anchor, direction=math.pi / 2, power=1.0, binding=0) -> dict:
    """A thruster on ``shape`` at world point ``anchor`` pushing along world angle ``direction``
    [rad] (default straight up) with ``power`` (force ``10 * power`` N at full throttle), ``binding`` 0..1."""
    target = find_shape(doc, shape)
    capacity = static_of(doc["size"]).num_thrusters
    if len(doc["thrusters"]) >= capacity:
        raise EditError(f"no free thruster slot: the level's size allows {capacity} thrusters")
    thruster = {"shape": shape, "anchor": to_local(target, check_vec2(anchor, "anchor")),
                "angle": check_number(direction, "direction") - target.get("rotation", 0.0),
                "power": check_number(power, "power", 0.0, 100.0),
                "binding": check_integer(binding, "binding", 0, NUM_THRUSTER_BINDINGS - 1)}
    new = copy.deepcopy(doc)
    new["thrusters"].append(thruster)
    return new


def set_thruster(doc: dict, index, direction=None, power=None, binding=None) -> dict:
    """Change thruster ``index``: world ``direction`` [rad], ``power``, ``binding``."""
    index = check_index(doc["thrusters"], index, "thruster")
    new = copy.deepcopy(doc)
    thruster = new["thrusters"][index]
    if direction is not None:
        rotation = find_shape(doc, thruster["shape"]).get("rotation", 0.0)
        thruster["angle"] = check_number(direction, "direction") - rotation
    if power is not None:
        thruster["power"] = check_number(power, "power", 0.0, 100.0)
    if binding is not None:
        thruster["binding"] = check_integer(binding, "binding", 0, NUM_THRUSTER_BINDINGS - 1)
    return new


def delete_thruster(doc: dict, index) -> dict:
    """Remove thruster ``index`` (later thrusters move up one)."""
    index = check_index(doc["thrusters"], index, "thruster")
    new = copy.deepcopy(doc)
    del new["thrusters"][index]
    return new
