"""The environment: tasks, rewards, observations, actions and wrappers over the engine.

Public surface::

    ImpetusEnv                                  # reset_to_level / step (gymnax 1.0 contract)
    StaticEnvParams, EnvParams, EnvState        # static config, traced params, state
    make_static_env_params, SIZES               # named sizes s / m / l
    AutoReplayWrapper, AutoResetFromSetWrapper, ResetToGivenLevelWrapper,
    AutoResetRandomWrapper, LogWrapper,         # auto-reset named by what it resets to; stats
    GymnaxLegacyWrapper                         # (obs, state, reward, done, info) for old code
    spaces                                      # Box, Discrete, MultiDiscrete, Dict

The Gymnasium adapter lives in ``impetus.env.gym`` (imports gymnasium) and the shared example
levels in ``impetus.env.examples``.
"""

from . import spaces
from .actions import POLICIES, action_space, noop_action, policy_action, random_action, slot_commands, to_channels
from .env import ImpetusEnv
from .observations import observation_space
from .params import (
    ACTION_TYPES,
    OBSERVATION_TYPES,
    SIZES,
    EnvParams,
    EnvState,
    StaticEnvParams,
    make_static_env_params,
)
from .pool import AutoResetRandomWrapper, PoolState
from .wrappers import (
    AutoReplayWrapper,
    AutoResetFromSetWrapper,
    GymnaxLegacyWrapper,
    LogState,
    LogWrapper,
    ResetToGivenLevelWrapper,
    Wrapper,
)

__all__ = [
    "ACTION_TYPES",
    "OBSERVATION_TYPES",
    "POLICIES",
    "SIZES",
    "AutoReplayWrapper",
    "AutoResetFromSetWrapper",
    "AutoResetRandomWrapper",
    "EnvParams",
    "EnvState",
    "GymnaxLegacyWrapper",
    "ImpetusEnv",
    "LogState",
    "LogWrapper",
    "PoolState",
    "ResetToGivenLevelWrapper",
    "StaticEnvParams",
    "Wrapper",
    "action_space",
    "make_static_env_params",
    "noop_action",
    "observation_space",
    "policy_action",
    "random_action",
    "slot_commands",
    "spaces",
    "to_channels",
]
