"""Agent play: a trained checkpoint plays the level being edited (``impetus edit --checkpoint``).

:class:`Agent` loads a checkpoint (``impetus.agents.checkpoint``: the stored config rebuilds the
env and the network; only the network parameters are read) and jits one policy step: the
network's most likely action for the observation, then one environment step.
:class:`AgentSession` is a :class:`~impetus.editor.play.PlaySession` whose actions come from the
agent instead of the keyboard; the level is padded to the checkpoint's size (its env) first.
"""

import jax
import numpy as np

from ..agents import checkpoint
from ..agents.envs import env_params, make_core_env
from ..agents.networks import distribution_for, dummy_observation, make_network
from ..env import to_channels
from ..levels import Level, LevelError, pad
from .play import PlaySession


class Agent:
    """A checkpoint's policy, ready to play (``CheckpointError`` if it cannot be read)."""

    def __init__(self, path):
        tensors, meta = checkpoint.read(path)
        folder = checkpoint.resolve_path(path)
        self.config = checkpoint.config_of(meta, str(folder))
        self.env = make_core_env(self.config)
        self.params = env_params(self.config)
        self.dist = distribution_for(self.env.action_space())
        network = make_network(self.config.network, self.dist)
        template = jax.eval_shape(network.init, jax.random.key(0), dummy_observation(self.env.observation_space()))
        template = jax.tree_util.tree_map(lambda s: np.zeros(s.shape, s.dtype), template)
        self.net_params = checkpoint.restore_params(template, tensors, str(folder))
        self.apply = network.apply
        self.name = f"{folder.name} ({self.config.network.network}, size {self.config.env.size})"
        self.reset = jax.jit(self.env.reset_to_level)
        self.step = jax.jit(self._step)

    def _step(self, net_params, obs, state, key):
        """(obs, state, reward, terminated, truncated, info, channels) after the agent's action."""
        out = self.apply(net_params, jax.tree_util.tree_map(lambda x: x[None], obs))
        action = self.dist.mode(out.pi[0], out.log_std)
        obs, state, reward, terminated, truncated, info = self.env.step(key, state, action, self.params)
        return obs, state, reward, terminated, truncated, info, to_channels(action, self.env.static)


class AgentSession(PlaySession):
    """Play mode with ``agent`` choosing every action (the action given to :meth:`step` is ignored)."""

    def __init__(self, level: Level, agent: Agent):
        self.agent = agent
        target = agent.env.static.sim
        try:
            level = level if level.static == target else pad(level, target)
        except ValueError:
            raise LevelError(f"the level does not fit the agent's size {agent.config.env.size!r}; "
                             f"make it smaller or train for a larger size") from None
        super().__init__(level, agent.env.static.frame_skip, agent.params, static=agent.env.static)

    def _initial_state(self):
        self.obs, state = self.agent.reset(jax.random.key(0), self.level, self.params)
        return state

    def _advance(self, action):
        del action
        self.obs, state, reward, terminated, truncated, info, channels = self.agent.step(
            self.agent.net_params, self.obs, self.state, jax.random.key(0))
        self.action = np.asarray(channels)
        return state, reward, terminated, truncated, info
