"""The level library's registry: named builders with a size, group, difficulty and description.

A builder is a function ``() -> Level`` decorated with :func:`register`; its name is
``<size>/<short_name>`` where ``size`` is ``s``, ``m`` or ``l`` (the Kinetix capacities of
``engine.scenes.KINETIX_SIZES``).  Registering checks the name, difficulty and description;
the level itself is checked when built (tests, ``python -m impetus.levels.library.build``).
"""

import dataclasses
import difflib
import fnmatch
import re
from collections.abc import Callable

from ..level import Level

SIZES = ("s", "m", "l")
DIFFICULTIES = ("easy", "medium", "hard")
_NAME = re.compile(r"^(s|m|l)/[a-z][a-z0-9_]*$")


class LibraryError(ValueError):
    """An unknown library name or pattern, or a malformed registration (one-line message)."""


@dataclasses.dataclass(frozen=True)
class LibraryEntry:
    """One library level.

    Attributes:
        name: ``<size>/<short_name>``, e.g. ``"s/thrust_right"``.
        group: the kind of task (``"thrust"``, ``"car"``, ``"arm"``, ...).
        difficulty: ``"easy"``, ``"medium"`` or ``"hard"``.
        description: one line saying what the agent must do.
        builder: ``() -> Level`` (deterministic; the bundled data file is its output).
        no_solution: why the level has no recorded open-loop solution (``None``: it has one).
    """

    name: str
    group: str
    difficulty: str
    description: str
    builder: Callable[[], Level]
    no_solution: str | None = None

    @property
    def size(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def short_name(self) -> str:
        return self.name.split("/", 1)[1]


#: name -> entry, in registration order (the builder modules are imported by the package).
LIBRARY: dict[str, LibraryEntry] = {}


def register(name: str, group: str, difficulty: str, description: str, no_solution: str | None = None):
    """Decorator adding ``builder`` to :data:`LIBRARY` under ``name`` (see :class:`LibraryEntry`)."""
    problems = []
    if not _NAME.match(name):
        problems.append(f"name must look like 's/short_name' (size s, m or l; lower case), got {name!r}")
    if name in LIBRARY:
        problems.append(f"{name!r} is registered twice")
    if difficulty not in DIFFICULTIES:
        problems.append(f"difficulty must be one of {', '.join(DIFFICULTIES)}, got {difficulty!r}")
    if not group or not description or "\n" in description:
        problems.append("group and a one-line description are required")
    if problems:
        raise LibraryError(f"register {name!r}: {'; '.join(problems)}")

    def decorate(builder: Callable[[], Level]) -> Callable[[], Level]:
        LIBRARY[name] = LibraryEntry(name, group, difficulty, description, builder, no_solution)
        return builder

    return decorate


def entry(name: str) -> LibraryEntry:
    """The entry of ``name``; :class:`LibraryError` naming close matches if unknown."""
    if name in LIBRARY:
        return LIBRARY[name]
    close = difflib.get_close_matches(name, list(LIBRARY), n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see 'impetus levels list'"
    raise LibraryError(f"unknown library level {name!r}{hint}")


def names(pattern: str | None = None) -> list[str]:
    """Library names matching ``pattern`` (shell-style, e.g. ``"s/*"``, ``"*/car_*"``), sorted by
    size then registration order; all names when ``pattern`` is ``None``."""
    ordered = sorted(LIBRARY, key=lambda n: SIZES.index(n[0]))  # stable: keeps registration order
    return ordered if pattern is None else [n for n in ordered if fnmatch.fnmatchcase(n, pattern)]


def groups(size: str | None = None) -> dict[str, list[str]]:
    """Group -> library names (of one size when ``size`` is given), in :func:`names` order."""
    out: dict[str, list[str]] = {}
    for n in names(None if size is None else f"{size}/*"):
        out.setdefault(LIBRARY[n].group, []).append(n)
    return out


def resolve(spec: str) -> list[str]:
    """Library names of one spec item: a name (``s/thrust_right``), a pattern (``s/*``),
    ``library`` (all), ``library:<size>`` or ``group:<group>`` (every size) / ``group:<size>/<group>``.
    :class:`LibraryError` when it names nothing."""
    if spec == "library":
        found = names()
    elif spec.startswith("library:"):
        size = spec.removeprefix("library:")
        if size not in SIZES:
            raise LibraryError(f"{spec!r}: expected library:s, library:m or library:l")
        found = names(f"{size}/*")
    elif spec.startswith("group:"):
        group = spec.removeprefix("group:")
        size, _, group = group.rpartition("/")
        found = [n for n in names(f"{size}/*" if size else None) if LIBRARY[n].group == group]
    elif any(c in spec for c in "*?["):
        found = names(spec)
    else:
        found = [entry(spec).name]
    if not found:
        raise LibraryError(f"{spec!r} matches no library level; see 'impetus levels list'")
    return found
