"""Argument types shared by the subcommands, and the one-line error they raise."""

import argparse


class CLIError(Exception):
    """A user error: printed as one line (``error: ...``), exit status 2, no traceback."""


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def positive_or_auto(text: str) -> int | str:
    """A positive integer, or ``auto``."""
    return "auto" if text.lower() == "auto" else positive(text)


def size(text: str) -> str:
    if text.lower() not in ("s", "m", "l"):
        raise argparse.ArgumentTypeError(f"size must be s, m or l (got {text!r})")
    return text.lower()
