"""Action types (reference section 3.6) and the mapping from actions to engine commands.

Every action type is turned into ``nmb + ntb`` *channel* values (motor channels in [-1, 1],
then thruster channels in [0, 1]); :func:`slot_commands` fans channels out to the joint and
thruster slots through the level's bindings and gives ``motor_auto`` joints +1.  So joints
sharing a binding always get the same command, and so do thrusters.

=================  ==========================  ===========================================  =====
type               space                       meaning                                       noop
=================  ==========================  ===========================================  =====
multi_discrete     MultiDiscrete([3]*nmb +     motor {0: 0, 1: +1, 2: -1}; thruster {0, 1}   zeros
                   [2]*ntb)
discrete           Discrete(2 nmb + 1 + ntb)   a < 2 nmb: motor a//2 at -1 (even) / +1       2 nmb
                                               (odd); a == 2 nmb: noop; else thruster
                                               a - 2 nmb - 1 at 1
continuous         Box[-1, 1]^(nmb + ntb)      channels directly; thrusters clipped to [0,1] zeros
=================  ==========================  ===========================================  =====
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from ..levels import Level
from .params import StaticEnvParams
from .spaces import Box, Discrete, MultiDiscrete

POLICIES = ("noop", "random", "full")
_MOTOR_VALUES = (0.0, 1.0, -1.0)  # multi-discrete motor choice -> command (Kinetix code order)


def action_space(static: StaticEnvParams) -> Box | Discrete | MultiDiscrete:
    """The action space of ``static.action``."""
    nmb, ntb = static.num_motor_bindings, static.num_thruster_bindings
    if static.action == "multi_discrete":
        return MultiDiscrete([3] * nmb + [2] * ntb)
    if static.action == "discrete":
        return Discrete(2 * nmb + 1 + ntb)
    return Box(-1.0, 1.0, (nmb + ntb,), jnp.float32)


def to_channels(action, static: StaticEnvParams) -> Float[Array, " k"]:
    """Channel values ``(nmb + ntb,)``: motors in [-1, 1] then thrusters in [0, 1]."""
    nmb, ntb = static.num_motor_bindings, static.num_thruster_bindings
    if static.action == "multi_discrete":
        action = jnp.asarray(action, jnp.int32)
        motors = jnp.asarray(_MOTOR_VALUES, jnp.float32)[jnp.clip(action[:nmb], 0, 2)]
        thrusters = jnp.clip(action[nmb:nmb + ntb], 0, 1).astype(jnp.float32)
    elif static.action == "discrete":
        a = jnp.asarray(action, jnp.int32)
        motor_on = (a < 2 * nmb) & (jnp.arange(nmb) == a // 2)
        motors = jnp.where(motor_on, jnp.where(a % 2 == 0, -1.0, 1.0), 0.0)
        thrusters = jnp.where(jnp.arange(ntb) == a - 2 * nmb - 1, 1.0, 0.0)
    else:
        action = jnp.asarray(action, jnp.float32)
        motors, thrusters = action[:nmb], action[nmb:nmb + ntb]
    return jnp.concatenate([jnp.clip(motors, -1.0, 1.0), jnp.clip(thrusters, 0.0, 1.0)])


def slot_commands(channels: Float[Array, " k"], level: Level, static: StaticEnvParams) -> Float[Array, " jt"]:
    """Engine commands ``(J + T,)``: per joint slot in [-1, 1], then per thruster slot in [0, 1]."""
    nmb, ntb = static.num_motor_bindings, static.num_thruster_bindings
    motor = channels[jnp.clip(level.joint.motor_binding, 0, nmb - 1)]
    motor = jnp.where(level.joint.motor_auto, 1.0, motor)
    thrust = channels[nmb + jnp.clip(level.thruster.binding, 0, ntb - 1)]
    return jnp.concatenate([motor, thrust]).astype(jnp.float32)


def noop_action(static: StaticEnvParams) -> jax.Array:
    """The action that applies no motor command and no thrust."""
    nmb = static.num_motor_bindings
    if static.action == "discrete":
        return jnp.asarray(2 * nmb, jnp.int32)
    space = action_space(static)
    return jnp.zeros(space.shape, space.dtype)


def full_action(static: StaticEnvParams) -> jax.Array:
    """Every motor channel at +1 and every thruster channel fully on (not expressible as one
    discrete action, so ``ValueError`` for ``action="discrete"``)."""
    nmb, ntb = static.num_motor_bindings, static.num_thruster_bindings
    if static.action == "multi_discrete":
        return jnp.ones((nmb + ntb,), jnp.int32)  # motor choice 1 = +1, thruster 1 = on
    if static.action == "continuous":
        return jnp.ones((nmb + ntb,), jnp.float32)
    raise ValueError("the 'full' policy needs a multi_discrete or continuous action type (discrete "
                     "actions move one channel at a time)")


def random_action(key: jax.Array, static: StaticEnvParams) -> jax.Array:
    """A uniform sample; continuous thrusters are ``|U(-1, 1)|`` (Kinetix)."""
    space = action_space(static)
    action = space.sample(key)
    if static.action == "continuous":
        nmb = static.num_motor_bindings
        action = action.at[nmb:].set(jnp.abs(action[nmb:]))
    return action


def policy_action(name: str, key: jax.Array, static: StaticEnvParams) -> jax.Array:
    """The action of a fixed policy ``name`` in :data:`POLICIES` (``key`` is used by ``random``)."""
    if name == "noop":
        return noop_action(static)
    if name == "full":
        return full_action(static)
    if name == "random":
        return random_action(key, static)
    raise ValueError(f"unknown policy {name!r}; expected one of {POLICIES}")
