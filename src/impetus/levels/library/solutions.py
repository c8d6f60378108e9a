"""Recorded solutions: open-loop env action sequences stored beside the library's level files.

A solution file ``data/<size>/<short_name>.solution.json`` holds::

    {
      "level": "s/thrust_right",
      "frame_skip": 2,                    # physics steps per env step (StaticEnvParams.frame_skip)
      "action_type": "multi_discrete",    # env action type (impetus.env.actions)
      "num_motor_bindings": 4,            # action layout: motor choices, then thruster choices
      "num_thruster_bindings": 2,
      "steps": 87,                        # env steps; the goal is reached at the last one
      "actions": [[40, [0, 0, 0, 0, 1, 0]], [47, [1, 0, 0, 0, 1, 0]]]
    }

``actions`` is run-length encoded: each item ``[n, action]`` holds ``action`` for ``n`` env
steps.  A multi-discrete action is ``num_motor_bindings`` motor choices (0: off, 1: +1, 2: -1)
then ``num_thruster_bindings`` thruster choices (0: off, 1: on).  Replaying the decoded
sequence from the level's initial state (``impetus.agents.planner.replay``) reaches the goal
at step ``steps`` without touching red first, bit for bit on the machine that recorded it.  The
planner keeps only sequences that also reach the goal from slightly perturbed starts, so another
CPU's rounding moves the goal by a step or two at most (the tests allow 5).
"""

import dataclasses
import json

import numpy as np

from ..validate import LevelError

FIELDS = ("level", "frame_skip", "action_type", "num_motor_bindings", "num_thruster_bindings", "steps", "actions")


@dataclasses.dataclass(frozen=True)
class Solution:
    """A decoded solution; ``actions`` is ``int32 (steps, num_motor_bindings + num_thruster_bindings)``."""

    level: str
    actions: np.ndarray
    frame_skip: int = 2
    action_type: str = "multi_discrete"
    num_motor_bindings: int = 4
    num_thruster_bindings: int = 2

    @property
    def steps(self) -> int:
        return int(self.actions.shape[0])

    def to_document(self) -> dict:
        return {"level": self.level, "frame_skip": self.frame_skip, "action_type": self.action_type,
                "num_motor_bindings": self.num_motor_bindings,
                "num_thruster_bindings": self.num_thruster_bindings, "steps": self.steps,
                "actions": run_length_encode(self.actions)}

    def dumps(self) -> str:
        """The file text: one run per line (deterministic; ends with a newline)."""
        doc = self.to_document()
        head = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in doc.items() if k != "actions")
        runs = ",\n".join(f"    {json.dumps(run)}" for run in doc["actions"])
        return "{\n" + head + ',\n  "actions": [\n' + runs + "\n  ]\n}\n"


def run_length_encode(actions: np.ndarray) -> list:
    """``[[n, action], ...]`` of an ``(T, A)`` integer array (consecutive equal rows merged)."""
    runs: list = []
    for row in np.asarray(actions, np.int64).tolist():
        if runs and runs[-1][1] == row:
            runs[-1][0] += 1
        else:
            runs.append([1, row])
    return runs


def run_length_decode(runs, width: int, source: str = "<solution>") -> np.ndarray:
    """The ``(T, width)`` int32 array of ``[[n, action], ...]``; :class:`LevelError` if malformed."""
    rows = []
    for i, run in enumerate(runs):
        ok = (isinstance(run, list) and len(run) == 2 and isinstance(run[0], int) and run[0] >= 1
              and isinstance(run[1], list) and len(run[1]) == width and all(isinstance(a, int) for a in run[1]))
        if not ok:
            raise LevelError(f"{source}: $.actions[{i}]: expected [n >= 1, [{width} integers]], got {run!r}")
        rows += [run[1]] * run[0]
    return np.asarray(rows, np.int32).reshape(len(rows), width)


def solution_from_document(doc, source: str = "<solution>") -> Solution:
    """The :class:`Solution` of a parsed solution file (:class:`LevelError` naming the bad field)."""
    if not isinstance(doc, dict):
        raise LevelError(f"{source}: $: expected an object")
    missing = [k for k in FIELDS if k not in doc]
    if missing:
        raise LevelError(f"{source}: $.{missing[0]}: missing field")
    width = doc["num_motor_bindings"] + doc["num_thruster_bindings"]
    actions = run_length_decode(doc["actions"], width, source)
    if len(actions) != doc["steps"]:
        raise LevelError(f"{source}: $.steps: {doc['steps']} but the runs add up to {len(actions)} steps")
    return Solution(level=doc["level"], actions=actions, frame_skip=doc["frame_skip"],
                    action_type=doc["action_type"], num_motor_bindings=doc["num_motor_bindings"],
                    num_thruster_bindings=doc["num_thruster_bindings"])
