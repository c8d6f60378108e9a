"""Level files inside the folder the editor was opened on, and nowhere else.

Paths come from the page as text relative to that folder (``"levels/car.json"``).  A path is
refused when it is absolute, contains ``..``, does not end in ``.json``, or resolves (following
symlinks) to a place outside the folder.  Reading accepts either format (recognised by its keys,
``levels.io``) and validates the level; writing validates first and replaces the file atomically
(temp file + rename, ``levels.save_level``), so a failed save never leaves a half-written file.
"""

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..levels import Level, LevelError, save_level
from ..levels.io import detect, level_from_document, read_document

MAX_FILE_BYTES = 20 * 2**20
MAX_LISTED = 1000
SKIPPED = {"node_modules", "__pycache__", "site-packages"}


class FileError(ValueError):
    """A path or file the editor refuses (one line)."""


def resolve(root: Path, relative, must_exist: bool = False) -> Path:
    """The file ``relative`` names inside ``root`` (see the module docstring for what is refused)."""
    if not isinstance(relative, str) or not relative.strip():
        raise FileError(f"path: expected a file name relative to the editor's folder, got {relative!r}")
    if "\0" in relative or PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).is_absolute() \
            or PureWindowsPath(relative).drive:
        raise FileError(f"{relative}: absolute paths are not allowed; give a path inside the editor's folder")
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if ".." in parts:
        raise FileError(f"{relative}: '..' is not allowed; files stay inside the editor's folder")
    if not relative.endswith(".json"):
        raise FileError(f"{relative}: level files end in .json")
    base = root.resolve()
    path = (base / Path(*parts)).resolve()
    if not path.is_relative_to(base):
        raise FileError(f"{relative}: leads outside the editor's folder (through a symlink)")
    if must_exist and not path.is_file():
        raise FileError(f"{relative}: no such file")
    return path


def list_files(root: Path, max_depth: int = 4) -> list[str]:
    """The ``.json`` files under ``root`` (at most ``max_depth`` folders down, not in hidden or
    ``node_modules``/``__pycache__`` folders, not leading outside), sorted; at most ``MAX_LISTED``."""
    base = root.resolve()
    found = []
    for folder, dirs, names in os.walk(base):
        depth = len(Path(folder).relative_to(base).parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED and depth < max_depth)
        for name in sorted(names):
            path = Path(folder) / name
            if name.endswith(".json") and not name.startswith(".") and path.resolve().is_relative_to(base):
                found.append(path.relative_to(base).as_posix())
        if len(found) >= MAX_LISTED:
            break
    return sorted(found[:MAX_LISTED])


def read(root: Path, relative) -> tuple[Level, str]:
    """(the level in file ``relative``, its format ``"impetus"`` or ``"kinetix"``); validated."""
    path = resolve(root, relative, must_exist=True)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FileError(f"{relative}: file too large for a level ({path.stat().st_size} bytes)")
    try:
        doc = read_document(path)
    except LevelError as err:  # name the file as the page does, not by its absolute path
        raise LevelError([p.replace(str(path), relative, 1) for p in err.problems]) from None
    try:
        return level_from_document(doc, relative), detect(doc, relative)
    except LevelError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as err:  # a reader bug must not kill the server
        raise FileError(f"{relative}: cannot read this level: {err}") from None


def write(root: Path, relative, level: Level, format: str = "impetus") -> Path:
    """Save ``level`` as ``format`` to ``relative`` inside ``root`` (validated, atomic)."""
    path = resolve(root, relative)
    if not path.parent.is_dir():
        raise FileError(f"{relative}: folder {path.parent.relative_to(root.resolve()).as_posix()!r} does not exist")
    if path.is_dir():
        raise FileError(f"{relative}: is a folder")
    try:
        save_level(level, path, format)
    except LevelError as err:
        raise FileError(str(err.first).replace(str(path), relative)) from None
    return path
