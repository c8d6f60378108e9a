"""The entity transformer actor-critic (reference section 7.2, ``ActorCriticTransformer``).

Input: the ``entity`` observation with a leading batch axis ``B`` (``P`` polygons, ``C``
circles, ``2J`` joint rows, ``T`` thrusters, ``N = P + C`` shapes).

1. Encoders: polygons and circles each get Dense(E - 1) + activation and a constant id column
   (1 for polygons, 0 for circles); joint rows and thrusters get Dense(E) + activation.
2. Shape tokens ``[polygons, circles]`` (global shape order); with the ``dummy*`` aggregation
   modes an all-ones dummy token is prepended (index 0), which attends to and is attended by
   every token; joint and thruster indices shift by one.
3. Attention mask ``(B, H, N', N')``: the observation's 4 channels (all, same component,
   directly jointed, touching) repeated ``H / 4`` times, so heads come in groups of channel
   (``full_attention_mask`` gives every head the "all" channel); rows and columns of inactive
   shapes are masked out.
4. ``depth`` layers, each: pre-LayerNorm multi-head self-attention (``qkv_features`` wide),
   a GTrXL GRU gate with relu(attention); LayerNorm, Dense(E), a second gate; joint messages
   (Dense over ``[emb(from), emb(to), joint_enc]``, masked, added to ``emb(from)``; both
   directions are rows) and thruster messages (Dense over ``[emb(body), thruster_enc]``,
   masked, added to ``emb(body)``).
5. Pooling: ``dummy_and_mean`` (masked mean over active tokens and the dummy), ``dummy`` or
   ``mean`` (no dummy); then the shared head.
"""

import flax.linen as nn
import jax
import jax.numpy as jnp

from .heads import ACTIVATIONS, ActorCriticHead, PolicyOutput, dense

AGGREGATES = ("dummy_and_mean", "dummy", "mean")


class GRUGate(nn.Module):
    """GTrXL gating ``g(x, y)`` of residual ``x`` and update ``y`` (both ``(..., E)``)."""

    gate_bias: float = 0.0

    @nn.compact
    def __call__(self, x, y):
        E = x.shape[-1]
        wy = nn.Dense(3 * E, name="w")(y)  # r, z, h parts
        ux = nn.Dense(2 * E, use_bias=False, name="u")(x)  # r, z parts
        r = jax.nn.sigmoid(wy[..., :E] + ux[..., :E])
        z = jax.nn.sigmoid(wy[..., E:2 * E] + ux[..., E:] - self.gate_bias)
        h = jnp.tanh(wy[..., 2 * E:] + nn.Dense(E, use_bias=False, name="u_h")(r * x))
        return (1.0 - z) * x + z * h


class SelfAttention(nn.Module):
    """Masked multi-head self-attention: ``(B, N, E), (B, H, N, N) -> (B, N, E)``."""

    num_heads: int
    qkv_features: int

    @nn.compact
    def __call__(self, x, mask):
        H = self.num_heads
        d = self.qkv_features // H
        qkv = nn.DenseGeneral((3, H, d), name="qkv")(x)  # (B, N, 3, H, d)
        q, k, v = qkv[:, :, 0], qkv[:, :, 1], qkv[:, :, 2]
        # the per-head dimension is tiny (Kinetix: 2), so broadcast products beat batched matmuls on CPU
        logits = jnp.sum(q[:, :, None] * k[:, None, :], axis=-1) / jnp.sqrt(jnp.asarray(d, x.dtype))  # (B,q,k,H)
        logits = jnp.where(jnp.moveaxis(mask, 1, -1), logits, jnp.finfo(x.dtype).min)
        weights = jax.nn.softmax(logits, axis=2)
        out = jnp.sum(weights[..., None] * v[:, None, :], axis=2)  # (B, q, H, d)
        return nn.DenseGeneral(x.shape[-1], axis=(-2, -1), name="out")(out)


def gather_rows(tokens, index):
    """``tokens (B, N, E)`` at ``index (B, K)`` -> ``(B, K, E)``."""
    return jnp.take_along_axis(tokens, index[..., None], axis=1)


def scatter_add_rows(tokens, index, rows):
    """``tokens (B, N, E)`` plus ``rows (B, K, E)`` added at ``index (B, K)`` (a one-hot matmul: no scatter)."""
    onehot = jax.nn.one_hot(index, tokens.shape[1], dtype=tokens.dtype)  # (B, K, N)
    return tokens + jnp.einsum("bkn,bke->bne", onehot, rows)


