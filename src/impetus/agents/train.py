"""PPO training, purejaxrl style: ``make_train(config) -> train(key)``, the whole update jitted.

The work is split so that the host loop can log, evaluate and checkpoint between calls::

    train = make_train(config)                 # builds env, network, optimiser (no compile yet)
    state = train.init(key)                    # jitted: params, optimiser state, env states
    state, metrics = train.update_step(state)  # jitted: run_config.log_every PPO updates
    state, metrics = train(key)                # or everything at once (init + all updates)

One PPO update (:meth:`Train.update`): a rollout of ``num_steps`` in ``num_envs`` envs
(``rollout``), GAE (``gae``), then ``update_epochs`` passes over the ``num_envs * num_steps``
transitions, each shuffled into ``num_minibatches`` minibatches with one Adam step on the PPO
loss (``losses``) per minibatch.  Metrics are means over those steps plus episode sums.
Nothing in :class:`TrainState` is donated, so an interrupted call leaves the previous state valid.

With a curriculum (``ued.curriculum``, see ``curriculum``) the updates come in periods of
``ued.level_period``: ``update_step`` alternates a jitted period of updates (the same program for
every curriculum, so it compiles once) with the curriculum's jitted ``advance``, which scores the
period's levels and resets the envs onto the next ones.
"""

import functools

import jax
import jax.numpy as jnp
import optax

from ..engine._pytree import PyTreeNode
from ..levels import Level
from ..ued import accumulate
from .config import TrainConfig
from .curriculum import CurriculumState, make_curriculum
from .envs import BatchedEnv
from .gae import gae
from .losses import Batch, ppo_loss
from .networks import distribution_for, dummy_observation, make_network, used_observation
from .rollout import bootstrap_inputs, episode_stats, make_rollout

# optax >= 0.2.5 has optax.tree.norm and deprecates global_norm
_tree_norm = getattr(getattr(optax, "tree", None), "norm", None) or optax.global_norm


class TrainState(PyTreeNode):
    """Everything a training run carries from one update to the next."""

    params: dict
    opt_state: object
    env_state: object
    obs: object
    key: jax.Array
    update: jax.Array  # int32 scalar: PPO updates done
    curriculum: CurriculumState | None = None  # None without a curriculum


def make_optimizer(config: TrainConfig) -> optax.GradientTransformation:
    """Global-norm clipping then Adam (constant lr, or linear decay to 0 with ``anneal_lr``)."""
    ppo = config.ppo
    lr = ppo.lr
    if ppo.anneal_lr:
        lr = optax.linear_schedule(ppo.lr, 0.0, config.num_updates * ppo.update_epochs * ppo.num_minibatches)
    return optax.chain(optax.clip_by_global_norm(ppo.max_grad_norm), optax.adam(lr, eps=ppo.adam_eps))


def _flatten(tree, n: int):
    return jax.tree_util.tree_map(lambda x: x.reshape((n, *x.shape[2:])), tree)


