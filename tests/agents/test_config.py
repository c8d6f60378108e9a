"""Config: reference defaults, presets, key=value overrides and one-line errors."""

import pytest

from impetus.agents.config import PRESETS, ConfigError, TrainConfig, from_dict, resolve


def test_defaults_are_the_kinetix_reference():
    c = TrainConfig()
    ppo = c.ppo
    assert (ppo.gamma, ppo.gae_lambda, ppo.clip_eps, ppo.update_epochs, ppo.num_minibatches) == (0.995, 0.9, 0.2, 8, 32)
    assert (ppo.lr, ppo.ent_coef, ppo.vf_coef, ppo.max_grad_norm, ppo.adam_eps) == (5e-5, 0.01, 0.5, 1.0, 1e-5)
    assert ppo.normalize_advantages and ppo.clip_value_loss
    assert (c.env.dense_reward_scale, c.env.frame_skip, c.env.action) == (0.2, 2, "multi_discrete")
    assert c.network.network == "transformer" and c.observation == "entity"


def test_overrides_by_field_or_section_and_typed_values():
    c = resolve("cpu", ["lr=1e-3", "ppo.num_envs=64", "total_timesteps=2**20", "anneal_lr=yes", "name=x"])
    assert c.ppo.lr == 1e-3 and c.ppo.num_envs == 64 and c.ppo.total_timesteps == 2**20 and c.ppo.anneal_lr
    assert c.run.name == "x" and c.network.network == "pi-mlp"
    assert resolve(None, ["total_timesteps=1e6"]).ppo.total_timesteps == 1_000_000
    assert resolve(None, ["num_envs=1_024"]).ppo.num_envs == 1024


@pytest.mark.parametrize("items, message", [
    (["lrr=1"], "unknown config key 'lrr'; did you mean 'lr'?"),
    (["lr=fast"], "bad value for lr: 'fast' is not a number"),
    (["num_envs=2.5"], "bad value for num_envs: '2.5' is not an integer"),
    (["anneal_lr=maybe"], "bad value for anneal_lr: 'maybe' is not a boolean (true/false)"),
    (["network=rnn"], "bad value for network: 'rnn'; expected one of transformer, pi-mlp, flat-mlp, cnn"),
    (["num_envs=0"], "bad value for num_envs: 0; must be > 0"),
    (["lr"], "expected key=value, got 'lr'"),
    (["num_envs=10", "num_steps=3"], "num_envs * num_steps (30) must be divisible by num_minibatches (32)"),
    (["num_heads=6"], "num_heads (6) must be a multiple of 4"),
])
def test_errors_are_one_clear_line(items, message):
    with pytest.raises(ConfigError) as err:
        resolve(None, items)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_unknown_preset():
    with pytest.raises(ConfigError, match="unknown preset 'gpu'; expected one of reference, cpu, tiny"):
        resolve("gpu")


def test_presets_are_valid_and_roundtrip_through_json_dicts():
    for name in PRESETS:
        config = resolve(name)
        assert from_dict(config.to_dict()) == config
    with pytest.raises(ConfigError, match="unknown config section 'optim'"):
        from_dict({"optim": {}})


def test_derived_sizes():
    c = resolve("tiny")
    assert c.batch_size == c.ppo.num_envs * c.ppo.num_steps
    assert c.minibatch_size * c.ppo.num_minibatches == c.batch_size
    assert c.num_updates == c.ppo.total_timesteps // c.batch_size


def test_cpu_preset_trains_with_dr_and_a_level_set_implies_no_curriculum():
    assert resolve("cpu").ued.curriculum == "dr"
    assert resolve("cpu", ["train_levels=s/thrust_up"]).ued.curriculum == "none"
    assert resolve("cpu", ["env.train_levels=random"]).ued.curriculum == "dr"
    assert resolve("cpu", ["curriculum=sfl"]).ued.curriculum == "sfl"
    with pytest.raises(ConfigError, match="curriculum=sfl draws its own levels"):
        resolve("cpu", ["train_levels=s/thrust_up", "curriculum=sfl"])