class TransformerLayer(nn.Module):
    """One layer: attention + gate, Dense + gate, joint and thruster messages."""

    num_heads: int
    qkv_features: int

    @nn.compact
    def __call__(self, x, mask, joints, thrusters):
        E = x.shape[-1]
        y = SelfAttention(self.num_heads, self.qkv_features)(nn.LayerNorm()(x), mask)
        x = GRUGate(name="gate_attention")(x, nn.relu(y))
        y = nn.Dense(E)(nn.LayerNorm()(x))
        x = GRUGate(name="gate_dense")(x, nn.relu(y))
        j_enc, j_from, j_to, j_mask = joints
        message = nn.Dense(E, name="joint_message")(
            jnp.concatenate([gather_rows(x, j_from), gather_rows(x, j_to), j_enc], axis=-1))
        x = scatter_add_rows(x, j_from, message * j_mask[..., None])
        t_enc, t_body, t_mask = thrusters
        message = nn.Dense(E, name="thruster_message")(jnp.concatenate([gather_rows(x, t_body), t_enc], axis=-1))
        return scatter_add_rows(x, t_body, message * t_mask[..., None])


class EntityTransformer(nn.Module):
    """``entity`` observation (dict, leading batch axis) -> :class:`PolicyOutput`."""

    action_dim: int
    depth: int = 2
    qkv_features: int = 16
    encoder_size: int = 128
    num_heads: int = 8
    full_attention_mask: bool = False
    aggregate: str = "dummy_and_mean"
    head_width: int = 128
    head_depth: int = 5
    activation: str = "tanh"
    continuous: bool = False

    def _tokens(self, obs):
        """Shape tokens ``(B, N', E)``, their mask ``(B, N')`` and the index offset (1 with a dummy)."""
        act, E = ACTIVATIONS[self.activation], self.encoder_size
        polys = act(dense(E - 1, name="encode_polygons")(obs["polygons"]))
        circles = act(dense(E - 1, name="encode_circles")(obs["circles"]))
        polys = jnp.concatenate([polys, jnp.ones((*polys.shape[:-1], 1), polys.dtype)], axis=-1)
        circles = jnp.concatenate([circles, jnp.zeros((*circles.shape[:-1], 1), circles.dtype)], axis=-1)
        tokens = jnp.concatenate([polys, circles], axis=1)
        active = jnp.concatenate([obs["polygon_mask"], obs["circle_mask"]], axis=1)
        if self.aggregate == "mean":
            return tokens, active, 0
        B = tokens.shape[0]
        tokens = jnp.concatenate([jnp.ones((B, 1, E), tokens.dtype), tokens], axis=1)
        return tokens, jnp.concatenate([jnp.ones((B, 1), bool), active], axis=1), 1

    def _attention_mask(self, obs, active, offset: int):
        """``(B, H, N', N')`` boolean mask (module docstring, step 3)."""
        channels = obs["attention_mask"]  # (B, 4, N, N)
        if self.full_attention_mask:
            channels = jnp.ones_like(channels)
        mask = jnp.repeat(channels, self.num_heads // channels.shape[1], axis=1)
        if offset:
            mask = jnp.pad(mask, ((0, 0), (0, 0), (1, 0), (1, 0)), constant_values=True)
        return mask & active[:, None, :, None] & active[:, None, None, :]

    @nn.compact
    def __call__(self, obs) -> PolicyOutput:
        act, E = ACTIVATIONS[self.activation], self.encoder_size
        x, active, offset = self._tokens(obs)
        mask = self._attention_mask(obs, active, offset)
        j_enc = act(dense(E, name="encode_joints")(obs["joints"]))
        t_enc = act(dense(E, name="encode_thrusters")(obs["thrusters"]))
        jidx = obs["joint_indexes"] + offset
        joints = (j_enc, jidx[..., 0], jidx[..., 1], obs["joint_mask"].astype(x.dtype))
        thrusters = (t_enc, obs["thruster_indexes"] + offset, obs["thruster_mask"].astype(x.dtype))
        for i in range(self.depth):
            x = TransformerLayer(self.num_heads, self.qkv_features, name=f"layer_{i}")(x, mask, joints, thrusters)
        if self.aggregate == "dummy":
            pooled = x[:, 0]
        else:
            weights = active.astype(x.dtype)[..., None]
            pooled = jnp.sum(x * weights, axis=1) / jnp.maximum(jnp.sum(weights, axis=1), 1.0)
        return ActorCriticHead(self.action_dim, self.head_width, self.head_depth, self.activation,
                               self.continuous)(pooled)
