"""Headless benchmarks (``impetus bench ...``): speed in steps per second, compile time apart."""
