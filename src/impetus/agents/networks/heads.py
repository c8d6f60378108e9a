"""The shared actor-critic head (reference section 7.1, without the optional GRU).

Every network encodes its observation into one feature vector per sample and hands it to
:class:`ActorCriticHead`: two separate MLP towers (actor, critic) of ``depth`` Dense layers of
``width`` units with orthogonal(sqrt 2) kernels and zero biases, then an actor output layer
(orthogonal 0.01) giving the distribution parameters and a critic output (orthogonal 1.0)
giving the value.  Continuous actions add a state-independent ``log_std`` parameter (init 0).
"""

from typing import NamedTuple

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

ACTIVATIONS = {"tanh": jnp.tanh, "relu": nn.relu}


class PolicyOutput(NamedTuple):
    """Network output for a batch of ``B`` observations.

    Attributes:
        pi: distribution parameters ``(B, D)`` (logits, or the Gaussian mean).
        value: state values ``(B,)``.
        log_std: ``(D,)`` for continuous actions, else ``None``.
    """

    pi: jax.Array
    value: jax.Array
    log_std: jax.Array | None


def dense(features: int, scale: float = np.sqrt(2.0), name: str | None = None, use_bias: bool = True) -> nn.Dense:
    """A Dense layer with an orthogonal(``scale``) kernel and zero bias."""
    return nn.Dense(features, kernel_init=nn.initializers.orthogonal(scale), bias_init=nn.initializers.zeros,
                    use_bias=use_bias, name=name)


class MLPTower(nn.Module):
    """``depth`` x (Dense(width) + activation): ``(B, F) -> (B, width)``."""

    width: int
    depth: int
    activation: str = "tanh"

    @nn.compact
    def __call__(self, x):
        act = ACTIVATIONS[self.activation]
        for _ in range(self.depth):
            x = act(dense(self.width)(x))
        return x


class ActorCriticHead(nn.Module):
    """Actor and critic towers over a shared embedding: ``(B, F) -> PolicyOutput``."""

    action_dim: int
    width: int = 128
    depth: int = 5
    activation: str = "tanh"
    continuous: bool = False

    @nn.compact
    def __call__(self, embedding) -> PolicyOutput:
        actor = MLPTower(self.width, self.depth, self.activation, name="actor")(embedding)
        pi = dense(self.action_dim, 0.01, name="actor_out")(actor)
        critic = MLPTower(self.width, self.depth, self.activation, name="critic")(embedding)
        value = dense(1, 1.0, name="critic_out")(critic)[..., 0]
        log_std = self.param("log_std", nn.initializers.zeros, (self.action_dim,)) if self.continuous else None
        return PolicyOutput(pi, value, log_std)
