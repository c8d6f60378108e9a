"""Agent play: a checkpoint's policy plays the edited level (editor.agent, the play websocket)."""

import json
import warnings

import jax
import numpy as np
import pytest
from safetensors.numpy import save_file

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from impetus.agents import checkpoint
from impetus.agents.config import resolve
from impetus.agents.envs import make_core_env
from impetus.agents.networks import distribution_for, dummy_observation, make_network
from impetus.editor import model
from impetus.editor.agent import Agent, AgentSession
from impetus.editor.history import History
from impetus.editor.server import create_app
from impetus.env import to_channels
from impetus.levels import LevelError


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A checkpoint folder of a freshly initialised flat-MLP policy for size S (as ``impetus train``
    would write it, less the optimizer state, which play mode does not read)."""
    config = resolve("tiny", ["network=flat-mlp"])
    env = make_core_env(config)
    network = make_network(config.network, distribution_for(env.action_space()))
    variables = network.init(jax.random.key(3), dummy_observation(env.observation_space()))
    path = tmp_path_factory.mktemp("run") / "checkpoints" / "update_00000008"
    path.mkdir(parents=True)
    save_file({k: np.ascontiguousarray(v) for k, v in checkpoint.flatten(variables, "params").items()},
              str(path / checkpoint.STATE_FILE))
    meta = {"format": checkpoint.FORMAT, "format_version": checkpoint.FORMAT_VERSION, "config": config.to_dict(),
            "update": 8}
    (path / checkpoint.META_FILE).write_text(json.dumps(meta))
    return path.parent.parent


@pytest.fixture(scope="module")
def level():
    h = History(model.new_document("s"))
    h.edit("add_circle", {"position": [1.0, 0.6], "radius": 0.2, "role": "green"})
    h.edit("add_rectangle", {"position": [4.0, 0.6], "half_size": [0.2, 0.2], "role": "blue", "fixed": True})
    h.edit("add_thruster", {"shape": "c0", "anchor": [1.0, 0.6], "direction": 0.0})
    return h.level


@pytest.fixture(scope="module")
def agent(run_dir):
    return Agent(run_dir)


def test_the_agent_chooses_every_action(agent, level):
    policy = jax.jit(lambda params, obs: agent.dist.mode(
        agent.apply(params, jax.tree_util.tree_map(lambda x: x[None], obs)).pi[0]))
    session = AgentSession(level, agent)
    assert agent.name == "update_00000008 (flat-mlp, size s)"
    for t in range(1, 4):
        expected = np.asarray(to_channels(policy(agent.net_params, session.obs), agent.env.static))
        frame = session.step(np.zeros(6))  # the keyboard's action is ignored
        assert frame["t"] == t and frame["action"] == np.round(expected, 3).tolist()


def test_levels_larger_than_the_agent_are_refused(agent):
    big = History(model.new_document("l")).level
    with pytest.raises(LevelError, match="does not fit the agent's size 's'"):
        AgentSession(big, agent)


def test_agent_play_over_the_websocket(run_dir, tmp_path):
    app = create_app(tmp_path, "level.json", warm=False, checkpoint=run_dir)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/api/state").json()["agent"] == "update_00000008 (flat-mlp, size s)"
        with client.websocket_connect("ws://127.0.0.1/api/play") as ws:
            ws.send_json({"type": "start", "agent": True, "paused": True})
            assert ws.receive_json()["type"] == "status"
            scene = ws.receive_json()
            assert scene["type"] == "scene" and scene["frame"]["t"] == 0
            ws.send_json({"type": "step", "count": 5})
            frame = ws.receive_json()
            assert frame["t"] == 5 and len(frame["action"]) == 6
    plain = create_app(tmp_path, "level.json", warm=False)
    with TestClient(plain, base_url="http://127.0.0.1") as client, \
            client.websocket_connect("ws://127.0.0.1/api/play") as ws:
        ws.send_json({"type": "start", "agent": True})
        assert ws.receive_json()["error"] == "no agent: start the editor with --checkpoint RUN_OR_CHECKPOINT"
