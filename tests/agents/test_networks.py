"""Networks: reference parameter counts, every observation x action type, permutation invariance."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.agents.config import NetworkConfig
from impetus.agents.networks import distribution_for, dummy_observation, make_network, param_count
from impetus.env import ImpetusEnv, make_static_env_params
from impetus.env.examples import motor_and_thruster

OBS = {"transformer": "entity", "pi-mlp": "entity", "flat-mlp": "flat", "cnn": "pixels"}
SMALL = {"head_width": 16, "head_depth": 1, "transformer_encoder_size": 16, "transformer_depth": 1,
         "encoder_size": 8, "embedding_dim": 16, "flat_width": 16}


def shapes_of(network: str, size: str = "m", action: str = "multi_discrete", **kw):
    env = ImpetusEnv(make_static_env_params(size, observation=OBS[network], action=action))
    dist = distribution_for(env.action_space())
    module = make_network(NetworkConfig(network=network, **kw), dist)
    params = jax.eval_shape(module.init, jax.random.key(0), dummy_observation(env.observation_space()))
    return env, dist, module, params


@pytest.mark.parametrize("network, size, reference", [
    ("transformer", "m", 786_369), ("pi-mlp", "m", 221_521), ("flat-mlp", "s", 185_361), ("cnn", "m", 2_243_265)])
def test_reference_parameter_counts(network, size, reference):
    """Kinetix's counts (reference section 7.2) with the default config, multi-discrete actions."""
    count = param_count(shapes_of(network, size)[3])
    assert abs(count - reference) / reference < 0.01, count


@pytest.mark.parametrize("network", list(OBS))
@pytest.mark.parametrize("action, width", [("multi_discrete", 16), ("discrete", 11), ("continuous", 6)])
def test_outputs_for_every_observation_and_action_type(network, action, width):
    env, dist, module, _ = shapes_of(network, "s", action, **SMALL)
    obs = dummy_observation(env.observation_space(), batch=3)
    out = jax.eval_shape(lambda o: module.apply(module.init(jax.random.key(0), o), o), obs)
    assert out.pi.shape == (3, width) and out.value.shape == (3,)
    assert (out.log_std is not None) == (action == "continuous")
    assert dist.param_size == width


def swap_circles(obs: dict, P: int) -> dict:
    """The same scene with circle slots 0 and 1 exchanged (rows, masks, indices, attention)."""
    perm = np.arange(obs["attention_mask"].shape[-1])
    perm[[P, P + 1]] = [P + 1, P]
    out = dict(obs)
    out["circles"] = obs["circles"][::-1]
    out["circle_mask"] = obs["circle_mask"][::-1]
    out["attention_mask"] = obs["attention_mask"][:, perm][:, :, perm]
    out["joint_indexes"] = jnp.asarray(perm)[obs["joint_indexes"]]
    out["thruster_indexes"] = jnp.asarray(perm)[obs["thruster_indexes"]]
    return out


@pytest.mark.parametrize("network", ["transformer", "pi-mlp"])
def test_entity_networks_ignore_slot_order(network):
    level = motor_and_thruster()  # a box with a thruster, a jointed wheel, a blue ball: both circles active
    env = ImpetusEnv(make_static_env_params("s"))
    obs, _ = jax.jit(env.reset_to_level)(jax.random.key(0), level, env.default_params)
    swapped = swap_circles(obs, env.static.sim.num_polygons)
    assert not np.array_equal(swapped["circles"], obs["circles"])
    _, _, module, _ = shapes_of(network, "s", **SMALL)
    batch = jax.tree_util.tree_map(lambda a, b: jnp.stack([a, b]), obs, swapped)
    out = jax.jit(lambda b: module.apply(module.init(jax.random.key(1), b), b))(batch)
    np.testing.assert_allclose(out.pi[0], out.pi[1], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(out.value[0], out.value[1], rtol=1e-4, atol=1e-5)
