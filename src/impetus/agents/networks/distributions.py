"""Action distributions written directly with ``jax.nn.log_softmax`` (no distrax).

A distribution is a small static description (:class:`ActionDistribution`) plus the array of
its parameters, which the network's actor head outputs:

==================  =======================  ==================================================
kind                parameters ``(..., D)``  actions
==================  =======================  ==================================================
``discrete``        logits, ``D = n``        ``int32 (...)``
``multi_discrete``  concatenated logits,     ``int32 (..., len(nvec))``; log-probs and
                    ``D = sum(nvec)``        entropies of the independent parts are summed
``continuous``      mean, ``D = k``          ``float32 (..., k)``; diagonal Gaussian whose
                                             log-std is a separate state-independent parameter
==================  =======================  ==================================================

All methods are pure, jittable and broadcast over leading axes.  For ``continuous`` the
``log_std`` argument (shape ``(k,)``) is required; the discrete kinds ignore it.
"""

import dataclasses
import math

import jax
import jax.numpy as jnp
import numpy as np

KINDS = ("discrete", "multi_discrete", "continuous")


def categorical_log_prob(logits, action):
    """Log-probability of integer ``action (...)`` under ``logits (..., n)``."""
    logp = jax.nn.log_softmax(logits, axis=-1)
    return jnp.take_along_axis(logp, action[..., None].astype(jnp.int32), axis=-1)[..., 0]


def categorical_entropy(logits):
    """Entropy ``-sum p log p`` of ``logits (..., n)`` -> ``(...)``."""
    logp = jax.nn.log_softmax(logits, axis=-1)
    return -jnp.sum(jnp.exp(logp) * logp, axis=-1)


@dataclasses.dataclass(frozen=True)
class ActionDistribution:
    """The distribution family of an action space (hashable; closed over by jitted code).

    Attributes:
        kind: one of :data:`KINDS`.
        sizes: ``(n,)`` for discrete, ``nvec`` for multi-discrete, ``(k,)`` for continuous.
    """

    kind: str
    sizes: tuple[int, ...]

    @property
    def param_size(self) -> int:
        """Width ``D`` of the actor head's output."""
        return int(sum(self.sizes))

    def _split(self, logits):
        bounds = np.cumsum(self.sizes)[:-1].tolist()
        return jnp.split(logits, bounds, axis=-1)

    def sample(self, key: jax.Array, params, log_std=None):
        """A random action for every leading index of ``params``."""
        if self.kind == "discrete":
            return jax.random.categorical(key, params, axis=-1).astype(jnp.int32)
        if self.kind == "multi_discrete":
            keys = jax.random.split(key, len(self.sizes))
            parts = [jax.random.categorical(k, p, axis=-1) for k, p in zip(keys, self._split(params), strict=True)]
            return jnp.stack(parts, axis=-1).astype(jnp.int32)
        noise = jax.random.normal(key, params.shape, params.dtype)
        return params + jnp.exp(log_std) * noise

    def mode(self, params, log_std=None):
        """The most likely action (argmax per part; the mean for continuous)."""
        del log_std
        if self.kind == "discrete":
            return jnp.argmax(params, axis=-1).astype(jnp.int32)
        if self.kind == "multi_discrete":
            return jnp.stack([jnp.argmax(p, axis=-1) for p in self._split(params)], axis=-1).astype(jnp.int32)
        return params

    def log_prob(self, params, action, log_std=None):
        """``log pi(action)`` with shape ``params.shape[:-1]``."""
        if self.kind == "discrete":
            return categorical_log_prob(params, action)
        if self.kind == "multi_discrete":
            parts = [categorical_log_prob(p, action[..., i]) for i, p in enumerate(self._split(params))]
            return sum(parts[1:], parts[0])
        z = (action - params) * jnp.exp(-log_std)
        return jnp.sum(-0.5 * z**2 - log_std - 0.5 * math.log(2 * math.pi), axis=-1)

    def entropy(self, params, log_std=None):
        """Entropy with shape ``params.shape[:-1]``."""
        if self.kind == "discrete":
            return categorical_entropy(params)
        if self.kind == "multi_discrete":
            parts = [categorical_entropy(p) for p in self._split(params)]
            return sum(parts[1:], parts[0])
        per_dim = log_std + 0.5 * (1.0 + math.log(2 * math.pi))
        return jnp.broadcast_to(jnp.sum(per_dim, axis=-1), params.shape[:-1])


def distribution_for(space) -> ActionDistribution:
    """The :class:`ActionDistribution` of an ``impetus.env.spaces`` action space."""
    name = type(space).__name__
    if name == "Discrete":
        return ActionDistribution("discrete", (int(space.n),))
    if name == "MultiDiscrete":
        return ActionDistribution("multi_discrete", tuple(int(n) for n in space.nvec))
    if name == "Box":
        return ActionDistribution("continuous", (int(np.prod(space.shape)),))
    raise ValueError(f"no action distribution for space {space!r}")
