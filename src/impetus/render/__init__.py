"""Rendering: host-side drawing of scenes (``draw``); the JAX pixel renderer lives beside it."""
