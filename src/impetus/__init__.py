"""Impetus: open-ended 2D physics control tasks on a batched pure-JAX rigid-body engine.

Layers (an upper layer may import a lower one, never the reverse):
``engine`` → ``levels`` → ``render`` → ``env`` → ``ued`` → ``agents`` → ``cli``, ``editor``.

Importing ``impetus`` selects the XLA:CPU settings it runs best with (see ``impetus._xla``).
"""

from ._xla import apply_cpu_defaults

apply_cpu_defaults()

__version__ = "0.1.0"
