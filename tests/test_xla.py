"""The XLA:CPU defaults chosen on ``import impetus``."""

import os

from impetus._xla import CPU_DEFAULTS, apply_cpu_defaults


def test_defaults_are_appended_to_existing_flags(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_force_host_platform_device_count=2")
    monkeypatch.delenv("IMPETUS_XLA_DEFAULTS", raising=False)
    apply_cpu_defaults()
    flags = os.environ["XLA_FLAGS"].split()
    assert flags[0] == "--xla_force_host_platform_device_count=2"
    assert all(flag in flags for flag in CPU_DEFAULTS)
    apply_cpu_defaults()  # idempotent
    assert os.environ["XLA_FLAGS"].split() == flags


def test_a_users_setting_wins(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_cpu_use_fusion_emitters=true")
    monkeypatch.delenv("IMPETUS_XLA_DEFAULTS", raising=False)
    apply_cpu_defaults()
    flags = os.environ["XLA_FLAGS"].split()
    assert [f for f in flags if f.startswith("--xla_cpu_use_fusion_emitters")] == ["--xla_cpu_use_fusion_emitters=true"]
    assert set(flags) == {"--xla_cpu_use_fusion_emitters=true", *CPU_DEFAULTS[1:]}


def test_defaults_can_be_turned_off(monkeypatch):
    monkeypatch.delenv("XLA_FLAGS", raising=False)
    monkeypatch.setenv("IMPETUS_XLA_DEFAULTS", "0")
    apply_cpu_defaults()
    assert "XLA_FLAGS" not in os.environ


def test_importing_impetus_applied_them():
    import impetus  # noqa: F401  (conftest imports jax first; impetus still sets the flags)

    assert all(flag in os.environ.get("XLA_FLAGS", "") for flag in CPU_DEFAULTS) \
        or os.environ.get("IMPETUS_XLA_DEFAULTS") == "0"