class Train:
    """The training functions of one config (module docstring); build with :func:`make_train`."""

    def __init__(self, config: TrainConfig, train_levels: Level | None = None, axis_name: str | None = None):
        self.config = config
        self.axis_name = axis_name  # set by ``parallel.ParallelTrain``: one learner per device along this axis
        self.env = BatchedEnv(config, train_levels)
        self.dist = distribution_for(self.env.action_space())
        self.network = make_network(config.network, self.dist)
        self.optimizer = make_optimizer(config)
        self.rollout = make_rollout(self.env, self.network.apply, self.dist, config.ppo.num_steps,
                                    config.env.bootstrap_truncated, functools.partial(used_observation, config.network))
        self.curriculum = make_curriculum(config, self.env, self.network.apply, self.dist)
        if self.curriculum is None:
            self.init = jax.jit(self._init)
            self.update_step = jax.jit(self.updates, static_argnums=1)
        else:
            self._init_jit = jax.jit(self._init)
            self._period = jax.jit(self._period_updates)
            self._advance = jax.jit(self._advance_period)
            self.init = lambda key: self._advance(self._init_jit(key))[0]  # the first advance picks the levels
            self.update_step = self._curriculum_step

    def init_params(self, key: jax.Array):
        """Fresh network parameters."""
        return self.network.init(key, dummy_observation(self.env.observation_space()))

    def _init(self, key: jax.Array) -> TrainState:
        k_params, k_env, k_train = jax.random.split(key, 3)
        k_env = self._per_device(k_env)
        params = self.init_params(k_params)
        curriculum = None
        if self.curriculum is None:
            obs, env_state = self.env.reset(k_env)
        else:
            curriculum, obs, env_state = self.curriculum.init(k_env)
        return TrainState(params=params, opt_state=self.optimizer.init(params), env_state=env_state, obs=obs,
                          key=k_train, update=jnp.zeros((), jnp.int32), curriculum=curriculum)

    def with_params(self, state: TrainState, params) -> TrainState:
        """``state`` with new parameters and a fresh optimiser state (fine-tuning)."""
        return state.replace(params=params, opt_state=self.optimizer.init(params))

    def _minibatch_step(self, carry, batch: Batch):
        params, opt_state = carry
        c = self.config.ppo
        grad_fn = jax.value_and_grad(ppo_loss, has_aux=True)
        (_, metrics), grads = grad_fn(params, self.network.apply, self.dist, batch, c.clip_eps, c.vf_coef,
                                      c.ent_coef, c.clip_value_loss, c.normalize_advantages)
        if self.axis_name is not None:  # data parallel: every learner applies the mean gradient
            grads = jax.lax.pmean(grads, self.axis_name)
        updates, opt_state = self.optimizer.update(grads, opt_state, params)
        metrics["grad_norm"] = _tree_norm(grads)
        return (optax.apply_updates(params, updates), opt_state), metrics

    def _epoch(self, carry, key, data: Batch):
        n, k = self.config.batch_size, self.config.ppo.num_minibatches
        order = jax.random.permutation(key, n)
        shuffled = jax.tree_util.tree_map(lambda x: x[order].reshape((k, n // k, *x.shape[1:])), data)
        return jax.lax.scan(self._minibatch_step, carry, shuffled)

    def update(self, state: TrainState) -> tuple[TrainState, dict]:
        """One PPO update (rollout, GAE, epochs of minibatch steps)."""
        c = self.config
        key, k_roll, k_epochs = jax.random.split(state.key, 3)
        k_roll, k_epochs = self._per_device(k_roll), self._per_device(k_epochs)
        env_state, obs, traj, last_value = self.rollout(state.params, state.env_state, state.obs, k_roll)
        next_values, terminated = bootstrap_inputs(traj, last_value, c.env.bootstrap_truncated)
        advantages, targets = gae(traj.reward, traj.value, next_values, terminated, traj.done, c.ppo.gamma,
                                  c.ppo.gae_lambda)
        n = c.batch_size
        data = Batch(_flatten(traj.obs, n), _flatten(traj.action, n), traj.log_prob.reshape(n),
                     traj.value.reshape(n), advantages.reshape(n), targets.reshape(n))
        (params, opt_state), metrics = self._learn(state, data, k_epochs)
        residual = jnp.var(targets - traj.value)
        metrics["explained_variance"] = 1.0 - residual / jnp.maximum(jnp.var(targets), 1e-8)
        metrics["reward_mean"] = jnp.mean(traj.reward)
        metrics.update(episode_stats(traj))
        curriculum = state.curriculum
        if curriculum is not None:
            curriculum = curriculum.replace(stats=accumulate(curriculum.stats, traj.done, traj.episode_solved,
                                                             traj.episode_return, traj.value, advantages))
        state = TrainState(params=params, opt_state=opt_state, env_state=env_state, obs=obs, key=key,
                           update=state.update + 1, curriculum=curriculum)
        return state, self._across_devices(metrics)

    def _per_device(self, key: jax.Array) -> jax.Array:
        """``key`` made distinct per learner under data parallelism (unchanged otherwise)."""
        if self.axis_name is None:
            return key
        return jax.random.fold_in(key, jax.lax.axis_index(self.axis_name))

    def _across_devices(self, metrics: dict) -> dict:
        """Under data parallelism: episode counts and sums added over learners, the rest averaged."""
        if self.axis_name is None:
            return metrics
        summed = lambda k: k == "episodes" or k.endswith("_sum")  # noqa: E731
        return {k: (jax.lax.psum if summed(k) else jax.lax.pmean)(v, self.axis_name) for k, v in metrics.items()}

    def _learn(self, state: TrainState, data: Batch, key: jax.Array):
        """``update_epochs`` passes of minibatch steps; skipped (NaN metrics) where the curriculum
        says this period does not train (robust PLR on new levels)."""
        def learn(_):
            carry, metrics = jax.lax.scan(lambda carry, k: self._epoch(carry, k, data),
                                          (state.params, state.opt_state),
                                          jax.random.split(key, self.config.ppo.update_epochs))
            return carry, jax.tree_util.tree_map(jnp.mean, metrics)

        if state.curriculum is None:
            return learn(None)
        shapes = jax.eval_shape(learn, None)[1]
        skip = lambda _: ((state.params, state.opt_state),  # noqa: E731
                          jax.tree_util.tree_map(lambda s: jnp.full(s.shape, jnp.nan, s.dtype), shapes))
        return jax.lax.cond(state.curriculum.learn, learn, skip, None)

    def updates(self, state: TrainState, num_updates: int | None = None) -> tuple[TrainState, dict]:
        """``num_updates`` (default ``run.log_every``) updates; metrics stacked ``(num_updates,)``
        (with a curriculum: whole periods, rounded up)."""
        n = num_updates or self.config.run.log_every
        if self.curriculum is None:
            return jax.lax.scan(lambda s, _: self.update(s), state, None, length=n)
        periods = -(-n // self.config.ued.level_period)
        state, metrics = jax.lax.scan(lambda s, _: self._one_period(s), state, None, length=periods)
        return state, jax.tree_util.tree_map(lambda x: x.reshape((-1, *x.shape[2:])), metrics)

    # -- curriculum periods -------------------------------------------------------------------------
    def _period_updates(self, state: TrainState) -> tuple[TrainState, dict]:
        return jax.lax.scan(lambda s, _: self.update(s), state, None, length=self.config.ued.level_period)

    def _advance_period(self, state: TrainState) -> tuple[TrainState, dict]:
        cur, obs, env_state, metrics = self.curriculum.advance(state.curriculum, state.params, state.update)
        return state.replace(curriculum=cur, obs=obs, env_state=env_state), metrics

    def _one_period(self, state: TrainState) -> tuple[TrainState, dict]:
        state, metrics = self._period_updates(state)
        state, extra = self._advance_period(state)
        n = self.config.ued.level_period
        return state, {**metrics, **{k: jnp.broadcast_to(v, (n,)) for k, v in extra.items()}}

    def _curriculum_step(self, state: TrainState, num_updates: int | None = None) -> tuple[TrainState, dict]:
        return curriculum_updates(self._period, self._advance, self.config, state, num_updates)

    def __call__(self, key: jax.Array) -> tuple[TrainState, dict]:
        """Train from scratch for ``config.num_updates`` updates (everything inside one jit)."""
        def start(k):
            state = self._init(k)
            return state if self.curriculum is None else self._advance_period(state)[0]

        return jax.jit(lambda k: self.updates(start(k), self.config.num_updates))(key)


def curriculum_updates(period, advance, config: TrainConfig, state: TrainState, num_updates: int | None = None):
    """Host loop over level periods: the jitted ``period`` of updates (its input holds no buffer, so
    every curriculum shares one compiled program) then the jitted ``advance``; ``num_updates``
    (default ``run.log_every``) rounded up to whole periods, metrics stacked ``(updates,)``."""
    n, length = num_updates or config.run.log_every, config.ued.level_period
    chunks = []
    for _ in range(-(-n // length)):
        buffer = state.curriculum.buffer
        state, metrics = period(state.replace(curriculum=state.curriculum.replace(buffer=None)))
        state, extra = advance(state.replace(curriculum=state.curriculum.replace(buffer=buffer)))
        chunks.append({**metrics, **{k: jnp.broadcast_to(v, (length,)) for k, v in extra.items()}})
    return state, jax.tree_util.tree_map(lambda *xs: jnp.concatenate(xs), *chunks)


def make_train(config: TrainConfig, train_levels: Level | None = None) -> Train:
    """The training functions of ``config``; ``train_levels`` (stacked) override ``env.train_levels``
    (``None`` with ``train_levels=random`` trains on generated levels)."""
    if train_levels is None and config.env.train_levels != "random":
        from .levelsets import load_level_set

        train_levels = load_level_set(config.env.train_levels, make_config_static(config)).levels
    if config.run.devices > 1:
        from .parallel import ParallelTrain

        return ParallelTrain(config, train_levels)
    return Train(config, train_levels)


def make_config_static(config: TrainConfig):
    """The engine capacities of ``config.env.size``."""
    from ..engine.scenes import static_for_size

    return static_for_size(config.env.size)
