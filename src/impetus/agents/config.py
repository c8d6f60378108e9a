"""Typed, frozen training configuration: sections, presets and ``key=value`` overrides.

A :class:`TrainConfig` has seven sections (``env``, ``ppo``, ``network``, ``run``, and the
curriculum's ``ued``, ``plr``, ``sfl``; ``impetus train curriculum=sfl``, ``plr.robust=true``).  Defaults are
the Kinetix reference settings (reference section 6.2: PPO with gamma 0.995, lambda 0.9, clip 0.2,
8 epochs x 32 minibatches, lr 5e-5, entity observation, multi-discrete actions, dense reward 0.2,
frame skip 2, the entity transformer).  Presets (:data:`PRESETS`) are named override sets:

* ``reference``: the defaults (2048 envs, 2^30 steps: an accelerator's job);
* ``cpu``: fitted to a 2-core CPU (few envs, short rollouts, few epochs, a small
  permutation-invariant MLP, lr 3e-4); ``impetus train`` uses it by default;
* ``tiny``: seconds-long runs for tests (trains on the library level ``s/thrust_right``).

Overrides are ``key=value`` strings; ``key`` is a field name (unique across sections) or
``section.field``.  Errors are one line (:class:`ConfigError`)::

    config = resolve(preset="cpu", overrides=["lr=1e-3", "ppo.num_envs=64"])
"""

import dataclasses
import difflib
import json
import math
import types
from typing import Any, Union, get_args, get_origin, get_type_hints

NETWORKS = ("transformer", "pi-mlp", "flat-mlp", "cnn")
OBSERVATION_FOR_NETWORK = {"transformer": "entity", "pi-mlp": "entity", "flat-mlp": "flat", "cnn": "pixels"}


class ConfigError(ValueError):
    """A bad key, value or combination in a configuration (a one-line message)."""


@dataclasses.dataclass(frozen=True)
class EnvConfig:
    """What the agent trains on.  ``train_levels``: ``random`` (fresh generated levels of
    ``size``) or comma-separated level names / files / folders / globs (``levelsets``)."""

    size: str = "s"
    train_levels: str = "random"
    action: str = "multi_discrete"
    frame_skip: int = 2
    dense_reward_scale: float = 0.2
    max_timesteps: int = 0  # episode length override in env steps; 0 = each level's own (256)
    bootstrap_truncated: bool = False  # Kinetix treats time-outs as terminal


@dataclasses.dataclass(frozen=True)
class PPOConfig:
    """PPO hyper-parameters (reference section 6.2)."""

    num_envs: int = 2048
    num_steps: int = 64
    total_timesteps: int = 2**30
    update_epochs: int = 8
    num_minibatches: int = 32
    lr: float = 5e-5
    anneal_lr: bool = False
    max_grad_norm: float = 1.0
    adam_eps: float = 1e-5
    gamma: float = 0.995
    gae_lambda: float = 0.9
    clip_eps: float = 0.2
    ent_coef: float = 0.01
    vf_coef: float = 0.5
    clip_value_loss: bool = True
    normalize_advantages: bool = True


@dataclasses.dataclass(frozen=True)
class NetworkConfig:
    """Network choice and sizes (reference section 7).  The observation type follows from
    ``network``: transformer / pi-mlp read ``entity``, flat-mlp ``flat``, cnn ``pixels``."""

    network: str = "transformer"
    head_width: int = 128
    head_depth: int = 5
    activation: str = "tanh"
    transformer_depth: int = 2
    transformer_size: int = 16  # qkv features (all heads together)
    transformer_encoder_size: int = 128  # token width
    num_heads: int = 8
    full_attention_mask: bool = False
    aggregate: str = "dummy_and_mean"
    encoder_size: int = 64  # pi-mlp per-entity encoder width
    embedding_dim: int = 256  # pi-mlp pooled embedding width
    flat_width: int = 128  # flat-mlp first layer


@dataclasses.dataclass(frozen=True)
class RunConfig:
    """The outer loop: seeds, logging, evaluation and checkpoints (intervals in PPO updates)."""

    seed: int = 0
    devices: int = 1  # data-parallel learners, one per device (CPU: host devices; GPUs); num_envs split evenly
    name: str = ""  # run folder name under run_dir; "" = <network>-<size>-<date>-<time>
    run_dir: str = "runs"
    log_every: int = 8  # PPO updates per jitted call; metrics are logged after each call
    eval_every: int = 64
    eval_levels: str = "library:s"
    eval_attempts: int = 20
    eval_deterministic: bool = True  # also evaluate the argmax policy
    gif_every: int = 4  # write GIFs every this many evaluations (0: never)
    num_gifs: int = 2
    checkpoint_every: int = 256
    wandb: bool = False
    wandb_project: str = "impetus"
    wandb_mode: str = "offline"


