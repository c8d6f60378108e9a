"""Levels: the ``Level`` type, its file format, Kinetix import/export, generation, mutation."""

from .io import load_level, load_levels, save_level
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
from .validate import LevelError, check_level, validate_level

__all__ = ["BLUE", "GREEN", "NEUTRAL", "RED", "Level", "LevelError", "LevelJoint", "LevelThruster", "Shapes",
           "check_level", "empty_level", "load_level", "load_levels", "pad", "save_level", "stack", "to_sim_state",
           "validate_level"]
