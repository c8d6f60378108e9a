"""Write the library's level files from their builders: ``python -m impetus.levels.library.build``.

    python -m impetus.levels.library.build              write every level's data/<size>/<name>.json
    python -m impetus.levels.library.build 's/*'        only the names matching the patterns
    python -m impetus.levels.library.build --check      write nothing; exit 1 if a file is missing,
                                                        differs from its builder, or is stale

A stale file is a level or solution file under ``data/`` without a registered builder
(``--prune`` deletes them).  Solutions are written by the planner (``impetus levels solve``).
"""

import argparse
import sys
from pathlib import Path

from ..format import dumps
from ..validate import LevelError
from . import DATA_DIR, LIBRARY, build_library_level, level_path, resolve


def expected_text(name: str) -> str:
    """The level file text that the builder of ``name`` gives now (validated on the way)."""
    try:
        return dumps(build_library_level(name))
    except LevelError as err:
        raise LevelError(f"{name}: the builder makes an invalid level: {err.first}") from None


def stale_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Level and solution files under ``data_dir`` whose level is not in the registry."""
    out = []
    for path in sorted(data_dir.glob("*/*.json")):
        stem = path.name.removesuffix(".json").removesuffix(".solution")
        if f"{path.parent.name}/{stem}" not in LIBRARY:
            out.append(path)
    return out


def drift(selected: list[str]) -> list[str]:
    """One line per selected level whose file is missing or differs from its builder."""
    problems = []
    for name in selected:
        path = level_path(name)
        if not path.is_file():
            problems.append(f"{name}: missing {path}")
        elif path.read_text(encoding="utf-8") != expected_text(name):
            problems.append(f"{name}: {path} differs from its builder")
    return problems


def write(selected: list[str]) -> list[Path]:
    """Write the files of ``selected`` that changed; returns the paths written."""
    written = []
    for name in selected:
        path, text = level_path(name), expected_text(name)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m impetus.levels.library.build", description=__doc__.split("\n")[0])
    parser.add_argument("patterns", nargs="*", help="names or patterns (default: the whole library)")
    parser.add_argument("--check", action="store_true", help="only report missing, differing and stale files")
    parser.add_argument("--prune", action="store_true", help="delete stale files")
    args = parser.parse_args(argv)
    try:
        selected = list(dict.fromkeys(n for p in args.patterns or ["library"] for n in resolve(p)))
        if args.check:
            problems = drift(selected) + [f"stale: {p}" for p in stale_files()]
            print("\n".join(problems) or f"ok: {len(selected)} level files match their builders")
            return 1 if problems else 0
        for path in write(selected):
            print(f"wrote {path}")
    except (LevelError, ValueError) as err:
        print(f"error: {str(err).splitlines()[0]}", file=sys.stderr)
        return 2
    for path in stale_files():
        if args.prune:
            path.unlink()
        print(f"{'deleted' if args.prune else 'stale (use --prune)'}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
