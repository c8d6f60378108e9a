"""Data-parallel PPO over several devices (``run.devices > 1``), on JAX's own sharding.

One learner per device, as in purejaxrl's pmap trainer but written with ``jax.shard_map`` over a
one-axis :class:`~jax.sharding.Mesh`: each learner steps ``num_envs / devices`` envs of its own
(its keys are folded with its device index), computes GAE and the PPO loss on its own
transitions, and every minibatch step applies the *mean* gradient over learners (``pmean``), so
the parameters and optimiser state stay identical everywhere.  Metrics are averaged over
learners; episode counts and sums are added.

Layout of the :class:`~impetus.agents.train.TrainState`: ``params``, ``opt_state``, ``key`` and
``update`` are replicated (stored once, exactly as with one device, so checkpoints, evaluation
and fine-tuning read them unchanged).  Without a curriculum, ``env_state`` and ``obs`` get a
leading ``(devices,)`` axis, one slice per learner (the env state of ``train_levels=random`` also
holds per-learner scalars: the level pool of ``AutoResetRandomWrapper``).  With a curriculum the
state keeps the one-device layout and the env axis is split over learners for each period of
updates; the curriculum's ``advance`` (one level buffer for all envs) runs as one program over
the whole batch between periods.

Differences from one learner with all the envs: advantages are normalised per learner's
minibatch, and each learner shuffles its own transitions.  On CPU, ``impetus train devices=2``
splits the host into two XLA devices first (``cli.jaxsetup.use_host_devices``).
"""

import dataclasses
import functools

import jax
import numpy as np
from jax.sharding import Mesh, PartitionSpec

from ..levels import Level
from .config import ConfigError, TrainConfig
from .curriculum import CurriculumState
from .train import Train, TrainState, curriculum_updates

AXIS = "devices"


def learner_config(config: TrainConfig, share: int = 1) -> TrainConfig:
    """``config`` on one device with ``num_envs / share`` envs."""
    ppo = dataclasses.replace(config.ppo, num_envs=config.ppo.num_envs // share)
    return dataclasses.replace(config, ppo=ppo, run=dataclasses.replace(config.run, devices=1))


def device_mesh(count: int) -> Mesh:
    """A one-axis mesh over the first ``count`` devices (a one-line :class:`ConfigError` if there are fewer)."""
    devices = jax.devices()
    if len(devices) < count:
        hint = " (on CPU the CLI splits the host; in Python set XLA_FLAGS=--xla_force_host_platform_device_count " \
               "before JAX starts)" if devices[0].platform == "cpu" else ""
        raise ConfigError(f"devices={count} but JAX has {len(devices)} {devices[0].platform} device(s){hint}")
    return Mesh(np.array(devices[:count]), (AXIS,))


def _stack(state: TrainState) -> TrainState:
    add = lambda tree: jax.tree_util.tree_map(lambda x: x[None], tree)  # noqa: E731
    return state.replace(env_state=add(state.env_state), obs=add(state.obs))


def _unstack(state: TrainState) -> TrainState:
    drop = lambda tree: jax.tree_util.tree_map(lambda x: x[0], tree)  # noqa: E731
    return state.replace(env_state=drop(state.env_state), obs=drop(state.obs))


_REP, _PER = PartitionSpec(), PartitionSpec(AXIS)
#: Partition specs of a :class:`TrainState` (pytree prefixes): per-learner env state and
#: observations (and, with a curriculum, each env's level, buffer slot and statistics), the rest
#: replicated.  The buffer is not part of a period's input (``curriculum_updates``).
SPECS = TrainState(params=_REP, opt_state=_REP, env_state=_PER, obs=_PER, key=_REP, update=_REP, curriculum=None)
CURRICULUM_SPECS = SPECS.replace(curriculum=CurriculumState(
    buffer=None, levels=_PER, slot=_PER, branch=_REP, learn=_REP, train_on_new=_REP, stats=_PER, key=_REP,
    fresh_score=_REP, fresh_solve_rate=_REP))


class ParallelTrain:
    """The training functions of ``config`` with ``config.run.devices`` learners; the same interface
    as :class:`~impetus.agents.train.Train` (``init``, ``update_step``, ``with_params``, ...)."""

    def __init__(self, config: TrainConfig, train_levels: Level | None = None):
        self.config = config
        self.learner = Train(learner_config(config, config.run.devices), train_levels, axis_name=AXIS)
        self.env, self.dist, self.network = self.learner.env, self.learner.dist, self.learner.network
        self.optimizer = self.learner.optimizer
        self.mesh = device_mesh(config.run.devices)
        self._shard = functools.partial(jax.shard_map, mesh=self.mesh, check_vma=False)
        if config.ued.curriculum == "none":
            self.curriculum = None
            self.init = jax.jit(self._shard(lambda key: _stack(self.learner._init(key)), in_specs=_REP,
                                            out_specs=SPECS))
            self.update_step = jax.jit(self._updates, static_argnums=1)
        else:  # one-device layout; the whole-batch curriculum runs init and advance
            whole = Train(learner_config(config), train_levels)
            self.curriculum, self.init, self._advance = whole.curriculum, whole.init, whole._advance
            self._period = jax.jit(self._shard(self.learner._period_updates, in_specs=(CURRICULUM_SPECS,),
                                               out_specs=(CURRICULUM_SPECS, _REP)))
            self.update_step = functools.partial(curriculum_updates, self._period, self._advance, config)

    def _updates(self, state: TrainState, num_updates: int | None = None) -> tuple[TrainState, dict]:
        def run(s):
            s, metrics = self.learner.updates(_unstack(s), num_updates)
            return _stack(s), metrics

        return self._shard(run, in_specs=(SPECS,), out_specs=(SPECS, _REP))(state)

    def init_params(self, key: jax.Array):
        return self.learner.init_params(key)

    def with_params(self, state: TrainState, params) -> TrainState:
        return self.learner.with_params(state, params)

    def __call__(self, key: jax.Array) -> tuple[TrainState, dict]:
        """Train from scratch for ``config.num_updates`` updates."""
        return self.update_step(self.init(key), self.config.num_updates)
