"""Command-line entry points (``impetus ...``). Parsing only; logic lives in the packages."""