@dataclasses.dataclass(frozen=True)
class UEDConfig:
    """Which curriculum picks the training levels (``agents.curriculum``).  ``none``: the
    ``env.train_levels`` path (a fresh random level per episode, or a fixed level set);
    ``dr`` / ``plr`` / ``accel`` / ``sfl``: every ``level_period`` PPO updates each env is reset
    onto a level chosen by the curriculum and replays it until the next period."""

    curriculum: str = "none"
    level_period: int = 4  # PPO updates per level batch (Kinetix outer_rollout_steps)
    filter_levels: bool = True  # drop random levels that the no-op policy solves (reference 6.1)


@dataclasses.dataclass(frozen=True)
class PLRConfig:
    """PLR / ACCEL level sampler (reference 6.5; Kinetix ``ued/plr.yaml``)."""

    buffer_size: int = 4000
    replay_prob: float = 0.5
    staleness_coeff: float = 0.3
    prioritization: str = "rank"
    temperature: float = 1.0
    topk_k: int = 8
    minimum_fill_ratio: float = 0.5
    score_function: str = "maxmc"
    robust: bool = False  # robust PLR: no gradient updates on new (and mutated) levels
    num_edits: int = 5  # ACCEL mutations per replayed level


@dataclasses.dataclass(frozen=True)
class SFLConfig:
    """Sampling For Learnability (reference 6.4; Kinetix ``ued/sfl.yaml``: batch_size 4096,
    num_batches 3, rollout_steps 512, num_to_save 1024, buffer_update_frequency 128)."""

    sampled_envs_ratio: float = 0.5  # fraction of envs on buffer levels, the rest on fresh ones
    score_batch_size: int = 4096  # fresh levels rolled out at once when rebuilding the buffer
    score_num_batches: int = 3
    score_steps: int = 512  # env steps per scored level (auto-replayed)
    num_to_save: int = 1024  # buffer size: the most learnable scored levels
    buffer_update_every: int = 128  # PPO updates between rebuilds


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """The whole configuration of a training run."""

    env: EnvConfig = dataclasses.field(default_factory=EnvConfig)
    ppo: PPOConfig = dataclasses.field(default_factory=PPOConfig)
    network: NetworkConfig = dataclasses.field(default_factory=NetworkConfig)
    run: RunConfig = dataclasses.field(default_factory=RunConfig)
    ued: UEDConfig = dataclasses.field(default_factory=UEDConfig)
    plr: PLRConfig = dataclasses.field(default_factory=PLRConfig)
    sfl: SFLConfig = dataclasses.field(default_factory=SFLConfig)

    @property
    def observation(self) -> str:
        return OBSERVATION_FOR_NETWORK[self.network.network]

    @property
    def batch_size(self) -> int:
        """Transitions per PPO update."""
        return self.ppo.num_envs * self.ppo.num_steps

    @property
    def minibatch_size(self) -> int:
        return self.batch_size // self.ppo.num_minibatches

    @property
    def num_updates(self) -> int:
        return max(1, self.ppo.total_timesteps // self.batch_size)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)


SECTIONS = tuple(f.name for f in dataclasses.fields(TrainConfig))

PRESETS: dict[str, dict[str, Any]] = {
    "reference": {},
    "cpu": {
        "num_envs": 128, "num_steps": 32, "update_epochs": 4, "num_minibatches": 4, "lr": 3e-4,
        "total_timesteps": 3_000_000, "network": "pi-mlp", "encoder_size": 32, "embedding_dim": 128,
        "head_width": 64, "head_depth": 2, "log_every": 8, "eval_every": 64, "eval_attempts": 10,
        "checkpoint_every": 128, "level_period": 8, "buffer_size": 1000,
        # DR with level periods: each env replays a filtered random level for 8 updates.  Held-out S
        # library after 3M steps, 100 attempts per level, stochastic: 0.37 and 0.38 (two seeds) against
        # 0.22 and 0.29 for a fresh unfiltered level every episode (0.33 after the first 8 updates)
        "curriculum": "dr",
        # SFL: 512 scoring steps give each level 2+ episodes (with one, p(1-p) is always 0)
        "score_batch_size": 256, "score_num_batches": 1, "score_steps": 512, "num_to_save": 64,
        "buffer_update_every": 64,
    },
    "tiny": {
        "train_levels": "s/thrust_right", "num_envs": 16, "num_steps": 32, "update_epochs": 2, "num_minibatches": 2,
        "lr": 1e-3, "total_timesteps": 16 * 32 * 16, "network": "pi-mlp", "encoder_size": 16, "embedding_dim": 32,
        "head_width": 32, "head_depth": 1, "log_every": 8, "eval_every": 8, "eval_levels": "s/thrust_right",
        "eval_attempts": 8, "eval_deterministic": False, "gif_every": 0, "checkpoint_every": 8,
    },
}

CHOICES = {
    "size": ("s", "m", "l"),
    "action": ("multi_discrete", "discrete", "continuous"),
    "network": NETWORKS,
    "activation": ("tanh", "relu"),
    "aggregate": ("dummy_and_mean", "dummy", "mean"),
    "wandb_mode": ("offline", "online", "disabled"),
    "curriculum": ("none", "dr", "plr", "accel", "sfl"),
    "prioritization": ("rank", "topk"),
    "score_function": ("maxmc", "pvl", "learnability"),
}
POSITIVE = ("frame_skip", "num_envs", "num_steps", "total_timesteps", "update_epochs", "num_minibatches",
            "head_width", "transformer_depth", "transformer_size", "transformer_encoder_size", "num_heads",
            "encoder_size", "embedding_dim", "flat_width", "log_every", "eval_attempts", "num_gifs",
            "level_period", "buffer_size", "temperature", "topk_k", "score_batch_size", "score_num_batches",
            "score_steps", "num_to_save", "buffer_update_every", "devices")


def _field_index() -> dict[str, tuple[str, str]]:
    """Every accepted key (``field`` and ``section.field``) -> (section, field)."""
    index: dict[str, tuple[str, str]] = {}
    for section in SECTIONS:
        cls = get_type_hints(TrainConfig)[section]
        for f in dataclasses.fields(cls):
            index[f"{section}.{f.name}"] = (section, f.name)
            index.setdefault(f.name, (section, f.name))
    return index


def _field_type(section: str, name: str) -> type:
    hint = get_type_hints(get_type_hints(TrainConfig)[section])[name]
    if get_origin(hint) in (Union, types.UnionType):
        hint = next(a for a in get_args(hint) if a is not type(None))
    return hint


def parse_value(key: str, text: str, kind: type) -> Any:
    """``text`` as a value of ``kind`` (bool, int, float or str); ConfigError if it is not one."""
    raw = text.strip()
    if kind is bool:
        lowered = raw.lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
        raise ConfigError(f"bad value for {key}: {text!r} is not a boolean (true/false)")
    if kind is int:
        try:
            return int(raw.replace("_", ""))
        except ValueError:
            pass
        try:
            value = float(raw.replace("_", "")) if "**" not in raw else float(_power(raw))
        except (ValueError, OverflowError):
            raise ConfigError(f"bad value for {key}: {text!r} is not an integer") from None
        if not math.isfinite(value) or value != int(value):
            raise ConfigError(f"bad value for {key}: {text!r} is not an integer")
        return int(value)
    if kind is float:
        try:
            value = float(raw.replace("_", ""))
        except ValueError:
            raise ConfigError(f"bad value for {key}: {text!r} is not a number") from None
        if not math.isfinite(value):
            raise ConfigError(f"bad value for {key}: {text!r} is not finite")
        return value
    return raw


def _power(raw: str) -> float:
    base, exponent = raw.split("**", 1)
    return float(base) ** float(exponent)


def apply(config: TrainConfig, changes: dict[str, Any]) -> TrainConfig:
    """``config`` with ``changes`` (key -> value or string) applied, then validated."""
    index = _field_index()
    sections = {s: getattr(config, s) for s in SECTIONS}
    for key, value in changes.items():
        if key not in index:
            close = difflib.get_close_matches(key, list(index), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"unknown config key {key!r}{hint}")
        section, name = index[key]
        kind = _field_type(section, name)
        if isinstance(value, str) and kind is not str:
            value = parse_value(key, value, kind)
        elif kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"bad value for {key}: {value!r} is not a {kind.__name__}")
        sections[section] = dataclasses.replace(sections[section], **{name: value})
    result = TrainConfig(**sections)
    validate(result)
    return result


