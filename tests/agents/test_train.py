"""PPO training: a tiny config learns a trivial level; resume is bitwise; checkpoints are safe."""

import json

import jax
import numpy as np
import pytest

from impetus.agents import checkpoint
from impetus.agents.config import resolve
from impetus.agents.envs import env_params
from impetus.agents.evaluate import Evaluator
from impetus.agents.levelsets import load_level_set
from impetus.agents.train import make_config_static, make_train

CONFIG = resolve("tiny")  # pi-mlp on the library level s/thrust_right (thrusting right reaches blue)


@pytest.fixture(scope="module")
def train():
    return make_train(CONFIG)


@pytest.fixture(scope="module")
def state0(train):
    return train.init(jax.random.key(0))


def leaves_equal(a, b) -> bool:
    def data(x):
        return np.asarray(jax.random.key_data(x) if jax.dtypes.issubdtype(x.dtype, jax.dtypes.prng_key) else x)

    la, lb = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    return len(la) == len(lb) and all(np.array_equal(data(x), data(y)) for x, y in zip(la, lb, strict=True))


def test_tiny_config_improves_on_a_trivial_level(train, state0):
    level_set = load_level_set("s/thrust_right", make_config_static(CONFIG))
    evaluate = Evaluator(train.env.core, env_params(CONFIG), train.network.apply, train.dist, level_set, 8)
    before = evaluate(state0.params, jax.random.key(1)).summarize()["overall"]
    state = state0
    for _ in range(6):  # 48 updates, 24,576 env steps
        state, metrics = train.update_step(state)
    after = evaluate(state.params, jax.random.key(1)).summarize()["overall"]
    assert int(state.update) == 48
    assert after["return"] > before["return"] + 0.5, (before, after)
    assert after["solve_rate"] >= 0.5 > before["solve_rate"], (before, after)
    assert np.isfinite(np.asarray(metrics["loss/total"])).all()


def test_resume_continues_bit_for_bit(train, state0, tmp_path):
    straight, _ = train.update_step(state0)
    straight, _ = train.update_step(straight)
    half, _ = train.update_step(state0)
    checkpoint.save(tmp_path / "ckpt", half, CONFIG)
    tensors, meta = checkpoint.read(tmp_path / "ckpt")
    assert meta["update"] == 8 and checkpoint.config_of(meta) == CONFIG
    fresh = make_train(checkpoint.config_of(meta))  # as a new process would
    resumed = checkpoint.restore(fresh.init(jax.random.key(123)), tensors)
    resumed, _ = fresh.update_step(resumed)
    assert int(resumed.update) == 16
    assert leaves_equal(straight.params, resumed.params)
    assert leaves_equal(straight.opt_state, resumed.opt_state)
    assert leaves_equal((straight.env_state, straight.obs, straight.key), (resumed.env_state, resumed.obs, resumed.key))


@pytest.mark.parametrize("damage, message", [
    (lambda p: (p / "state.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json"),
     "unreadable state.safetensors"),
    (lambda p: (p / "state.safetensors").write_bytes((p / "state.safetensors").read_bytes()[:100]),
     "unreadable state.safetensors"),
    (lambda p: (p / "meta.json").write_text("{"), "unreadable meta.json"),
    (lambda p: (p / "meta.json").write_text(json.dumps({"format": "pickle"})), "is not an Impetus checkpoint"),
    (lambda p: (p / "meta.json").write_text(json.dumps({"format": "impetus-checkpoint", "format_version": 99})),
     "format version 99 is not supported"),
    (lambda p: (p / "state.safetensors").unlink(), "unreadable state.safetensors"),
])
def test_malformed_checkpoints_give_one_line_errors(state0, tmp_path, damage, message):
    path = checkpoint.save(tmp_path / "ckpt", state0, CONFIG)
    damage(path)
    with pytest.raises(checkpoint.CheckpointError) as err:
        checkpoint.read(path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_checkpoint_of_another_config_is_rejected(train, state0, tmp_path):
    checkpoint.save(tmp_path / "ckpt", state0, CONFIG)
    tensors, _ = checkpoint.read(tmp_path / "ckpt")
    other = make_train(resolve("tiny", ["embedding_dim=8"]))
    template = jax.eval_shape(other.init_params, jax.random.key(0))
    template = jax.tree_util.tree_map(lambda s: np.zeros(s.shape, s.dtype), template)
    with pytest.raises(checkpoint.CheckpointError, match=r"expected float32.*different config"):
        checkpoint.restore_params(template, tensors)
    with pytest.raises(checkpoint.CheckpointError, match="no such checkpoint"):
        checkpoint.read(tmp_path / "missing")
