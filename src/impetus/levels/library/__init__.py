"""The hand-designed level library: named tasks in S, M and L with recorded solutions.

Every level is built in code (``s_levels``, ``m_levels``, ``l_levels*``: readable builders on
:class:`~impetus.levels.sketch.LevelSketch`) and bundled as package data, written from those
builders by ``python -m impetus.levels.library.build``::

    data/<size>/<short_name>.json            the level (Impetus level format)
    data/<size>/<short_name>.solution.json   an open-loop action sequence that reaches the goal
                                             (``solutions``), when a person can solve the level

Usage::

    from impetus.levels.library import LIBRARY, names, groups, load_library_level, load_solution
    names("s/*")                     # ['s/thrust_right', ...]
    groups("m")                      # {'car': ['m/car_right', ...], ...}
    level = load_library_level("s/thrust_right")      # a Level in the S capacities
    solution = load_solution("s/thrust_right")        # Solution (or None), see ``solutions``

Names are ``<size>/<short_name>``; each entry has a group (kind of task), a difficulty
(``easy``, ``medium``, ``hard``) and a one-line description (``LibraryEntry``).  ``resolve``
turns a spec (a name, a pattern such as ``s/*``, ``library:m``, ``group:car``) into names.
"""

import importlib
import pkgutil
from pathlib import Path

from ..io import load_level, parse_json, read_document
from ..level import Level
from ..validate import LevelError
from .registry import (
    DIFFICULTIES,
    LIBRARY,
    SIZES,
    LibraryEntry,
    LibraryError,
    entry,
    groups,
    names,
    register,
    resolve,
)
from .solutions import Solution, solution_from_document

#: the bundled level and solution files
DATA_DIR = Path(__file__).resolve().parent / "data"

# every ``<size>_levels*`` module of this package (s_levels, m_levels, l_levels, l_levels_2, ...)
# registers its builders on import
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name[:8] in ("s_levels", "m_levels",
                                                                                       "l_levels")):
    importlib.import_module(f"{__name__}.{_module}")


def level_path(name: str) -> Path:
    """The bundled level file of library level ``name``."""
    return DATA_DIR / f"{entry(name).name}.json"


def solution_path(name: str) -> Path:
    """Where the recorded solution of ``name`` is (or would be) stored."""
    return DATA_DIR / f"{entry(name).name}.solution.json"


def load_library_level(name: str) -> Level:
    """The bundled :class:`Level` of library level ``name`` (read from its data file)."""
    path = level_path(name)
    if not path.is_file():
        raise LibraryError(f"{name}: no bundled level file {path}; run 'python -m impetus.levels.library.build'")
    return load_level(path)


def build_library_level(name: str) -> Level:
    """The :class:`Level` of ``name`` straight from its builder (what the data file must hold)."""
    return entry(name).builder()


def load_solution(name: str) -> Solution | None:
    """The recorded :class:`Solution` of ``name``, or ``None`` when it has none."""
    path = solution_path(name)
    if not path.is_file():
        return None
    solution = solution_from_document(read_document(path), str(path))
    if solution.level != name:
        raise LevelError(f"{path}: $.level: {solution.level!r} does not match the file's level {name!r}")
    return solution


def save_solution(solution: Solution) -> Path:
    """Write ``solution`` beside its level's data file; returns the path."""
    path = solution_path(solution.level)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = solution.dumps()
    solution_from_document(parse_json(text, str(path)), str(path))  # round-trips
    path.write_text(text, encoding="utf-8")
    return path


__all__ = ["DATA_DIR", "DIFFICULTIES", "LIBRARY", "SIZES", "LibraryEntry", "LibraryError", "Solution",
           "build_library_level", "entry", "groups", "level_path", "load_library_level", "load_solution", "names",
           "register", "resolve", "save_solution", "solution_path"]
