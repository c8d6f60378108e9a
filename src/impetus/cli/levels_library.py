"""``impetus levels list`` and ``impetus levels solve``: the hand-designed level library.

    impetus levels list [--size s] [--group car]     name, group, difficulty, solution, description
    impetus levels solve NAME|PATTERN... [--write]   search open-loop solutions (CEM) and replay them
    impetus levels replay NAME [-o out.gif]          replay a recorded solution (and draw it)

``impetus levels show NAME`` (in ``levels``) draws a library level.  ``solve --write`` stores each
solution found beside its level file (``impetus.levels.library.solutions``).
"""

from pathlib import Path

from .args import CLIError, positive, size


def register(levels_subparsers) -> None:
    """Add ``list`` and ``solve`` to the ``impetus levels`` subcommands."""
    p = levels_subparsers.add_parser("list", help="the hand-designed level library (names, groups, descriptions)")
    p.add_argument("--size", type=size, default=None, help="only this size (s, m or l)")
    p.add_argument("--group", default=None, help="only this group")
    p.set_defaults(func=_list)
    q = levels_subparsers.add_parser("solve", help="search open-loop solutions of library levels (CEM)")
    q.add_argument("patterns", nargs="+", metavar="NAME", help="library names or patterns (s/thrust_up, m/*)")
    q.add_argument("--write", action="store_true", help="store the solutions found beside the level files")
    q.add_argument("--population", type=positive, default=256, help="sequences per CEM iteration")
    q.add_argument("--iterations", type=positive, default=6, help="CEM iterations per segment count")
    q.add_argument("--max-segments", type=positive, default=64, help="finest cut of the episode into held actions")
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--missing", action="store_true", help="skip levels that already have a solution")
    q.set_defaults(func=_solve)
    r = levels_subparsers.add_parser("replay", help="replay the recorded solution of a library level")
    r.add_argument("name", metavar="NAME")
    r.add_argument("-o", "--out", type=Path, default=None, help="also write a GIF/MP4 of the episode")
    r.add_argument("--pixels", type=positive, default=250, help="frame width and height [px]")
    r.add_argument("--fps", type=positive, default=30)
    r.set_defaults(func=_replay)


def _entries(size_name, group):
    from ..levels import library

    entries = [library.LIBRARY[n] for n in library.names(None if size_name is None else f"{size_name}/*")]
    return [e for e in entries if group is None or e.group == group]


def _list(args, console) -> int:
    from rich.table import Table

    from ..levels import library

    entries = _entries(args.size, args.group)
    if not entries:
        raise CLIError(f"no library level of size {args.size or 'any'} in group {args.group or 'any'}")
    table = Table(title=f"Impetus level library: {len(entries)} levels")
    for column in ("name", "group", "difficulty", "solution", "description"):
        table.add_column(column, overflow="fold")
    for e in entries:
        solved = "yes" if library.solution_path(e.name).is_file() else f"no: {e.no_solution}" if e.no_solution else "no"
        table.add_row(e.name, e.group, e.difficulty, solved, e.description)
    console.print(table)
    groups = library.groups(args.size)
    console.print("groups: " + ", ".join(f"{g} ({len(v)})" for g, v in groups.items()), highlight=False)
    return 0


def _solve(args, console) -> int:
    import time

    from ..agents.planner import PlanConfig, solve
    from ..levels import library
    from .jaxsetup import enable_compilation_cache

    enable_compilation_cache()
    try:
        selected = list(dict.fromkeys(n for p in args.patterns for n in library.resolve(p)))
    except library.LibraryError as err:
        raise CLIError(str(err)) from None
    config = PlanConfig(population=args.population, iterations=args.iterations, max_segments=args.max_segments,
                        seed=args.seed)
    failed = 0
    for name in selected:
        if args.missing and library.solution_path(name).is_file():
            continue
        start = time.perf_counter()
        solution = solve(library.load_library_level(name), name, config)
        took = time.perf_counter() - start
        if solution is None:
            failed += 1
            console.print(f"{name}: no solution found ({took:.0f} s)", markup=False, highlight=False,
                          soft_wrap=True)
            continue
        where = f", wrote {library.save_solution(solution)}" if args.write else ""
        console.print(f"{name}: goal after {solution.steps} steps ({took:.0f} s){where}", markup=False,
                      highlight=False, soft_wrap=True)
    return 1 if failed else 0


def _replay(args, console) -> int:
    from ..agents.planner import episode_frames, replay
    from ..levels import library
    from ..render.video import FORMATS, VideoError, write_video

    try:
        name = library.entry(args.name).name
        level, solution = library.load_library_level(name), library.load_solution(name)
    except library.LibraryError as err:
        raise CLIError(str(err)) from None
    if solution is None:
        raise CLIError(f"{name}: no recorded solution ({library.LIBRARY[name].no_solution or 'none yet'})")
    outcome = replay(level, solution)
    result = "goal" if outcome.goal[0] else "death" if outcome.death[0] else "timeout"
    console.print(f"{name}: {result} after {int(outcome.step[0])} steps (recorded: goal after {solution.steps})",
                  markup=False, highlight=False, soft_wrap=True)
    if args.out is not None:
        if args.out.suffix.lower() not in FORMATS:
            raise CLIError(f"{args.out}: unsupported video format; use .gif or .mp4")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        try:
            count = write_video(episode_frames(level, solution.actions, solution.frame_skip, args.pixels), args.out,
                                args.fps)
        except VideoError as err:
            raise CLIError(str(err)) from None
        console.print(f"wrote {args.out} ({count} frames)", markup=False, highlight=False, soft_wrap=True)
    return 0 if outcome.goal[0] and int(outcome.step[0]) == solution.steps else 1
