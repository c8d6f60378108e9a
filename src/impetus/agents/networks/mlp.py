"""MLP networks: the flat MLP and the permutation-invariant MLP (reference section 7.2).

* :class:`FlatMLP` (``flat`` observation ``(B, F)``): Dense(width) + relu, then the shared head.
* :class:`PermutationInvariantMLP` (``entity`` observation): per-type encoders (polygons,
  circles, joints, thrusters: Dense(encoder_size - 4) + activation, then a 4-way type one-hot),
  one Dense(embedding_dim) + relu shared by all entities (Kinetix's ``MultiHeadDense``: ``num_heads``
  separate Dense layers over the same input are one wider Dense), a masked **sum** over
  entities, the activation, then the shared head.  Unlike Kinetix, inactive entities are
  masked *after* the shared per-entity Dense, so empty slots add nothing to the pooled sum.
"""

import flax.linen as nn
import jax.numpy as jnp

from .heads import ACTIVATIONS, ActorCriticHead, PolicyOutput, dense

ENTITY_TYPES = ("polygons", "circles", "joints", "thrusters")
MASK_KEYS = {"polygons": "polygon_mask", "circles": "circle_mask", "joints": "joint_mask",
             "thrusters": "thruster_mask"}


class FlatMLP(nn.Module):
    """``flat`` observation ``(B, F)`` -> :class:`PolicyOutput`."""

    action_dim: int
    width: int = 128
    head_width: int = 128
    head_depth: int = 5
    activation: str = "tanh"
    continuous: bool = False

    @nn.compact
    def __call__(self, obs) -> PolicyOutput:
        x = nn.relu(dense(self.width)(obs))
        return ActorCriticHead(self.action_dim, self.head_width, self.head_depth, self.activation,
                               self.continuous)(x)


class PermutationInvariantMLP(nn.Module):
    """``entity`` observation (dict of ``(B, n, f)`` rows and ``(B, n)`` masks) -> :class:`PolicyOutput`."""

    action_dim: int
    encoder_size: int = 64
    embedding_dim: int = 256
    head_width: int = 128
    head_depth: int = 5
    activation: str = "tanh"
    continuous: bool = False

    @nn.compact
    def __call__(self, obs) -> PolicyOutput:
        act = ACTIVATIONS[self.activation]
        encoded, masks = [], []
        for t, kind in enumerate(ENTITY_TYPES):
            enc = act(dense(self.encoder_size - 4, name=f"encode_{kind}")(obs[kind]))
            onehot = jnp.broadcast_to(jnp.eye(4, dtype=enc.dtype)[t], (*enc.shape[:-1], 4))
            encoded.append(jnp.concatenate([enc, onehot], axis=-1))
            masks.append(obs[MASK_KEYS[kind]])
        entities = jnp.concatenate(encoded, axis=-2)  # (B, n, encoder_size)
        mask = jnp.concatenate(masks, axis=-1)[..., None].astype(entities.dtype)
        per_entity = nn.relu(dense(self.embedding_dim, name="embed")(entities))
        pooled = jnp.sum(per_entity * mask, axis=-2)
        return ActorCriticHead(self.action_dim, self.head_width, self.head_depth, self.activation,
                               self.continuous)(act(pooled))
