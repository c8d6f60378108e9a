"""Agents: PPO with the whole update jitted, networks, evaluation, checkpoints and logging.

Public surface::

    TrainConfig, resolve, PRESETS, ConfigError      # typed config, presets, key=value overrides
    make_train, Train, TrainState                   # make_train(config) -> train(key); init / update_step
    TrainingRun                                     # host loop: logs, evals, checkpoints, resume
    Evaluator, evaluate_checkpoint                  # solve rate / return / length per level and group
    load_level_set, LevelSet                        # level specs: library names and groups, files, globs
    make_network, distribution_for                  # networks and action distributions

Modules: ``config``, ``networks/``, ``envs``, ``rollout``, ``gae``, ``losses``, ``train``,
``evaluate``, ``checkpoint``, ``logging``, ``run``, ``levelsets``, ``eval_levels``, and the curricula
(``ued.curriculum=dr|plr|accel|sfl``): ``curriculum``, ``sfl``, ``curriculum_log``.
"""

from .config import PRESETS, ConfigError, TrainConfig, resolve
from .evaluate import Evaluator, evaluate_checkpoint
from .levelsets import LevelSet, load_level_set
from .networks import distribution_for, make_network
from .run import TrainingRun
from .train import Train, TrainState, make_train

__all__ = ["PRESETS", "ConfigError", "Evaluator", "LevelSet", "Train", "TrainConfig", "TrainState", "TrainingRun",
           "distribution_for", "evaluate_checkpoint", "load_level_set", "make_network", "make_train", "resolve"]
