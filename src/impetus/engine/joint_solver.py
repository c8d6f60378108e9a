"""Soft joint rows (Box2D v3 style): revolute (motor, limits, point) and weld.

Joints are solved one after another (Gauss-Seidel, in slot order) before the contacts of
every pass.  Unlike contacts, joint anchors follow the bodies' rotation within the step.

Motor semantics follow Kinetix/Jax2D: the motor drives the relative angular velocity
``w_b - w_a`` towards ``base_motor_speed * motor_speed * action`` and its strength is an
acceleration, ``base_motor_power * motor_power`` rad/s^2 of relative angular
acceleration.  Jax2D applies this as one tanh-shaped impulse per step that is never
iterated; here it is a proper constraint row whose accumulated impulse is clamped to
``h * max_torque`` with ``max_torque = base_motor_power * motor_power * axial_mass``, so
the target speed is actually reached when the load allows it.  An action of 0 leaves the
motor off (the joint spins freely), as in Kinetix.
"""

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, Int

from ._pytree import PyTreeNode
from .contact_solver import Softness, _accumulate, _clamp, make_softness
from .geometry import safe_inverse
from .lanes import materialise, onehot, select_rows
from .motion import DPX, DPY, DQ, DQC, DQS, VX, VY, W
from .types import SimParams, SimState


class JointRows(PyTreeNode):
    """Constant (per step) joint data, (J, L) per field (vectors split into x and y)."""

    body_a: Int[Array, "j l"]
    body_b: Int[Array, "j l"]
    rax: Float[Array, "j l"]  # anchors, world frame at the start of the step, relative to the COM
    ray: Float[Array, "j l"]
    rbx: Float[Array, "j l"]
    rby: Float[Array, "j l"]
    dcx: Float[Array, "j l"]  # position_b - position_a at the start of the step
    dcy: Float[Array, "j l"]
    angle: Float[Array, "j l"]  # rotation_b - rotation_a - reference_angle at the start
    ma: Float[Array, "j l"]
    ia: Float[Array, "j l"]
    mb: Float[Array, "j l"]
    ib: Float[Array, "j l"]
    axial_k: Float[Array, "j l"]  # inverse axial mass i_a + i_b (1 where both are 0)
    active: Float[Array, "j l"]
    weld: Float[Array, "j l"]  # 1.0 for fixed joints
    motor: Float[Array, "j l"]  # 1.0 where the motor runs this step
    motor_target: Float[Array, "j l"]  # [rad/s]
    motor_max_impulse: Float[Array, "j l"]  # per substep [N m s]
    limits: Float[Array, "j l"]
    lower: Float[Array, "j l"]
    upper: Float[Array, "j l"]


class JointImpulses(PyTreeNode):
    linear_x: Float[Array, "j l"]
    linear_y: Float[Array, "j l"]
    angular: Float[Array, "j l"]
    motor: Float[Array, "j l"]
    lower: Float[Array, "j l"]
    upper: Float[Array, "j l"]


def per_scene_rows(table, index):
    """``table[index[j, l], ..., l]``: rows chosen per lane (table rows first, lanes last)."""
    idx = index.reshape(index.shape[:1] + (1,) * (table.ndim - 2) + index.shape[1:])
    return jnp.take_along_axis(table, idx, axis=0)


