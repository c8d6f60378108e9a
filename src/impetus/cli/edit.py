"""``impetus edit [LEVEL] [--port P] [--no-browser] [--dir DIR] [--size s|m|l] [--checkpoint RUN]``.

Starts the local web editor (``impetus.editor``) on http://127.0.0.1:P/, prints the URL and opens
it in a browser.  Files are read and written only inside DIR (default: LEVEL's folder, else the
current folder).  LEVEL may be a file of either format, or a new file name: the editor then
starts from an empty level of ``--size`` that saves to that name.  With ``--checkpoint`` (a run or
checkpoint folder of ``impetus train``) play mode can let the trained agent play instead of the keys.
"""

from pathlib import Path

from .args import CLIError, size


def register(sub) -> None:
    p = sub.add_parser("edit", help="the level editor in a browser, with play mode on the real engine")
    p.add_argument("level", type=Path, nargs="?", metavar="LEVEL", help="level file to open (or create) inside DIR")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0 picks a free one)")
    p.add_argument("--no-browser", action="store_true", help="only print the URL")
    p.add_argument("--dir", type=Path, default=None, help="folder the editor may read and write (default: LEVEL's)")
    p.add_argument("--size", type=size, default="s", help="size of a new level: s, m or l")
    p.add_argument("--checkpoint", type=Path, default=None, metavar="RUN",
                   help="run or checkpoint folder whose agent can play the level")
    p.set_defaults(func=_main)


def locate(level: Path | None, folder: Path | None) -> tuple[Path, str | None]:
    """(the editor's folder, LEVEL relative to it) with one-line errors for bad arguments."""
    root = (folder if folder is not None else (level.parent if level is not None else Path("."))).resolve()
    if not root.is_dir():
        raise CLIError(f"{folder}: no such folder")
    if level is None:
        return root, None
    path = level.resolve() if level.is_absolute() or folder is None else (root / level).resolve()
    if not path.is_relative_to(root):
        raise CLIError(f"{level}: not inside the editor's folder {root}")
    if path.suffix != ".json":
        raise CLIError(f"{level}: level files end in .json")
    if path.is_dir():
        raise CLIError(f"{level}: is a folder")
    return root, path.relative_to(root).as_posix()


def _main(args, console) -> int:
    if not 0 <= args.port <= 65535:
        raise CLIError(f"--port: must be in 0..65535 (got {args.port})")
    root, relative = locate(args.level, args.dir)
    from ..agents.checkpoint import CheckpointError
    from ..editor.files import FileError
    from ..editor.serve import serve
    from ..editor.server import create_app
    from ..levels import LevelError
    from .jaxsetup import enable_compilation_cache

    enable_compilation_cache()  # play mode compiles once per level size, then loads from disk
    try:
        app = create_app(root, relative, args.size, checkpoint=args.checkpoint)
    except (LevelError, FileError, CheckpointError) as err:
        raise CLIError(err.first if isinstance(err, LevelError) else str(err)) from None

    def announce(url):
        print(f"Impetus level editor: {url}  (folder {root}; Ctrl-C stops)", flush=True)

    try:
        serve(app, args.port, not args.no_browser, announce)
    except OSError as err:
        raise CLIError(f"--port {args.port}: cannot listen on 127.0.0.1:{args.port}: {err.strerror or err}") from None
    return 0
