"""Levels: the ``Level`` type, its file format, Kinetix import/export, generation, mutation."""

from .level import (
           BLUE,
           GREEN,
           NEUTRAL,
           RED,
           Level,
           LevelJoint,
           LevelThruster,
           Shapes,
           empty_level,
           pad,
           stack,
           to_sim_state,
)

__all__ = ["BLUE", "GREEN", "NEUTRAL", "RED", "Level", "LevelJoint", "LevelThruster", "Shapes", "empty_level", "pad",
           "stack", "to_sim_state"]
