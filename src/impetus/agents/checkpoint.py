"""Checkpoints: safetensors for arrays, a JSON sidecar for everything else; never pickle.

A checkpoint is a folder ``<run>/checkpoints/update_<NNNNNNNN>/`` with

* ``state.safetensors``: every array of a :class:`~impetus.agents.train.TrainState`, keyed by its
  tree path joined with ``/`` (``params/params/layer_0/gate_dense/w/kernel``,
  ``opt_state/1/0/mu/...``, ``env_state/...``, ``obs/...``, ``curriculum/...``, ``key``, ``update``); typed PRNG keys
  are stored as their ``uint32`` key data;
* ``meta.json``: ``format`` / ``format_version``, the resolved config, the update count, env
  steps, the training key data and library versions.

Restoring fills a template state of the same config leaf by leaf and checks every name, shape
and dtype, so a resumed run continues bit for bit; any problem is one :class:`CheckpointError`
line.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

FORMAT = "impetus-checkpoint"
FORMAT_VERSION = 1
STATE_FILE, META_FILE = "state.safetensors", "meta.json"
STATE_FIELDS = ("params", "opt_state", "env_state", "obs", "curriculum")  # curriculum: None without one


class CheckpointError(ValueError):
    """A missing, malformed or incompatible checkpoint (one-line message)."""


def _key_name(entry) -> str:
    for attr in ("key", "name", "idx"):
        if hasattr(entry, attr):
            return str(getattr(entry, attr))
    return str(entry)


def _is_prng_key(x) -> bool:
    return hasattr(x, "dtype") and jnp.issubdtype(x.dtype, jax.dtypes.prng_key)


def flatten(tree, prefix: str = "") -> dict[str, np.ndarray]:
    """``{"a/b/0": array}`` for every array leaf of ``tree`` (PRNG keys as key data)."""
    out = {}
    for path, leaf in jax.tree_util.tree_flatten_with_path(tree)[0]:
        name = "/".join([prefix] * bool(prefix) + [_key_name(p) for p in path])
        out[name] = np.asarray(jax.random.key_data(leaf) if _is_prng_key(leaf) else leaf)
    return out


def _restore_leaf(name: str, leaf, tensors: dict[str, np.ndarray], source: str):
    """``tensors[name]`` as an array like ``leaf`` (a typed PRNG key if ``leaf`` is one)."""
    if name not in tensors:
        raise CheckpointError(f"{source}: has no tensor {name!r}; was it written by a different config?")
    value = tensors[name]
    expected = np.asarray(jax.random.key_data(leaf) if _is_prng_key(leaf) else leaf)
    if expected.shape == () and value.shape == (1,):  # safetensors stores 0-d arrays as (1,)
        value = value.reshape(())
    if value.shape != expected.shape or value.dtype != expected.dtype:
        raise CheckpointError(f"{source}: tensor {name!r} is {value.dtype}{list(value.shape)}, expected "
                              f"{expected.dtype}{list(expected.shape)} (different config?)")
    array = jnp.asarray(value)
    return jax.random.wrap_key_data(array, impl=jax.random.key_impl(leaf)) if _is_prng_key(leaf) else array


def unflatten_like(template, tensors: dict[str, np.ndarray], prefix: str = "", source: str = "checkpoint"):
    """``template`` with every leaf replaced by ``tensors[path]`` (names, shapes and dtypes checked)."""
    leaves, treedef = jax.tree_util.tree_flatten_with_path(template)
    new = [_restore_leaf("/".join([prefix] * bool(prefix) + [_key_name(p) for p in path]), leaf, tensors, source)
           for path, leaf in leaves]
    return jax.tree_util.tree_unflatten(treedef, new)


def checkpoint_dir(run_dir, update: int) -> Path:
    return Path(run_dir) / "checkpoints" / f"update_{update:08d}"


def save(path, state, config, extra: dict | None = None) -> Path:
    """Write ``state`` (a TrainState) and ``config`` to the folder ``path`` atomically."""
    from safetensors.numpy import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {}
    for field in STATE_FIELDS:
        tensors.update(flatten(getattr(state, field), field))
    tensors["key"] = np.asarray(jax.random.key_data(state.key))
    tensors["update"] = np.asarray(state.update)
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "config": config.to_dict(),
            "update": int(state.update), "env_steps": int(state.update) * config.batch_size,
            "key_data": tensors["key"].tolist(), "versions": _versions(), **(extra or {})}
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(tmp / STATE_FILE),
                  metadata={"format": FORMAT, "format_version": str(FORMAT_VERSION)})
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True))
        if path.exists():
            shutil.rmtree(path)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return path


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("impetus", "jax", "flax", "optax", "safetensors"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


def resolve_path(path) -> Path:
    """The checkpoint folder of ``path``: a checkpoint folder, its ``state.safetensors``, or a run
    folder (its latest checkpoint)."""
    path = Path(path)
    if path.is_file() and path.name in (STATE_FILE, META_FILE):
        path = path.parent
    if (path / "checkpoints").is_dir():
        found = sorted((path / "checkpoints").glob("update_*"))
        if not found:
            raise CheckpointError(f"{path}: run folder has no checkpoints")
        path = found[-1]
    if not path.is_dir():
        raise CheckpointError(f"{path}: no such checkpoint (expected a checkpoint or run folder)")
    return path


def read(path) -> tuple[dict[str, np.ndarray], dict]:
    """``(tensors, meta)`` of the checkpoint at ``path`` (see :func:`resolve_path`)."""
    from safetensors.numpy import load_file

    path = resolve_path(path)
    try:
        meta = json.loads((path / META_FILE).read_text())
    except (OSError, ValueError) as err:
        raise CheckpointError(f"{path}: unreadable {META_FILE} ({type(err).__name__}: {err})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(f"{path}: {META_FILE} is not an Impetus checkpoint description")
    if meta.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(f"{path}: checkpoint format version {meta.get('format_version')!r} is not supported "
                              f"(this Impetus reads version {FORMAT_VERSION})")
    try:
        tensors = load_file(str(path / STATE_FILE))
    except Exception as err:  # safetensors raises its own error types for corrupt files
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CheckpointError(f"{path}: unreadable {STATE_FILE} ({reason})") from None
    return tensors, meta


def config_of(meta: dict, source: str = "checkpoint"):
    """The :class:`TrainConfig` stored in a checkpoint's ``meta``."""
    from .config import ConfigError, from_dict

    try:
        return from_dict(meta["config"])
    except (KeyError, TypeError, ConfigError) as err:
        raise CheckpointError(f"{source}: bad stored config ({err})") from None


def restore(template, tensors: dict[str, np.ndarray], source: str = "checkpoint"):
    """A TrainState like ``template`` with every array from ``tensors``."""
    fields = {f: unflatten_like(getattr(template, f), tensors, f, source)
              for f in STATE_FIELDS}
    key = _restore_leaf("key", template.key, tensors, source)
    update = _restore_leaf("update", template.update, tensors, source)
    return template.replace(key=key, update=update, **fields)


def restore_params(template_params, tensors: dict[str, np.ndarray], source: str = "checkpoint"):
    """Network parameters like ``template_params`` from ``tensors``."""
    return unflatten_like(template_params, tensors, "params", source)