def parse_overrides(items: list[str]) -> dict[str, str]:
    """``["a=1", "b.c=x"]`` -> ``{"a": "1", "b.c": "x"}`` (ConfigError on a missing ``=``)."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"expected key=value, got {item!r}")
        out[key.strip()] = value
    return out


def resolve(preset: str | None = None, overrides: list[str] | None = None,
            base: TrainConfig | None = None) -> TrainConfig:
    """``base`` (default: the reference defaults) + a preset + ``key=value`` overrides."""
    config = base or TrainConfig()
    if preset is not None:
        if preset not in PRESETS:
            raise ConfigError(f"unknown preset {preset!r}; expected one of {', '.join(PRESETS)}")
        config = apply(config, PRESETS[preset])
    return apply(config, _with_implied_curriculum(parse_overrides(overrides or [])))


def _with_implied_curriculum(changes: dict[str, Any]) -> dict[str, Any]:
    """A level set named as ``train_levels`` without a ``curriculum`` implies ``curriculum=none``.

    The cpu preset trains on random levels with ``curriculum=dr`` (level periods); training on
    named levels (``train_levels=s/thrust_up``) then needs no extra ``curriculum=none``."""
    index = _field_index()
    named = {index[k][1]: v for k, v in changes.items() if k in index}
    if "train_levels" in named and "curriculum" not in named and named["train_levels"] != "random":
        return {**changes, "ued.curriculum": "none"}
    return changes


def from_dict(data: dict) -> TrainConfig:
    """The config of :meth:`TrainConfig.to_dict` output (unknown keys are an error)."""
    changes = {}
    for section, values in data.items():
        if section not in SECTIONS or not isinstance(values, dict):
            raise ConfigError(f"unknown config section {section!r}")
        changes.update({f"{section}.{k}": v for k, v in values.items()})
    return apply(TrainConfig(), changes)


def validate(config: TrainConfig) -> None:
    """Raise :class:`ConfigError` (one line) for bad values or combinations."""
    flat = {name: getattr(getattr(config, s), name) for s in SECTIONS
            for name in (f.name for f in dataclasses.fields(getattr(config, s)))}
    for name, choices in CHOICES.items():
        if flat[name] not in choices:
            raise ConfigError(f"bad value for {name}: {flat[name]!r}; expected one of {', '.join(choices)}")
    for name in POSITIVE:
        if flat[name] <= 0:
            raise ConfigError(f"bad value for {name}: {flat[name]!r}; must be > 0")
    for name in ("head_depth", "max_timesteps", "eval_every", "gif_every", "checkpoint_every", "num_edits"):
        if flat[name] < 0:
            raise ConfigError(f"bad value for {name}: {flat[name]!r}; must be >= 0")
    if config.batch_size % config.ppo.num_minibatches:
        raise ConfigError(f"num_envs * num_steps ({config.batch_size}) must be divisible by num_minibatches "
                          f"({config.ppo.num_minibatches})")
    validate_devices(config)
    net = config.network
    if net.network == "transformer" and not net.full_attention_mask and net.num_heads % 4:
        raise ConfigError(f"num_heads ({net.num_heads}) must be a multiple of 4 (one group per attention "
                          "mask channel), or set full_attention_mask=true")
    if net.network == "transformer" and net.transformer_size % net.num_heads:
        raise ConfigError(f"transformer_size ({net.transformer_size}) must be divisible by num_heads "
                          f"({net.num_heads})")
    if net.network == "pi-mlp" and net.encoder_size <= 4:
        raise ConfigError(f"encoder_size ({net.encoder_size}) must be > 4 (4 columns are the entity type)")
    for name in ("gamma", "gae_lambda", "replay_prob", "staleness_coeff", "minimum_fill_ratio", "sampled_envs_ratio"):
        if not 0.0 <= flat[name] <= 1.0:
            raise ConfigError(f"bad value for {name}: {flat[name]!r}; must be in [0, 1]")
    validate_curriculum(config)


def validate_devices(config: TrainConfig) -> None:
    """Raise :class:`ConfigError` where ``run.devices`` learners cannot split the work evenly."""
    devices, ppo = config.run.devices, config.ppo
    if devices == 1:
        return
    if ppo.num_envs % devices:
        raise ConfigError(f"num_envs ({ppo.num_envs}) must be divisible by devices ({devices})")
    if (ppo.num_envs // devices * ppo.num_steps) % ppo.num_minibatches:
        raise ConfigError(f"num_envs / devices * num_steps ({ppo.num_envs // devices * ppo.num_steps}) must be "
                          f"divisible by num_minibatches ({ppo.num_minibatches})")


def validate_curriculum(config: TrainConfig) -> None:
    """Raise :class:`ConfigError` for curriculum settings that cannot work together."""
    ued, sfl = config.ued, config.sfl
    if ued.curriculum == "none":
        return
    if config.env.train_levels != "random":
        raise ConfigError(f"curriculum={ued.curriculum} draws its own levels; it needs train_levels=random "
                          f"(got {config.env.train_levels!r})")
    if config.run.log_every % ued.level_period:
        raise ConfigError(f"log_every ({config.run.log_every}) must be a multiple of level_period "
                          f"({ued.level_period}) with a curriculum")
    if ued.curriculum in ("plr", "accel") and config.plr.robust and config.plr.replay_prob == 0.0:
        raise ConfigError("plr.robust=true with replay_prob=0 never updates the policy")
    if ued.curriculum == "sfl" and sfl.num_to_save > sfl.score_batch_size * sfl.score_num_batches:
        raise ConfigError(f"num_to_save ({sfl.num_to_save}) exceeds the levels scored per rebuild "
                          f"(score_batch_size * score_num_batches = {sfl.score_batch_size * sfl.score_num_batches})")