def prepare_joints(state: SimState, params: SimParams, motor_action, cos, sin, h):
    """Joint rows and warm-start impulses.  ``motor_action``: (J, L) commands in [-1, 1]."""
    j, body = state.joint, state.body
    a, b = j.body_a, j.body_b
    g = lambda t, i: per_scene_rows(t, i)  # noqa: E731
    ma, mb, Ia, Ib = g(body.inverse_mass, a), g(body.inverse_mass, b), g(body.inverse_inertia, a), g(
        body.inverse_inertia, b)
    active = j.active & g(body.active, a) & g(body.active, b) & ((ma + mb) > 0) & (a != b)
    revolute = ~j.is_fixed
    axial = safe_inverse(Ia + Ib)
    axial_k = jnp.where(Ia + Ib > 0, Ia + Ib, 1.0)
    runs = active & revolute & j.motor_on & (motor_action != 0)
    ca, sa, cb, sb = g(cos, a), g(sin, a), g(cos, b), g(sin, b)
    pa, pb = g(body.position, a), g(body.position, b)
    f = lambda x: x.astype(jnp.float32)  # noqa: E731
    ax, ay, bx, by = j.anchor_a[:, 0], j.anchor_a[:, 1], j.anchor_b[:, 0], j.anchor_b[:, 1]
    rows = JointRows(
        body_a=a, body_b=b, rax=ca * ax - sa * ay, ray=sa * ax + ca * ay, rbx=cb * bx - sb * by, rby=sb * bx + cb * by,
        dcx=pb[:, 0] - pa[:, 0], dcy=pb[:, 1] - pa[:, 1],
        angle=g(body.rotation, b) - g(body.rotation, a) - j.reference_angle,
        ma=ma, ia=Ia, mb=mb, ib=Ib, axial_k=axial_k, active=f(active), weld=f(j.is_fixed), motor=f(runs),
        motor_target=params.base_motor_speed * j.motor_speed * motor_action,
        motor_max_impulse=h * params.base_motor_power * j.motor_power * axial,
        limits=f(j.has_limits & revolute), lower=j.lower_angle, upper=j.upper_angle,
    )
    keep = f(active)
    impulses = JointImpulses(
        linear_x=j.linear_impulse[:, 0] * keep, linear_y=j.linear_impulse[:, 1] * keep,
        angular=j.angular_impulse * keep * rows.weld, motor=j.motor_impulse * rows.motor,
        lower=j.lower_impulse * keep * rows.limits, upper=j.upper_impulse * keep * rows.limits,
    )
    return rows, impulses, make_softness(params.joint_hertz, params.joint_damping_ratio, h)


def _scalar_row(k, velocity_error, bias, mass_scale, impulse_scale, accumulated, mask):
    """Impulse of a scalar row, ending in a division on purpose (see ``contact_solver``)."""
    return (-mass_scale * (velocity_error + bias) - impulse_scale * accumulated * k) * mask / k


