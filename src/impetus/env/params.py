"""Environment configuration and state: ``StaticEnvParams``, ``EnvParams``, ``EnvState``.

Three kinds of configuration, as in the engine (house style 4.2):

* :class:`StaticEnvParams` (hashable, closed over, a change recompiles): the engine capacities,
  frame skip, observation and action types, binding counts and the pixel screen.
* :class:`EnvParams` (a pytree, traced, vmappable): physical coefficients, reward shaping,
  the episode-length override and the touch distance.
* :class:`EnvState` (a pytree, changes every step): the engine scene *composed* with the level it
  was reset from (roles, bindings, episode length), the step counter and the shaping distance.
"""

import dataclasses

import jax.numpy as jnp
from jaxtyping import Array, Float, Int

from ..engine import SimParams, SimState, StaticSimParams
from ..engine._pytree import PyTreeNode
from ..engine.scenes import KINETIX_SIZES, static_for_size
from ..levels import Level

OBSERVATION_TYPES = ("entity", "flat", "pixels")
ACTION_TYPES = ("multi_discrete", "discrete", "continuous")

#: Named sizes (Kinetix S/M/L capacities; 4 of the polygons are floor, walls and ceiling).
SIZES = tuple(KINETIX_SIZES)


@dataclasses.dataclass(frozen=True)
class StaticEnvParams:
    """Shapes and compute of an environment. Hashable; changing any field recompiles.

    Attributes:
        sim: engine capacities (levels must have exactly these; ``levels.pad`` smaller ones).
        frame_skip: physics steps per environment step (the action is held); Kinetix configs use 2.
        observation: ``"entity"``, ``"flat"`` or ``"pixels"``.
        action: ``"multi_discrete"``, ``"discrete"`` or ``"continuous"``.
        num_motor_bindings: motor action channels; each joint listens to one (``motor_binding``).
        num_thruster_bindings: thruster action channels (``LevelThruster.binding``).
        screen_size: (width, height) of the full-resolution screen [px]; the world is
            ``screen_size / pixels_per_metre`` metres wide and high (5 m x 5 m by default).
        pixels_per_metre: full-resolution scale [px/m].
        downscale: the pixel observation is rendered directly at ``screen_size // downscale``.
    """

    sim: StaticSimParams = KINETIX_SIZES["m"]
    frame_skip: int = 2
    observation: str = "entity"
    action: str = "multi_discrete"
    num_motor_bindings: int = 4
    num_thruster_bindings: int = 2
    screen_size: tuple[int, int] = (500, 500)
    pixels_per_metre: float = 100.0
    downscale: int = 4

    def __post_init__(self) -> None:
        checks = [
            (self.frame_skip >= 1, "frame_skip must be >= 1"),
            (self.observation in OBSERVATION_TYPES, f"observation must be one of {OBSERVATION_TYPES}"),
            (self.action in ACTION_TYPES, f"action must be one of {ACTION_TYPES}"),
            (self.num_motor_bindings >= 1, "num_motor_bindings must be >= 1"),
            (self.num_thruster_bindings >= 1, "num_thruster_bindings must be >= 1"),
            (self.downscale >= 1 and all(s % self.downscale == 0 for s in self.screen_size),
             "downscale must be >= 1 and divide both screen dimensions"),
            (self.pixels_per_metre > 0, "pixels_per_metre must be > 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"StaticEnvParams: {message} (got {self})")

    @property
    def image_size(self) -> tuple[int, int]:
        """(height, width) of the pixel observation [px]."""
        return self.screen_size[1] // self.downscale, self.screen_size[0] // self.downscale

    @property
    def num_action_channels(self) -> int:
        """Motor channels then thruster channels: ``nmb + ntb``."""
        return self.num_motor_bindings + self.num_thruster_bindings

    def replace(self, **changes) -> "StaticEnvParams":
        return dataclasses.replace(self, **changes)


def make_static_env_params(size: str = "m", **overrides) -> StaticEnvParams:
    """The :class:`StaticEnvParams` of a named size (``"s"``, ``"m"``, ``"l"``) with field overrides."""
    return StaticEnvParams(sim=static_for_size(size), **overrides)


class EnvParams(PyTreeNode):
    """Traced (vmappable) environment coefficients.

    Attributes:
        sim: the engine's physical coefficients.
        dense_reward_scale: shaping reward per metre of decrease in the summed green-blue centre
            distance (Kinetix configs: 0.2); 0 gives the sparse task.
        max_timesteps: episode length in environment steps; ``<= 0`` uses each level's own
            ``max_timesteps``.
        touch_distance: two shapes touch when the engine's stored separation of their contact
            (the smallest gap at the start of the last physics step) is at most this [m].
    """

    sim: SimParams = dataclasses.field(default_factory=SimParams)
    dense_reward_scale: float | Float[Array, ""] = 0.2
    max_timesteps: int | Int[Array, ""] = 0
    touch_distance: float | Float[Array, ""] = 0.01


class EnvState(PyTreeNode):
    """One environment: the scene, the level it came from, and episode bookkeeping."""

    sim: SimState
    level: Level  # roles, bindings, motor_auto and max_timesteps are read from here
    timestep: Int[Array, ""]  # environment steps taken in this episode
    last_distance: Float[Array, ""]  # summed green-blue distance after the previous step [m]


def episode_limit(state: EnvState, params: EnvParams) -> Int[Array, ""]:
    """The episode length in force: ``params.max_timesteps`` if positive, else the level's."""
    override = jnp.asarray(params.max_timesteps, jnp.int32)
    return jnp.where(override > 0, override, state.level.max_timesteps)
