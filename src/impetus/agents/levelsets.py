"""Named level sets: resolve a spec string to stacked levels with names and groups.

A spec is a comma-separated list of items, each one of:

* a library level name (``s/thrust_right``), a library pattern (``s/*``, ``m/car_*``), a whole
  size (``library:s``), the whole library (``library``) or a group (``group:car``,
  ``group:m/arm``); see ``impetus.levels.library`` and ``impetus levels list``;
* ``bundled``: an older name of ``library:s`` (``eval_levels.ALIASES``);
* ``example/<name>``: a level of ``impetus.env.examples.EXAMPLES``;
* a level file (``.json``, Impetus or Kinetix format), a folder (its ``*.json`` files, sorted)
  or a glob pattern (``levels/s/*.json``).

An item that is an existing file or folder is read as such; anything else shaped like a library
name or pattern (``<s|m|l>/...``) is looked up in the library.  A level's group is
``<size>/<group>`` for library levels (``s/thrust``), ``example`` for examples, and the parent
folder's name for files.  Every level is padded to the requested capacities.
"""

import dataclasses
import glob
from pathlib import Path

from ..engine import StaticSimParams
from ..levels import Level, LevelError, library, load_level, pad, stack
from .eval_levels import ALIASES


class LevelSetError(ValueError):
    """A level set spec that names nothing loadable (one-line message)."""


@dataclasses.dataclass(frozen=True)
class LevelSet:
    """Stacked levels (leading axis ``L``) with a name and a group per level."""

    levels: Level
    names: tuple[str, ...]
    groups: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.names)


def _library(spec: str) -> list[tuple[str, str, Level]]:
    try:
        found = library.resolve(spec)
        return [(name, f"{library.LIBRARY[name].size}/{library.LIBRARY[name].group}",
                 library.load_library_level(name)) for name in found]
    except (library.LibraryError, LevelError) as err:
        raise LevelSetError(str(err).splitlines()[0]) from None


def _is_library_spec(item: str) -> bool:
    if item == "library" or item.startswith(("library:", "group:")):
        return True
    return item[:2] in ("s/", "m/", "l/") and not Path(item).exists()


def _example(name: str) -> tuple[str, str, Level]:
    from ..env.examples import EXAMPLES

    if name not in EXAMPLES:
        raise LevelSetError(f"unknown example level {name!r}; expected one of {', '.join(EXAMPLES)}")
    return f"example/{name}", "example", EXAMPLES[name]()


def _files(item: str) -> list[Path]:
    path = Path(item)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise LevelSetError(f"{item}: folder has no .json level files")
        return files
    if path.is_file():
        return [path]
    matches = sorted(Path(p) for p in glob.glob(item) if Path(p).is_file())
    if not matches:
        raise LevelSetError(f"{item}: no such level, file, folder or glob match (library levels "
                            "look like s/thrust_right; see 'impetus levels list')")
    return matches


def _load_file(path: Path) -> tuple[str, str, Level]:
    try:
        level = load_level(path)
    except LevelError as err:
        raise LevelSetError(str(err).splitlines()[0]) from None
    return path.stem, path.parent.name or ".", level


def _items(spec: str) -> list[tuple[str, str, Level]]:
    out = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        item = ALIASES.get(item, item)
        if _is_library_spec(item):
            out += _library(item)
        elif item.startswith("example/"):
            out.append(_example(item.removeprefix("example/")))
        else:
            out += [_load_file(path) for path in _files(item)]
    if not out:
        raise LevelSetError(f"level set {spec!r} is empty")
    return out


def load_level_set(spec: str, static: StaticSimParams) -> LevelSet:
    """The levels of ``spec`` (module docstring), each padded to ``static``."""
    items = _items(spec)
    padded = []
    for name, _, level in items:
        try:
            padded.append(level if level.static == static else pad(level, static))
        except ValueError:
            raise LevelSetError(f"level {name!r} ({level.static}) does not fit the training size {static}; "
                                "choose a larger size") from None
    return LevelSet(stack(padded), tuple(n for n, _, _ in items), tuple(g for _, g, _ in items))
