"""Reading and writing level files in either format (recognised by their keys).

* ``load_level(path, static=None)``: an Impetus file (``schema_version``) or a Kinetix file
  (``env_state``, ``env_params``, ``static_env_params``); padded to ``static`` if given.
* ``load_levels(paths, static=None)``: several files stacked into one batched ``Level``, padded
  to the elementwise maximum capacity (or to ``static``).
* ``save_level(level, path, format="impetus")``: ``"impetus"`` or ``"kinetix"``; the level is
  validated first and the file is replaced atomically.

Every failure (unreadable file, bad JSON, invalid level, level too big for ``static``) raises
:class:`LevelError` with one self-contained line per problem, starting with the file name.
"""

import dataclasses
import json
import os
import tempfile
from pathlib import Path

from ..engine import StaticSimParams
from .format import dumps, from_document
from .kinetix import dumps_kinetix, from_kinetix, is_kinetix
from .level import Level, pad, stack
from .validate import LevelError

FORMATS = ("impetus", "kinetix")
_CAPACITIES = ("num_polygons", "num_circles", "num_joints", "num_thrusters", "max_polygon_vertices")


def parse_json(text: str, source: str):
    """The JSON document in ``text``; bad syntax gives ``source:line:col: invalid JSON: ...``."""
    duplicates: list[str] = []

    def pairs(items):
        seen = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        doc = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        raise LevelError(f"{source}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None
    except RecursionError:
        raise LevelError(f"{source}: invalid JSON: nested too deeply") from None
    except ValueError as err:  # e.g. an integer literal beyond Python's digit limit
        raise LevelError(f"{source}: invalid JSON: {err}") from None
    if duplicates:
        raise LevelError([f"{source}: duplicate key {key!r} in an object" for key in duplicates])
    return doc


def read_document(path) -> dict:
    """The parsed JSON of the file at ``path`` (:class:`LevelError` if unreadable or not JSON)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise LevelError(f"{path}: cannot read: {reason}") from None
    return parse_json(text, str(path))


def detect(doc, source: str) -> str:
    """``"impetus"`` or ``"kinetix"`` from a document's top-level keys."""
    if is_kinetix(doc):
        return "kinetix"
    if isinstance(doc, dict) and "schema_version" in doc:
        return "impetus"
    raise LevelError(f"{source}: $: not a level file: expected an Impetus level (with 'schema_version') or a "
                     f"Kinetix level (with 'env_state', 'env_params', 'static_env_params')")


def level_from_document(doc, source: str = "<level>") -> Level:
    """The :class:`Level` of a parsed document of either format."""
    return (from_kinetix if detect(doc, source) == "kinetix" else from_document)(doc, source)


def load_level(path, static: StaticSimParams | None = None) -> Level:
    """The level in the file at ``path`` (either format), padded to ``static`` if given."""
    level = level_from_document(read_document(path), str(path))
    return level if static is None else _pad(level, static, str(path))


def _pad(level: Level, static: StaticSimParams, source: str) -> Level:
    if level.static == static:
        return level
    try:
        return pad(level, static)
    except ValueError:
        raise LevelError(f"{source}: the level's size ({_size_text(level.static)}) does not fit into "
                         f"{_size_text(static)}") from None


def _size_text(static: StaticSimParams) -> str:
    return ", ".join(f"{k}={getattr(static, k)}" for k in (*_CAPACITIES, "num_static_polygons"))


def load_levels(paths, static: StaticSimParams | None = None) -> Level:
    """The levels in ``paths`` stacked along a new leading axis.

    They are padded to ``static``, or to the elementwise maximum of their capacities; all must
    share ``num_static_polygons`` and ``num_substeps``.  Problems of every file are reported."""
    levels, problems = [], []
    for path in paths:
        try:
            levels.append((str(path), load_level(path)))
        except LevelError as err:
            problems += err.problems
    if problems:
        raise LevelError(problems)
    if not levels:
        raise LevelError("load_levels: no level files given")
    if static is None:
        static = _common_static(levels)
    return stack([_pad(level, static, source) for source, level in levels])


def _common_static(levels: list[tuple[str, Level]]) -> StaticSimParams:
    first_source, first = levels[0]
    for source, level in levels[1:]:
        for key in ("num_static_polygons", "num_substeps"):
            if getattr(level.static, key) != getattr(first.static, key):
                raise LevelError(f"{source}: {key} is {getattr(level.static, key)} but {first_source} has "
                                 f"{getattr(first.static, key)}; levels of a batch must agree")
    biggest = {k: max(getattr(lv.static, k) for _, lv in levels) for k in _CAPACITIES}
    return dataclasses.replace(first.static, **biggest)


def save_level(level: Level, path, format: str = "impetus") -> None:
    """Write ``level`` to ``path`` as ``format`` (``"impetus"`` or ``"kinetix"``), atomically."""
    if format not in FORMATS:
        raise LevelError(f"{path}: unknown format {format!r}; expected 'impetus' or 'kinetix'")
    try:
        text = dumps(level) if format == "impetus" else dumps_kinetix(level)
    except LevelError as err:
        raise LevelError([f"{path}: cannot save: {p}" for p in err.problems]) from None
    _write(Path(path), text)


def _write(path: Path, text: str) -> None:
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as err:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise LevelError(f"{path}: cannot write: {err.strerror or err}") from None
