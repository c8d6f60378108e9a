"""Open-loop planning on library levels: find, replay and check recorded solutions.

:func:`solve` searches for an action sequence that reaches the goal with the cross-entropy
method (CEM) over *piecewise-constant* multi-discrete sequences: the episode is cut into
``segments`` equal pieces, each holding one action; every piece and channel has a categorical
distribution (motor: off / +1 / -1, thruster: off / on), sampled ``population`` times per
iteration, scored by a batched jitted rollout, and refit to the elite.  Only channels that
drive something in the level are searched; the others stay off.  Scores: a goal scores
``2 - t_goal / T`` (earlier is better), otherwise minus the smallest green-blue distance reached
before the episode ended [m], minus 5 for a death.  A sequence that reaches the goal is kept only
if it is *robust*: it also reaches the goal (and never dies) when every movable shape starts
displaced by ~0.1 mm and 0.1 mrad, so that the rounding of another CPU, a GPU or a later XLA does
not break it.  If no robust sequence is found, the search restarts with twice as many segments
(up to ``max_segments``).

:func:`replay_batch` runs sequences on stacked levels and reports each episode's first
terminal event; the tests replay every recorded solution with it (one compile per size).
Everything runs on the env of :func:`solution_static` (frame skip 2, multi-discrete actions,
4 motor and 2 thruster channels), so a recorded solution replays bit for bit on the same engine.
"""

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np

from ..env import EnvParams, ImpetusEnv, StaticEnvParams
from ..levels import Level, stack
from ..levels.library import Solution
from ..levels.predicates import motor_controls, thruster_controls

NUM_MOTOR_BINDINGS, NUM_THRUSTER_BINDINGS, FRAME_SKIP = 4, 2, 2
MIN_BATCH = 32  # replay batches are padded to a power of two >= this (fewer compiles)
MOTOR_CHOICES, THRUSTER_CHOICES = 3, 2


def solution_static(level_static, frame_skip: int = FRAME_SKIP) -> StaticEnvParams:
    """The env configuration solutions are recorded and replayed in."""
    return StaticEnvParams(sim=level_static, frame_skip=frame_skip, action="multi_discrete",
                           num_motor_bindings=NUM_MOTOR_BINDINGS, num_thruster_bindings=NUM_THRUSTER_BINDINGS)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """First terminal event per episode, arrays ``(B,)``: ``goal`` / ``death`` (bool), ``step``
    (env steps until it, 1-based; ``T`` when none), ``min_distance`` (smallest summed green-blue
    centre distance reached before it [m])."""

    goal: np.ndarray
    death: np.ndarray
    step: np.ndarray
    min_distance: np.ndarray


@functools.lru_cache(maxsize=16)
def _rollout_fn(static: StaticEnvParams):
    """Jitted ``(levels (B,), actions (B, T, A)) -> (goal, death, step, min_distance)``, each ``(B,)``."""
    env = ImpetusEnv(static)
    params = EnvParams()

    def one(level: Level, actions):
        state = env.init_state(level, params)
        T = actions.shape[0]

        def body(carry, action):
            state, event, step, best, t = carry
            state, _, terminated, _, info = env.step_env(jax.random.key(0), state, action, params)
            live = event == 0
            new_event = jnp.where(info["death"], -1, jnp.where(info["goal"], 1, 0))
            event = jnp.where(live & terminated, new_event, event)
            step = jnp.where(live & terminated, t + 1, step)
            best = jnp.where(live, jnp.minimum(best, info["distance"]), best)
            return (state, event, step, best, t + 1), None

        init = (state, jnp.int32(0), jnp.int32(T), state.last_distance, jnp.int32(0))
        (_, event, step, best, _), _ = jax.lax.scan(body, init, actions)
        return event == 1, event == -1, step, best

    return jax.jit(jax.vmap(one))


