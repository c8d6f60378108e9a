"""Levels: the ``Level`` type, its file format, Kinetix import/export, generation, mutation."""

from .generate import sample_level
from .generator_params import GeneratorParams
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
from .mutate import MutationWeights, mutate_level
from .noop_filter import sample_filtered_levels
from .predicates import is_valid
from .validate import LevelError, check_level, validate_level

__all__ = ["BLUE", "GREEN", "NEUTRAL", "RED", "Level", "LevelError", "LevelJoint", "LevelThruster", "Shapes",
           "check_level", "empty_level", "load_level", "load_levels", "pad", "save_level", "stack", "to_sim_state",
           "validate_level"]
__all__ += ["GeneratorParams", "MutationWeights", "is_valid", "mutate_level", "sample_filtered_levels", "sample_level"]