def _solve_one(r: JointRows, imp: JointImpulses, Va, Vb, Da, Db, soft: Softness, h, use_bias, warm: bool):
    """Solve one joint (fields (L,)) against its bodies' motion rows Va, Vb (3, L), Da, Db (5, L)."""
    vax, vay, wa, vbx, vby, wb = Va[VX], Va[VY], Va[W], Vb[VX], Vb[VY], Vb[W]
    ca, sa, cb, sb = Da[DQC], Da[DQS], Db[DQC], Db[DQS]
    rax, ray = ca * r.rax - sa * r.ray, sa * r.rax + ca * r.ray
    rbx, rby = cb * r.rbx - sb * r.rby, sb * r.rbx + cb * r.rby
    ma, Ia, mb, Ib = r.ma, r.ia, r.mb, r.ib
    lx, ly, ang, mot, low, upp = imp.linear_x, imp.linear_y, imp.angular, imp.motor, imp.lower, imp.upper
    if warm:
        torque = ang + mot + low - upp
        vax, vay, wa = vax - ma * lx, vay - ma * ly, wa - Ia * (rax * ly - ray * lx + torque)
        vbx, vby, wb = vbx + mb * lx, vby + mb * ly, wb + Ib * (rbx * ly - rby * lx + torque)
        return jnp.stack([vax, vay, wa]), jnp.stack([vbx, vby, wb]), imp
    # soft rows when use_bias (a bool, possibly traced), rigid rows without bias (relax) otherwise
    bias_rate = jnp.where(use_bias, soft.bias_rate, 0.0)
    mass_scale = jnp.where(use_bias, soft.mass_scale, 1.0)
    impulse_scale = jnp.where(use_bias, soft.impulse_scale, 0.0)
    angle = r.angle + Db[DQ] - Da[DQ]
    # weld: relative angle row
    d = _scalar_row(r.axial_k, wb - wa, bias_rate * angle, mass_scale, impulse_scale, ang, r.weld * r.active)
    ang, wa, wb = ang + d, wa - Ia * d, wb + Ib * d
    # motor: velocity row clamped to the maximum torque
    raw = -(wb - wa - r.motor_target) / r.axial_k
    d = _clamp(mot, raw, r.motor_max_impulse, r.motor) - mot
    mot, wa, wb = mot + d, wa - Ia * d, wb + Ib * d
    # limits: speculative while inside, soft when violated
    for sign, value in ((1.0, r.lower), (-1.0, r.upper)):
        acc = low if sign > 0 else upp
        C = sign * (angle - value)
        spec = C > 0.0
        bias = jnp.where(spec, C / h, bias_rate * C)
        ms, isc = jnp.where(spec, 1.0, mass_scale), jnp.where(spec, 0.0, impulse_scale)
        raw = _scalar_row(r.axial_k, sign * (wb - wa), bias, ms, isc, acc, 1.0)
        new = _accumulate(acc, raw, r.limits * r.active)
        d = new - acc
        wa, wb = wa - sign * Ia * d, wb + sign * Ib * d
        if sign > 0:
            low = new
        else:
            upp = new
    # point constraint: 2x2 block
    cx = vbx - wb * rby - vax + wa * ray
    cy = vby + wb * rbx - vay - wa * rax
    sx = Db[DPX] - Da[DPX] + rbx - rax + r.dcx
    sy = Db[DPY] - Da[DPY] + rby - ray + r.dcy
    k11 = ma + mb + ray * ray * Ia + rby * rby * Ib
    k12 = -ray * rax * Ia - rby * rbx * Ib
    k22 = ma + mb + rax * rax * Ia + rbx * rbx * Ib
    det = k11 * k22 - k12 * k12
    regular = jnp.abs(det) > 1e-20  # a singular block (no movable body) applies nothing
    det = jnp.where(regular, det, 1.0)
    mask = r.active * regular
    rx, ry = cx + bias_rate * sx, cy + bias_rate * sy
    dx = (-mass_scale * (k22 * rx - k12 * ry) - impulse_scale * lx * det) * mask / det
    dy = (-mass_scale * (k11 * ry - k12 * rx) - impulse_scale * ly * det) * mask / det
    lx, ly = lx + dx, ly + dy
    vax, vay, wa = vax - ma * dx, vay - ma * dy, wa - Ia * (rax * dy - ray * dx)
    vbx, vby, wb = vbx + mb * dx, vby + mb * dy, wb + Ib * (rbx * dy - rby * dx)
    imp = JointImpulses(linear_x=lx, linear_y=ly, angular=ang, motor=mot, lower=low, upper=upp)
    return jnp.stack([vax, vay, wa]), jnp.stack([vbx, vby, wb]), imp


def joint_pass(V, D, r: JointRows, imp: JointImpulses, soft: Softness, h, use_bias: bool = True,
               warm: bool = False):
    """Solve (or warm start) every joint in slot order (one ``lax.scan``); returns (V, impulses)."""
    if r.active.shape[0] == 0:
        return V, imp
    N = V.shape[0]

    def body(V, xs):
        row, acc = xs
        oa, ob = onehot(row.body_a, N), onehot(row.body_b, N)
        Va, Vb = select_rows(V, oa), select_rows(V, ob)
        Da, Db = select_rows(D, oa), select_rows(D, ob)
        new_a, new_b, acc = _solve_one(row, acc, Va, Vb, Da, Db, soft, h, use_bias, warm)
        new_a, new_b, acc = jax.tree_util.tree_map(materialise, (new_a, new_b, acc))  # once, not per row of V
        V = jnp.where(oa[:, None] > 0, new_a[None], V)
        V = jnp.where(ob[:, None] > 0, new_b[None], V)
        return V, acc

    return jax.lax.scan(body, V, (r, imp))
