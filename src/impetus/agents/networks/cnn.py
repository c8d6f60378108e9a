"""The pixel CNN actor-critic (reference section 7.2, ``ActorCriticPixelsRNN`` without the GRU).

``pixels`` observation: ``image`` ``uint8 (B, H, W, 3)`` (scaled to [0, 1] here) and
``global_info`` ``(B, 1)``.  Conv(16, 8x8, stride 4) + relu, Conv(32, 4x4, stride 2) + relu
(SAME padding: 125 -> 32 -> 16), flatten, append ``global_info``, then the shared head.
"""

import flax.linen as nn
import jax.numpy as jnp

from .heads import ActorCriticHead, PolicyOutput


class PixelCNN(nn.Module):
    """``pixels`` observation (dict, leading batch axis) -> :class:`PolicyOutput`."""

    action_dim: int
    channels: tuple[int, int] = (16, 32)
    head_width: int = 128
    head_depth: int = 5
    activation: str = "tanh"
    continuous: bool = False

    @nn.compact
    def __call__(self, obs) -> PolicyOutput:
        x = obs["image"].astype(jnp.float32) / 255.0
        x = nn.relu(nn.Conv(self.channels[0], (8, 8), strides=(4, 4), padding="SAME")(x))
        x = nn.relu(nn.Conv(self.channels[1], (4, 4), strides=(2, 2), padding="SAME")(x))
        x = jnp.concatenate([x.reshape(x.shape[0], -1), obs["global_info"].astype(x.dtype)], axis=-1)
        return ActorCriticHead(self.action_dim, self.head_width, self.head_depth, self.activation,
                               self.continuous)(x)