def replay_batch(levels: Level, actions, frame_skip: int = FRAME_SKIP) -> Outcome:
    """Play ``actions`` (``int (B, T, A)``, multi-discrete) on stacked ``levels`` (``B``) from their
    initial states; pad shorter sequences with zeros (no-op) yourself.

    The batch is padded (with copies of the first episode) to a power of two of at least
    :data:`MIN_BATCH`, so that small batches of one size share one compiled program."""
    static = solution_static(levels.static, frame_skip)
    actions = np.asarray(actions, np.int32)
    B = actions.shape[0]
    padded = max(MIN_BATCH, 1 << (B - 1).bit_length())
    rows = np.concatenate([np.arange(B), np.zeros(padded - B, np.int64)])
    levels = jax.tree_util.tree_map(lambda x: jnp.asarray(x)[rows], levels)
    goal, death, step, best = _rollout_fn(static)(levels, jnp.asarray(actions[rows]))
    return Outcome(*(np.asarray(x)[:B] for x in (goal, death, step, best)))


def replay(level: Level, solution: Solution) -> Outcome:
    """Replay one recorded solution (a batch of one), padded with no-ops to the level's episode
    length so that every solution of one size shares a compile."""
    T = max(int(level.max_timesteps), solution.steps)
    actions = np.zeros((1, T, solution.actions.shape[1]), np.int32)
    actions[0, :solution.steps] = solution.actions
    return replay_batch(stack([level]), actions, solution.frame_skip)


def controlled_channels(level: Level) -> np.ndarray:
    """``bool (4 + 2,)``: which multi-discrete channels drive a joint or thruster of ``level``."""
    used = np.zeros(NUM_MOTOR_BINDINGS + NUM_THRUSTER_BINDINGS, bool)
    motors, thrusters = np.asarray(motor_controls(level)), np.asarray(thruster_controls(level))
    used[np.asarray(level.joint.motor_binding)[motors].clip(0, NUM_MOTOR_BINDINGS - 1)] = True
    used[NUM_MOTOR_BINDINGS + np.asarray(level.thruster.binding)[thrusters].clip(0, NUM_THRUSTER_BINDINGS - 1)] = True
    return used


@dataclasses.dataclass(frozen=True)
class PlanConfig:
    """CEM settings: ``population`` sequences per iteration, ``iterations`` per segment count,
    ``segments`` pieces at first (doubled after a failed round, up to ``max_segments``),
    ``elite`` fraction, ``smoothing`` of the refit (weight of the new frequencies).  A goal
    sequence is accepted only if it also reaches the goal on ``robust_copies - 1`` copies of the
    level perturbed by ``robust_eps`` (:func:`perturbed_copies`)."""

    population: int = 256
    iterations: int = 6
    segments: int = 4
    max_segments: int = 64
    elite: float = 0.1
    smoothing: float = 0.7
    seed: int = 0
    robust_copies: int = 16
    robust_eps: float = 1e-4


def _score(outcome: Outcome, T: int) -> np.ndarray:
    return np.where(outcome.goal, 2.0 - outcome.step / T, -outcome.min_distance - 5.0 * outcome.death)


def _sample(rng: np.random.Generator, probs: np.ndarray, used: np.ndarray, n: int) -> np.ndarray:
    """``(n, K, A)`` choices drawn from ``probs (K, A, 3)``; unused channels are 0."""
    cum = probs.cumsum(-1)
    u = rng.random((n, *probs.shape[:2], 1))
    choice = (u > cum[None]).sum(-1).clip(0, probs.shape[-1] - 1)
    return np.where(used[None, None, :], choice, 0)


def _initial_probs(K: int) -> np.ndarray:
    """Uniform over the valid choices of each channel (thrusters have 2, padded with a 0)."""
    probs = np.zeros((K, NUM_MOTOR_BINDINGS + NUM_THRUSTER_BINDINGS, MOTOR_CHOICES))
    probs[:, :NUM_MOTOR_BINDINGS] = 1 / 3
    probs[:, NUM_MOTOR_BINDINGS:, :THRUSTER_CHOICES] = 1 / 2
    return probs


def _refit(probs: np.ndarray, elite: np.ndarray, smoothing: float) -> np.ndarray:
    counts = np.stack([(elite == c).mean(0) for c in range(MOTOR_CHOICES)], -1)  # (K, A, 3)
    counts[:, NUM_MOTOR_BINDINGS:, THRUSTER_CHOICES:] = 0.0
    new = smoothing * counts + (1 - smoothing) * probs
    return new / new.sum(-1, keepdims=True)


