"""``ImpetusEnv``: the functional environment (gymnax 1.0 contract, no auto-reset).

Observation
    ``static.observation``: ``"entity"`` (dict of feature rows, masks and attention masks),
    ``"flat"`` (one vector) or ``"pixels"`` (dict: ``uint8`` image + gravity); see
    ``observations``.  ``observation_space()`` describes it.
Action
    ``static.action``: ``"multi_discrete"`` (default), ``"discrete"`` or ``"continuous"`` over
    ``num_motor_bindings`` motor and ``num_thruster_bindings`` thruster channels, fanned out to
    joints and thrusters through the level's bindings (``actions``).
Reward
    +1 when a green shape touches a blue one, -1 when a green shape touches a red one (-1 wins a
    tie), plus ``dense_reward_scale`` times the decrease of the summed green-blue distance over
    the step.  The shaping starts from the distance at reset, so it telescopes to
    ``scale * (d_0 - d_T)`` (Kinetix skips the first step instead).
Termination / truncation
    ``terminated`` on a goal or death contact.  ``truncated`` (and not terminated) when the
    episode reaches its length (``params.max_timesteps`` if positive, else the level's) or when
    the engine rolled a non-finite step back (``info["nonfinite"]``): the episode ends but the
    state is not a terminal state of the task.
Step
    ``frame_skip`` physics steps with the action held; the event reward is that of the first
    sub-step with a goal or death contact.  Touches are read from the engine's contact cache
    (``events``).
State
    :class:`EnvState`: the engine scene, the level (roles, bindings, episode length), the step
    counter and the last green-blue distance.

Usage::

    env = ImpetusEnv(make_static_env_params("m"))
    params = env.default_params
    obs, state = jax.jit(env.reset_to_level)(key, level, params)
    obs, state, reward, terminated, truncated, info = jax.jit(env.step)(key, state, action, params)

Everything is pure: ``jax.vmap`` over keys, levels, states and actions (and params) for a batch.
"""

import jax
import jax.numpy as jnp

from ..engine import step as physics_step
from ..levels import Level, to_sim_state
from . import actions, observations
from .events import event_reward, goal_and_death, green_blue_distance
from .params import EnvParams, EnvState, StaticEnvParams, episode_limit


class ImpetusEnv:
    """The environment for one :class:`StaticEnvParams` (see the module docstring)."""

    def __init__(self, static: StaticEnvParams | None = None):
        self.static = static or StaticEnvParams()

    def __repr__(self) -> str:
        return f"ImpetusEnv({self.static})"

    @property
    def default_params(self) -> EnvParams:
        return EnvParams()

    # -- spaces ---------------------------------------------------------------------------------
    def observation_space(self, params: EnvParams | None = None):
        """The observation space (does not depend on ``params``)."""
        del params
        return observations.observation_space(self.static)

    def action_space(self, params: EnvParams | None = None):
        """The action space (does not depend on ``params``)."""
        del params
        return actions.action_space(self.static)

    # -- core API -------------------------------------------------------------------------------
    def init_state(self, level: Level, params: EnvParams) -> EnvState:
        """The state at the start of an episode on ``level`` (no physics step is taken)."""
        del params
        if level.static != self.static.sim:
            raise ValueError(f"level capacities {level.static} differ from the env's {self.static.sim}; "
                             "pad the level (impetus.levels.pad) or build the env for its size")
        sim = to_sim_state(level)
        return EnvState(sim=sim, level=level, timestep=jnp.zeros((), jnp.int32),
                        last_distance=green_blue_distance(sim, level.shape.role))

    def reset_to_level(self, key: jax.Array, level: Level, params: EnvParams):
        """``(obs, state)`` at the start of an episode on ``level``; ``key`` is unused (resets are exact)."""
        del key
        state = self.init_state(level, params)
        return self.get_obs(state, params), state

    def get_obs(self, state: EnvState, params: EnvParams):
        """The observation of ``state``."""
        return observations.observe(state, params, self.static)

    def step_env(self, key: jax.Array, state: EnvState, action, params: EnvParams):
        """One environment step without the observation: ``(state, reward, terminated, truncated, info)``."""
        del key
        roles = state.level.shape.role
        commands = actions.slot_commands(actions.to_channels(action, self.static), state.level, self.static)

        def substep(carry, _):
            sim, event = carry
            sim = physics_step(sim, params.sim, commands)
            goal, death = goal_and_death(sim, roles, params.touch_distance)
            event = jnp.where(event != 0, event, event_reward(goal, death))
            return (sim, event), None

        (sim, event), _ = jax.lax.scan(substep, (state.sim, jnp.zeros((), jnp.float32)), None,
                                       length=self.static.frame_skip)
        distance = green_blue_distance(sim, roles)
        shaping = (state.last_distance - distance) * params.dense_reward_scale
        reward = event + jnp.where(jnp.isfinite(shaping), shaping, 0.0)
        state = state.replace(sim=sim, timestep=state.timestep + 1, last_distance=distance)
        terminated = event != 0
        truncated = ~terminated & ((state.timestep >= episode_limit(state, params)) | sim.nonfinite)
        info = {"goal": event > 0, "death": event < 0, "distance": distance, "nonfinite": sim.nonfinite,
                "timestep": state.timestep}
        return jax.lax.stop_gradient(state), reward.astype(jnp.float32), terminated, truncated, info

    def step(self, key: jax.Array, state: EnvState, action, params: EnvParams):
        """``(obs, state, reward, terminated, truncated, info)``; no auto-reset (see ``wrappers``)."""
        state, reward, terminated, truncated, info = self.step_env(key, state, action, params)
        return self.get_obs(state, params), state, reward, terminated, truncated, info

    def render(self, state: EnvState, config=None):
        """An RGB ``uint8`` image of one state (default: the full-resolution screen with outlines)."""
        from ..render.pixels import PixelConfig, render_level_scene

        config = config or PixelConfig.for_screen(self.static.screen_size, self.static.pixels_per_metre, 1)
        return render_level_scene(state.sim, state.level, config)
