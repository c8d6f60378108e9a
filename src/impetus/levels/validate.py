"""Level validation: every problem is one self-contained line ``FILE: JSON-PATH: what is wrong``.

Two stages, shared by both file formats:

* *structure* (while parsing, :class:`Reader`): missing fields, wrong types, unknown keys (with a
  "did you mean" hint), bad enumerations;
* *values* (:func:`check_records`, on the parsed records): NaN/inf, polygons that are degenerate,
  clockwise or non-convex, non-positive radius or density, bad roles, collision modes and
  bindings, joints and thrusters on missing shapes, joints to themselves, capacities exceeded.

Problems are collected, never raised one at a time: :class:`LevelError` carries all of them
(``problems``), one per line, the first line first.  No ``Level`` is built from a file with a
problem.  :func:`check_level` applies the value checks to a ``Level`` made in code.
"""

import difflib
import math

import numpy as np

from ..engine import StaticSimParams
from ._records import LevelRec, disassemble, global_index, parse_ref
from .level import Level

#: Action channels of the Kinetix action space (a joint's motor binding / a thruster's binding).
NUM_MOTOR_BINDINGS, NUM_THRUSTER_BINDINGS = 4, 2
#: Shape roles by name (file format) and number (``Level.shape.role``).
ROLE_NAMES = ("neutral", "green", "blue", "red")
#: Largest capacity or episode length a file may ask for (guards memory and int32).
MAX_CAPACITY, MAX_TIMESTEPS = 4096, 2**31 - 1
MISSING = object()


class LevelError(ValueError):
    """An invalid level file or level.  ``str(err)`` is one line per problem; the first stands alone."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))

    @property
    def first(self) -> str:
        """The first problem, with a count of the others (one line)."""
        more = len(self.problems) - 1
        return self.problems[0] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")


def f32(x: float) -> float:
    """``x`` rounded to float32, as a Python float (inf beyond the float32 range, no warning)."""
    try:
        x = float(x)
    except OverflowError:  # a JSON integer beyond the float range
        return math.inf if x > 0 else -math.inf
    with np.errstate(over="ignore"):
        return float(np.float32(x))


class Reader:
    """Collects problems of one source (a file name) and reads typed JSON fields."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        line = f"{self.source}: {path}: {message}"
        if line not in self.problems:
            self.problems.append(line)

    def raise_if_any(self) -> None:
        if self.problems:
            raise LevelError(self.problems)

    def obj(self, value, path: str, required=(), optional=()) -> dict | None:
        """``value`` if it is an object; reports missing required keys and unknown keys."""
        if not isinstance(value, dict):
            self.add(path, f"expected an object, got {_kind(value)}")
            return None
        for key in required:
            if key not in value:
                self.add(f"{path}.{key}", "missing field")
        known = list(required) + list(optional)
        for key in value:
            if key not in known:
                hint = difflib.get_close_matches(str(key), known, n=1)
                self.add(f"{path}.{key}", f"unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else ""))
        return value

    def get(self, d: dict, key: str, path: str, kind: str, default=MISSING):
        """``d[key]`` read as ``kind`` (number, integer, boolean, string, vec2, list); ``None`` if bad.

        Numbers are rounded to float32.  A missing key gives ``default`` (required if none)."""
        if key not in d:
            if default is MISSING:
                self.add(f"{path}.{key}", "missing field")
                return None
            return default
        return self.value(d[key], f"{path}.{key}", kind)

    def value(self, v, path: str, kind: str):
        ok = {"number": _is_number(v), "integer": isinstance(v, int) and not isinstance(v, bool),
              "boolean": isinstance(v, bool), "string": isinstance(v, str), "list": isinstance(v, list),
              "vec2": isinstance(v, list) and len(v) == 2 and all(map(_is_number, v))}[kind]
        if not ok:
            want = {"vec2": "a list of 2 numbers", "integer": "an integer", "list": "a list"}.get(kind, f"a {kind}")
            self.add(path, f"expected {want}, got {_kind(v)}")
            return None
        if kind == "number":
            return f32(v)
        return (f32(v[0]), f32(v[1])) if kind == "vec2" else v


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _kind(v) -> str:
    if v is None:
        return "null"
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
             dict: "an object"}
    text = repr(v) if isinstance(v, bool | int | float | str) else ""
    return names.get(type(v), type(v).__name__) + (f" ({text[:40]})" if text else "")


