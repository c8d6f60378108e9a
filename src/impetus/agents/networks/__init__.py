"""Actor-critic networks for every observation and action type (reference section 7).

==============  ===========  =======================================================
``network``     observation  module
==============  ===========  =======================================================
transformer     entity       :class:`~.transformer.EntityTransformer` (the default)
pi-mlp          entity       :class:`~.mlp.PermutationInvariantMLP`
flat-mlp        flat         :class:`~.mlp.FlatMLP`
cnn             pixels       :class:`~.cnn.PixelCNN`
==============  ===========  =======================================================

Every module maps an observation pytree with one leading batch axis ``B`` to a
:class:`PolicyOutput` (distribution parameters ``(B, D)``, values ``(B,)``, log-std); the
action family is an :class:`ActionDistribution` built from the env's action space.
"""

import jax
import jax.numpy as jnp
import numpy as np

from ..config import NetworkConfig
from .cnn import PixelCNN
from .distributions import ActionDistribution, distribution_for
from .heads import ActorCriticHead, PolicyOutput
from .mlp import FlatMLP, PermutationInvariantMLP
from .transformer import EntityTransformer

__all__ = ["ActionDistribution", "ActorCriticHead", "EntityTransformer", "FlatMLP", "PermutationInvariantMLP",
           "PixelCNN", "PolicyOutput", "distribution_for", "dummy_observation", "make_network", "param_count",
           "used_observation"]


def make_network(config: NetworkConfig, dist: ActionDistribution):
    """The flax module of ``config.network`` with an actor output of ``dist.param_size``."""
    head = {"action_dim": dist.param_size, "head_width": config.head_width, "head_depth": config.head_depth,
            "activation": config.activation, "continuous": dist.kind == "continuous"}
    if config.network == "transformer":
        return EntityTransformer(depth=config.transformer_depth, qkv_features=config.transformer_size,
                                 encoder_size=config.transformer_encoder_size, num_heads=config.num_heads,
                                 full_attention_mask=config.full_attention_mask, aggregate=config.aggregate, **head)
    if config.network == "pi-mlp":
        return PermutationInvariantMLP(encoder_size=config.encoder_size, embedding_dim=config.embedding_dim, **head)
    if config.network == "flat-mlp":
        return FlatMLP(width=config.flat_width, **head)
    if config.network == "cnn":
        return PixelCNN(**head)
    raise ValueError(f"unknown network {config.network!r}")


#: the observation keys each entity network reads (others need not be stored in rollouts)
PI_MLP_KEYS = ("polygons", "circles", "joints", "thrusters", "polygon_mask", "circle_mask", "joint_mask",
               "thruster_mask")


def used_observation(config: NetworkConfig, obs):
    """``obs`` without the entries ``config.network`` never reads (the pi-mlp ignores attention)."""
    if config.network == "pi-mlp" and isinstance(obs, dict):
        return {k: obs[k] for k in PI_MLP_KEYS}
    return obs


def dummy_observation(space, batch: int = 1):
    """Zeros shaped like a batch of observations of ``space`` (for ``init``)."""
    if hasattr(space, "spaces"):
        return {k: dummy_observation(s, batch) for k, s in space.spaces.items()}
    return jnp.zeros((batch, *space.shape), space.dtype)


def param_count(params) -> int:
    """Number of scalar parameters in a pytree."""
    return int(sum(np.prod(np.shape(x)) for x in jax.tree_util.tree_leaves(params)))
