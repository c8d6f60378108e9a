"""Impetus: open-ended 2D physics control tasks on a batched pure-JAX rigid-body engine.

Layers (an upper layer may import a lower one, never the reverse):
``engine`` → ``levels`` → ``render`` → ``env`` → ``ued`` → ``agents`` → ``cli``, ``editor``.
"""

__version__ = "0.1.0"
