"""The hand-designed level library: registry, bundled data, validity, no-op and recorded solutions.

Replays are batched per size: the no-op sequence and the recorded solution of every level of a
size run in one vmapped call (one compile per size, shared through ``planner._rollout_fn``).
"""

import functools
import json

import jax
import numpy as np
import pytest

from impetus.agents.planner import replay_batch
from impetus.cli.main import main
from impetus.levels import LevelError, check_level, is_valid, library, stack
from impetus.levels.library import build
from impetus.levels.library.solutions import Solution, run_length_decode, run_length_encode, solution_from_document

#: the issue's minimum number of levels per size
MINIMUM = {"s": 10, "m": 12, "l": 18}
SIZES = [s for s in library.SIZES if library.names(f"{s}/*")]
STEP_TOLERANCE = 5  # env steps


@functools.cache
def levels_of(size: str):
    """(names, stacked bundled levels) of one size."""
    found = library.names(f"{size}/*")
    return found, stack([library.load_library_level(n) for n in found])


@functools.cache
def replays(size: str):
    """Outcomes of the no-op sequence (first half) and the recorded solutions (second half)."""
    found, levels = levels_of(size)
    solutions = [library.load_solution(n) for n in found]
    T = max(int(np.max(levels.max_timesteps)), *(s.steps for s in solutions if s))
    actions = np.zeros((2 * len(found), T, 6), np.int32)
    for i, s in enumerate(solutions):
        if s is not None:
            actions[len(found) + i, :s.steps] = s.actions
    both = jax.tree_util.tree_map(lambda x: np.concatenate([x, x]), levels)
    return found, solutions, replay_batch(both, actions)


# ------------------------------------------------------------------------------------------ registry
def test_names_groups_and_specs():
    assert library.names("s/*") and all(n.startswith("s/") for n in library.names("s/*"))
    assert set(library.names()) == set(library.LIBRARY)
    for group, members in library.groups().items():
        assert all(library.LIBRARY[n].group == group for n in members)
    assert library.resolve("s/thrust_up") == ["s/thrust_up"]
    assert library.resolve("library:s") == library.names("s/*")
    assert set(library.resolve("group:thrust")) >= {"s/thrust_right", "s/thrust_left"}
    with pytest.raises(library.LibraryError, match="unknown library level 's/thrust_upp'; did you mean s/thrust_up"):
        library.resolve("s/thrust_upp")
    with pytest.raises(library.LibraryError, match="matches no library level"):
        library.resolve("s/zzz*")


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "x/level"}, "name must look like"),
    ({"name": "s/Thrust"}, "name must look like"),
    ({"name": "s/thrust_up"}, "registered twice"),
    ({"difficulty": "trivial"}, "difficulty must be one of"),
    ({"description": "two\nlines"}, "one-line description"),
])
def test_bad_registrations_are_refused(kwargs, message):
    args = {"name": "s/new_level", "group": "g", "difficulty": "easy", "description": "d"} | kwargs
    with pytest.raises(library.LibraryError, match=message):
        library.register(**args)
    assert "s/new_level" not in library.LIBRARY


def test_every_entry_is_described_and_tagged():
    for e in library.LIBRARY.values():
        assert e.description and e.group and e.difficulty in library.DIFFICULTIES, e.name
        assert len(e.description) <= 110, f"{e.name}: description longer than one short line"


def test_counts_reach_the_issue_minimums():
    for size, minimum in MINIMUM.items():
        assert len(library.names(f"{size}/*")) >= minimum, size


# ------------------------------------------------------------------------------------------ data files
def test_data_files_equal_their_builders_and_none_is_stale():
    assert build.drift(library.names()) == []
    assert build.stale_files() == []


def test_every_level_is_valid_and_of_its_size():
    from impetus.engine.scenes import static_for_size

    for size in SIZES:
        found, levels = levels_of(size)
        assert levels.static == static_for_size(size)
        for name in found:
            assert check_level(library.build_library_level(name), name) == []
        valid = np.asarray(jax.jit(jax.vmap(is_valid))(levels))
        assert valid.all(), [n for n, v in zip(found, valid, strict=True) if not v]


# ------------------------------------------------------------------------------------------ behaviour
@pytest.mark.parametrize("size", SIZES)
def test_noop_never_reaches_the_goal(size):
    found, _, outcome = replays(size)
    n = len(found)
    reached = [name for name, goal in zip(found, outcome.goal[:n], strict=True) if goal]
    assert reached == []