def solve(level: Level, name: str, config: PlanConfig = PlanConfig(), log=None) -> Solution | None:
    """A robust :class:`Solution` reaching the goal of ``level`` (trimmed at the goal step), or ``None``.

    ``log(message)`` is called after each iteration when given."""
    T = int(level.max_timesteps)
    used = controlled_channels(level)
    rng = np.random.default_rng(config.seed)
    batch = stack([level] * config.population)
    checks = perturbed_copies(level, config.robust_copies, config.robust_eps, config.seed)
    k = config.segments
    while k <= config.max_segments:
        probs = _initial_probs(k)
        for it in range(config.iterations):
            choices = _sample(rng, probs, used, config.population)  # (N, K, A)
            actions = np.repeat(choices, -(-T // k), axis=1)[:, :T]
            outcome = replay_batch(batch, actions)
            score = _score(outcome, T)
            solution = _robust(checks, name, actions, outcome, score, config.population) if outcome.goal.any() else None
            if log:
                log(f"{name}: segments {k} iteration {it}: best {score.max():+.3f}, goals {int(outcome.goal.sum())}, "
                    f"robust {solution is not None}")
            if solution is not None:
                return solution
            n_elite = max(2, int(config.elite * config.population))
            probs = _refit(probs, choices[np.argsort(-score)[:n_elite]], config.smoothing)
        k *= 2
    return None


def perturbed_copies(level: Level, copies: int, eps: float, seed: int = 0) -> Level:
    """``copies`` stacked versions of ``level``: the first exact, the others with every non-static
    shape moved by ``N(0, eps)`` [m] and turned by ``N(0, eps)`` [rad] (a stand-in for the rounding
    differences of another CPU, GPU or XLA version, which chaotic levels amplify)."""
    rng = np.random.default_rng(seed + 1)
    static = level.static.num_static_polygons
    out = [level]
    for _ in range(copies - 1):
        s = level.shape
        shift = np.zeros(s.position.shape, np.float32)
        turn = np.zeros(s.rotation.shape, np.float32)
        shift[static:] = rng.normal(0.0, eps, shift[static:].shape)
        turn[static:] = rng.normal(0.0, eps, turn[static:].shape)
        out.append(level.replace(shape=s.replace(position=s.position + shift, rotation=s.rotation + turn)))
    return stack(out)


def _robust(checks: Level, name: str, actions: np.ndarray, outcome: Outcome, score: np.ndarray,
            batch_size: int) -> Solution | None:
    """The best-scoring goal sequence whose replay (trimmed at its goal step, no-ops after) reaches
    the goal without dying on every copy in ``checks``, and exactly at its step on the exact copy."""
    copies, T = len(checks.max_timesteps), actions.shape[1]
    goals = [i for i in np.argsort(-score) if outcome.goal[i]][:max(1, batch_size // copies)]
    trimmed = np.zeros((len(goals), T, actions.shape[2]), np.int32)
    for row, i in enumerate(goals):
        trimmed[row, :outcome.step[i]] = actions[i, :outcome.step[i]]
    tiled = jax.tree_util.tree_map(lambda x: np.concatenate([np.asarray(x)] * len(goals)), checks)
    result = replay_batch(tiled, np.repeat(trimmed, copies, axis=0))
    ok = (result.goal & ~result.death).reshape(len(goals), copies).all(1)
    exact = result.step.reshape(len(goals), copies)[:, 0] == outcome.step[goals]
    for row, i in enumerate(goals):
        if ok[row] and exact[row]:
            return Solution(level=name, actions=trimmed[row, :outcome.step[i]], frame_skip=FRAME_SKIP)
    return None


def episode_frames(level: Level, actions, frame_skip: int = FRAME_SKIP, pixels: int = 250):
    """Yield RGB frames (``uint8 (pixels, pixels, 3)``) of playing ``actions`` (``int (T, 6)``) on
    ``level``: the initial state, then one per env step until the episode ends or ``actions`` run out."""
    from ..env.rollout import jitted
    from ..render.pixels import PixelConfig

    fns = jitted(solution_static(level.static, frame_skip))
    config = PixelConfig.for_screen((pixels, pixels), pixels / 5.0, 1)
    params, key = fns.env.default_params, jax.random.key(0)
    _, state = fns.reset(key, level, params)
    yield np.asarray(fns.render(state, config))
    for action in np.asarray(actions, np.int32):
        _, state, _, terminated, truncated, _ = fns.step(key, state, jnp.asarray(action), params)
        yield np.asarray(fns.render(state, config))
        if bool(terminated) or bool(truncated):
            return