# ---------------------------------------------------------------------------------------------- geometry
def make_static(r: Reader, path: str, values: dict, keys: dict | None = None) -> StaticSimParams | None:
    """``StaticSimParams(**values)``, or ``None`` with the problems reported (``keys``: file key names)."""
    bad = False
    for name, value in values.items():
        if value > MAX_CAPACITY:
            r.add(f"{path}.{(keys or {}).get(name, name)}", f"must be at most {MAX_CAPACITY} (got {value})")
            bad = True
    if bad:
        return None
    try:
        return StaticSimParams(**values)
    except ValueError as err:
        r.add(path, str(err).split(" (got")[0].removeprefix("StaticSimParams: "))
        return None


def polygon_problem(vertices, max_vertices: int, clockwise: bool = False) -> str | None:
    """What is wrong with a polygon's vertex list, or ``None``.

    Expects a strictly convex polygon of 3..``max_vertices`` finite vertices listed
    counter-clockwise (``clockwise=True``: clockwise, the Kinetix convention)."""
    v = np.asarray(vertices, dtype=np.float64).reshape(-1, 2)
    if not 3 <= len(v) <= max_vertices:
        return f"a polygon needs 3 to {max_vertices} vertices (max_polygon_vertices = {max_vertices}), got {len(v)}"
    if not np.all(np.isfinite(v)):
        return "vertices must be finite"
    edges = np.roll(v, -1, axis=0) - v
    if np.min(np.hypot(edges[:, 0], edges[:, 1])) < 1e-6:
        return "degenerate polygon: two consecutive vertices coincide"
    area2 = float(np.sum(v[:, 0] * np.roll(v[:, 1], -1) - np.roll(v[:, 0], -1) * v[:, 1]))
    scale = float(np.max(np.abs(v - v.mean(0)))) ** 2
    if abs(area2) <= 1e-9 * max(scale, 1e-12):
        return "degenerate polygon: zero area"
    if (area2 < 0) != clockwise:
        wrong, right = ("clockwise", "counter-clockwise") if not clockwise else ("counter-clockwise", "clockwise")
        return f"vertices are listed {wrong}; list them {right}"
    turns = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
    bad = np.nonzero((-turns if clockwise else turns) <= 1e-9 * max(scale, 1e-12))[0]
    if len(bad):
        return f"polygon is not strictly convex (at vertex {int(bad[0] + 1) % len(v)})"
    return None


# ---------------------------------------------------------------------------------------------- values
def _where(rec, field: str) -> str:
    return f"{rec.path}.{rec.names.get(field, field)}"


def _finite(r: Reader, rec, fields) -> bool:
    ok = True
    for field in fields:
        value = getattr(rec, field)
        if value is not None and not np.all(np.isfinite(np.asarray(value, dtype=np.float64))):
            r.add(_where(rec, field), f"must be finite (got {value})")
            ok = False
    return ok


def _check_range(r: Reader, rec, field: str, low, high=None, low_open=False) -> None:
    v = getattr(rec, field)
    if v < low or (low_open and v <= low) or (high is not None and v > high):
        bound = f"> {low}" if low_open else (f">= {low}" if high is None else f"in {low}..{high}")
        r.add(_where(rec, field), f"must be {bound} (got {v})")


def check_records(r: Reader, rec: LevelRec, clockwise: bool = False) -> None:
    """Report every value problem of ``rec`` to ``r`` (see the module docstring)."""
    static = rec.static
    if not all(map(math.isfinite, rec.gravity)):
        r.add(rec.paths.get("gravity", "gravity"), f"must be finite (got {list(rec.gravity)})")
    if not 1 <= rec.max_timesteps <= MAX_TIMESTEPS:
        r.add(rec.paths.get("max_timesteps", "max_timesteps"),
              f"must be in 1..{MAX_TIMESTEPS} (got {rec.max_timesteps})")
    present = _check_shapes(r, rec, clockwise)
    for what, items, cap in (("joints", rec.joints, static.num_joints),
                             ("thrusters", rec.thrusters, static.num_thrusters)):
        if len(items) > cap:
            r.add(rec.paths.get(what, what), f"{len(items)} active {what} but the size allows {cap} "
                                             f"(num_{what} = {cap})")
    for jr in rec.joints:
        _check_joint(r, jr, present, static)
    for tr in rec.thrusters:
        if _finite(r, tr, ("anchor", "angle", "power")):
            _check_range(r, tr, "power", 0.0)
        _check_ref(r, tr, "shape", present, static)
        if not 0 <= tr.binding < NUM_THRUSTER_BINDINGS:
            r.add(_where(tr, "binding"), f"thruster binding must be 0..{NUM_THRUSTER_BINDINGS - 1} (got {tr.binding})")