@pytest.mark.parametrize("size", SIZES)
def test_every_recorded_solution_replays_to_the_goal(size):
    found, solutions, outcome = replays(size)
    n = len(found)
    for i, (name, solution) in enumerate(zip(found, solutions, strict=True)):
        entry = library.LIBRARY[name]
        if solution is None:
            assert entry.no_solution, f"{name}: no recorded solution and no reason given"
            continue
        assert entry.no_solution is None, f"{name}: has a solution but says {entry.no_solution!r}"
        assert (solution.frame_skip, solution.action_type) == (2, "multi_discrete")
        assert not outcome.death[n + i], f"{name}: the solution dies"
        assert outcome.goal[n + i], f"{name}: the solution misses the goal"
        # the same machine replays bit for bit (test_planner_finds_a_solution_that_replays); another CPU's
        # rounding may move a chaotic level's goal by a step or two (solutions are searched to be robust)
        assert abs(int(outcome.step[n + i]) - solution.steps) <= STEP_TOLERANCE, \
            f"{name}: goal at {outcome.step[n + i]}, recorded at {solution.steps}"


# ------------------------------------------------------------------------------------------ solution files
def test_solution_round_trip_and_run_length_code():
    actions = np.array([[0, 0, 0, 0, 1, 0]] * 3 + [[1, 0, 0, 0, 0, 0]] * 2, np.int32)
    assert run_length_encode(actions) == [[3, [0, 0, 0, 0, 1, 0]], [2, [1, 0, 0, 0, 0, 0]]]
    np.testing.assert_array_equal(run_length_decode(run_length_encode(actions), 6), actions)
    sol = Solution("s/thrust_up", actions)
    back = solution_from_document(json.loads(sol.dumps()))
    assert back.level == "s/thrust_up" and back.steps == 5
    np.testing.assert_array_equal(back.actions, actions)


@pytest.mark.parametrize("change, message", [
    ({"steps": 9}, r"\$.steps: 9 but the runs add up to 5 steps"),
    ({"actions": [[0, [0, 0, 0, 0, 1, 0]]]}, r"\$.actions\[0\]: expected \[n >= 1, \[6 integers\]\]"),
    ({"actions": [[5, [0, 0, 1]]]}, r"\$.actions\[0\]"),
])
def test_malformed_solution_is_one_line(change, message):
    doc = Solution("s/x", np.zeros((5, 6), np.int32)).to_document() | change
    with pytest.raises(LevelError, match=message) as err:
        solution_from_document(doc, "x.solution.json")
    assert "\n" not in str(err.value)
    doc.pop("frame_skip")
    with pytest.raises(LevelError, match=r"\$.frame_skip: missing field"):
        solution_from_document(doc, "x.solution.json")


# ------------------------------------------------------------------------------------------ CLI
def test_cli_list_and_show(tmp_path, capsys):
    assert main(["levels", "list", "--size", "s"]) == 0
    err = capsys.readouterr().err
    assert "s/thrust_up" in err and "groups:" in err and "m/" not in err
    out = tmp_path / "up.png"
    assert main(["levels", "show", "s/thrust_up", "-o", str(out), "--pixels", "100"]) == 0
    assert out.is_file() and out.stat().st_size > 0
    assert main(["levels", "show", "s/nope"]) == 2
    assert "unknown library level 's/nope'" in capsys.readouterr().err


def test_planner_finds_a_solution_that_replays(capsys):
    from impetus.agents.planner import PlanConfig, controlled_channels, replay, solve

    level = library.load_library_level("s/thrust_right")
    assert controlled_channels(level).tolist() == [False] * 4 + [True, False]  # only thruster channel 0 drives
    solution = solve(level, "s/thrust_right", PlanConfig(population=16, iterations=2, segments=4, max_segments=8))
    assert solution is not None and solution.actions[:, :4].max() == 0 and solution.actions[:, 5].max() == 0
    outcome = replay(level, solution)
    assert outcome.goal[0] and outcome.step[0] == solution.steps
    assert main(["levels", "replay", "s/thrust_right"]) == 0  # the recorded solution, same compiled replay
    assert "s/thrust_right: goal after 50 steps (recorded: goal after 50)" in capsys.readouterr().err
