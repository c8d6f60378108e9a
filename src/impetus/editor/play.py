"""Play mode: the real environment (``impetus.env.ImpetusEnv``) stepped on the server.

A :class:`PlaySession` holds one episode on one level.  Each :meth:`PlaySession.step` takes the
action channels the page sends (motor channels in [-1, 1], thruster channels in [0, 1]; the
``continuous`` action type) and runs one jitted environment step (``frame_skip`` physics steps
of 1/60 s, so 30 steps per second is real time at the default frame skip of 2).

The page draws from two messages: :meth:`PlaySession.scene` once per episode (the shapes'
geometry about their centres of mass, roles, joints and thrusters) and :meth:`PlaySession.frame`
after every step (positions [m] and rotations [rad] of every body slot, the step reward and the
outcome ``"goal"``, ``"death"``, ``"timeout"`` or ``None``).

One compile per level size (``StaticSimParams``): the jitted functions are cached per
:class:`~impetus.env.StaticEnvParams`, and :func:`warm` compiles them ahead (the server calls it
in a background thread when a level is opened).
"""

import functools
import threading

import jax
import jax.numpy as jnp
import numpy as np

from ..env import EnvParams, ImpetusEnv, StaticEnvParams
from ..levels import Level

FRAME_SKIP = 2
_LOCK = threading.Lock()


def env_static(level: Level, frame_skip: int = FRAME_SKIP) -> StaticEnvParams:
    """The environment configuration play mode uses for ``level``'s size."""
    return StaticEnvParams(sim=level.static, frame_skip=frame_skip, observation="flat", action="continuous")


@functools.cache
def compiled(static: StaticEnvParams):
    """(init_state, step_env) of ``ImpetusEnv(static)``, jitted (cached per ``static``)."""
    env = ImpetusEnv(static)
    return jax.jit(env.init_state), jax.jit(env.step_env)


def warm(level: Level, frame_skip: int = FRAME_SKIP) -> None:
    """Compile play mode for ``level``'s size now (thread-safe; a no-op once compiled)."""
    session = PlaySession(level, frame_skip)
    session.step(session.channels())


@functools.cache
def _key() -> jax.Array:
    return jax.random.key(0)  # unused by the env (its steps are deterministic)


class PlaySession:
    """One episode of play on ``level`` (see the module docstring)."""

    def __init__(self, level: Level, frame_skip: int = FRAME_SKIP, params: EnvParams | None = None,
                 static: StaticEnvParams | None = None):
        self.level = level
        self.static = static or env_static(level, frame_skip)
        self.params = params or EnvParams()
        self.reset()

    @property
    def num_channels(self) -> int:
        return self.static.num_action_channels

    @property
    def steps_per_second(self) -> int:
        """Environment steps per second of simulated time (``1 / (dt * frame_skip)``)."""
        return max(1, round(1.0 / (float(self.params.sim.dt) * self.static.frame_skip)))

    def reset(self) -> None:
        """Back to the level's initial state."""
        with _LOCK:
            self.state = self._initial_state()
        self.action = self.channels()
        self.reward = 0.0
        self.total = 0.0
        self.outcome = None

    def _initial_state(self):
        init, _ = compiled(self.static)
        return init(self.level, self.params)

    def _advance(self, action):
        """``(state, reward, terminated, truncated, info)`` after one step with ``action`` (channels)."""
        _, step = compiled(self.static)
        self.action = np.asarray(action, np.float32)
        return step(_key(), self.state, jnp.asarray(self.action), self.params)

    def channels(self, motors=(), thrusters=()) -> np.ndarray:
        """The continuous action ``(nmb + ntb,)`` from per-binding motor and thruster values."""
        nmb, ntb = self.static.num_motor_bindings, self.static.num_thruster_bindings
        action = np.zeros(nmb + ntb, np.float32)
        motors, thrusters = np.asarray(motors, np.float32)[:nmb], np.asarray(thrusters, np.float32)[:ntb]
        action[:len(motors)] = np.clip(np.nan_to_num(motors), -1.0, 1.0)
        action[nmb:nmb + len(thrusters)] = np.clip(np.nan_to_num(thrusters), 0.0, 1.0)
        return action

    def step(self, action) -> dict:
        """One environment step with ``action`` (channels); returns the frame.  After the episode
        has ended the state stays as it was until :meth:`reset`."""
        if self.outcome is None:
            with _LOCK:
                state, reward, terminated, truncated, info = self._advance(action)
                state = jax.block_until_ready(state)
            self.state, self.reward = state, float(reward)
            self.total += self.reward
            if bool(terminated):
                self.outcome = "goal" if bool(info["goal"]) else "death"
            elif bool(truncated):
                self.outcome = "unstable" if bool(info["nonfinite"]) else "timeout"
        return self.frame()

    def frame(self) -> dict:
        """Poses of every body slot and the episode's progress (JSON-ready)."""
        body = self.state.sim.body
        return {"type": "frame", "t": int(self.state.timestep), "limit": int(self.level.max_timesteps),
                "position": np.round(np.asarray(body.position, np.float64), 5).tolist(),
                "rotation": np.round(np.asarray(body.rotation, np.float64), 5).tolist(),
                "reward": round(self.reward, 5), "return": round(self.total, 5), "outcome": self.outcome,
                "action": np.round(np.asarray(self.action, np.float64), 3).tolist()}

    def scene(self) -> dict:
        """The geometry to draw (JSON-ready): shapes about their centres of mass, joints, thrusters."""
        sim, level = self.state.sim, self.level
        P = level.static.num_polygons
        active = np.asarray(sim.body.active)
        role, fixed = np.asarray(level.shape.role), np.asarray(level.shape.fixed)
        verts, counts = np.asarray(sim.polygon.vertices, np.float64), np.asarray(sim.polygon.n_vertices)
        radius = np.asarray(sim.circle.radius, np.float64)
        shapes = []
        for i in np.nonzero(active)[0].tolist():
            shape = {"index": i, "role": int(role[i]), "fixed": bool(fixed[i])}
            if i < P:
                shape["vertices"] = np.round(verts[i, :counts[i]], 5).tolist()
            else:
                shape["radius"] = round(float(radius[i - P]), 5)
            shapes.append(shape)
        j, t = sim.joint, sim.thruster
        joints = [{"a": int(j.body_a[k]), "b": int(j.body_b[k]), "anchor_a": np.asarray(j.anchor_a[k]).tolist(),
                   "fixed": bool(j.is_fixed[k]), "motor": bool(j.motor_on[k]),
                   "binding": int(level.joint.motor_binding[k])} for k in np.nonzero(np.asarray(j.active))[0]]
        thrusters = [{"body": int(t.body[k]), "anchor": np.asarray(t.anchor[k]).tolist(), "angle": float(t.angle[k]),
                      "binding": int(level.thruster.binding[k])} for k in np.nonzero(np.asarray(t.active))[0]]
        return {"type": "scene", "shapes": shapes, "joints": joints, "thrusters": thrusters,
                "motor_channels": self.static.num_motor_bindings,
                "steps_per_second": self.steps_per_second, "frame": self.frame()}