def _check_shapes(r: Reader, rec: LevelRec, clockwise: bool) -> set[str]:
    static, present = rec.static, set()
    for sh in rec.shapes:
        kind, slot = parse_ref(sh.ref)
        cap = static.num_polygons if kind == "p" else static.num_circles
        if slot >= cap:
            what = "num_polygons" if kind == "p" else "num_circles"
            r.add(_where(sh, "ref"), f"shape {sh.ref} is beyond the size ({what} = {cap})")
        elif sh.ref in present:
            r.add(_where(sh, "ref"), f"shape {sh.ref} is defined twice")
        present.add(sh.ref)
        _check_shape(r, sh, static, clockwise)
    return present


def _check_shape(r: Reader, sh, static: StaticSimParams, clockwise: bool) -> None:
    _finite(r, sh, ("position", "rotation", "velocity", "angular_velocity", "density", "friction", "restitution"))
    if sh.vertices is not None:
        verts = sh.vertices[::-1] if clockwise else sh.vertices  # records are counter-clockwise
        problem = polygon_problem(verts, static.max_polygon_vertices, clockwise)
        if problem:
            r.add(_where(sh, "vertices"), problem)
    elif not (math.isfinite(sh.radius) and sh.radius > 0):
        r.add(_where(sh, "radius"), f"radius must be a finite number > 0 (got {sh.radius})")
    if not sh.fixed and math.isfinite(sh.density) and not sh.density > 0:
        r.add(_where(sh, "density"), f"a movable shape needs density > 0 (got {sh.density})")
    if sh.friction < 0:
        r.add(_where(sh, "friction"), f"must be >= 0 (got {sh.friction})")
    if not 0 <= sh.restitution <= 1:
        r.add(_where(sh, "restitution"), f"must be in 0..1 (got {sh.restitution})")
    if sh.collision_mode not in (0, 1, 2):
        r.add(_where(sh, "collision_mode"), f"collision mode must be 0, 1 or 2 (got {sh.collision_mode})")
    if not 0 <= sh.role < len(ROLE_NAMES):
        r.add(_where(sh, "role"), f"role must be 0..3 (neutral, green, blue, red), got {sh.role}")
    kind, slot = parse_ref(sh.ref)
    if kind == "p" and slot < static.num_static_polygons and not sh.fixed:
        r.add(_where(sh, "fixed"), f"shape {sh.ref} is in a static slot (num_static_polygons = "
                                   f"{static.num_static_polygons}) and must be fixed")


def _check_ref(r: Reader, rec, field: str, present: set, static: StaticSimParams) -> bool:
    ref = getattr(rec, field)
    if ref in present:
        return True
    parsed = parse_ref(ref)
    if parsed is None:
        r.add(_where(rec, field), f"{ref!r} is not a shape reference")
    else:
        index = global_index(ref, static)
        r.add(_where(rec, field), f"refers to shape {ref} (global index {index}), which does not exist")
    return False


def _check_joint(r: Reader, jr, present: set, static: StaticSimParams) -> None:
    if _finite(r, jr, ("anchor_a", "anchor_b", "reference_angle", "motor_speed", "motor_power", "lower", "upper")):
        _check_range(r, jr, "motor_power", 0.0)
        if jr.has_limits and not jr.is_fixed and jr.lower > jr.upper:
            r.add(_where(jr, "lower"), f"joint limits need lower <= upper (got {jr.lower} > {jr.upper})")
    ok_a, ok_b = _check_ref(r, jr, "a", present, static), _check_ref(r, jr, "b", present, static)
    if ok_a and ok_b and jr.a == jr.b:
        r.add(_where(jr, "b"), f"a joint cannot connect shape {jr.a} to itself")
    if not 0 <= jr.motor_binding < NUM_MOTOR_BINDINGS:
        r.add(_where(jr, "motor_binding"),
              f"motor binding must be 0..{NUM_MOTOR_BINDINGS - 1} (got {jr.motor_binding})")


def check_level(level: Level, source: str = "level") -> list[str]:
    """Every problem of a ``Level`` made in code (empty list if none); paths name the slots."""
    if np.ndim(level.max_timesteps) != 0:
        return [f"{source}: expected one level, got a batch of shape {np.shape(level.max_timesteps)}"]
    rec = disassemble(level)
    for sh in rec.shapes:
        sh.path = f"shape {sh.ref}"
    for j, jr in enumerate(rec.joints):
        jr.path = f"joint {j}"
    for t, tr in enumerate(rec.thrusters):
        tr.path = f"thruster {t}"
    r = Reader(source)
    check_records(r, rec)
    return r.problems


def validate_level(level: Level, source: str = "level") -> Level:
    """``level`` if :func:`check_level` finds nothing, else raise :class:`LevelError`."""
    problems = check_level(level, source)
    if problems:
        raise LevelError(problems)
    return level
