"""The static solver plan: candidate pairs, their order, and their colouring.

Built once per :class:`StaticSimParams` with numpy, outside ``jit`` (and cached).

Pairs come in three kinds, each with a fixed number of contact points:

* ``rr`` polygon-polygon (2 points), excluding pairs of two static polygons;
* ``pc`` polygon-circle (1 point; the normal points from the polygon to the circle);
* ``cc`` circle-circle (1 point).

Colouring.  Rows that share no *movable* body can be solved at the same time without
changing the Gauss-Seidel result.  Each kind is split into *chunks* of ``m`` pairs in
which every movable body appears at most once (static polygons may repeat: they never
move).  Chunks come from perfect matchings: the round-robin (circle) method for
polygon-polygon and circle-circle pairs, a Latin square for the bipartite
polygon-circle pairs, and one "star" per static polygon; matchings are then cut into
chunks of a common size.  All chunks of a kind have the same shape, so the solver
runs one ``lax.scan`` per kind (a small program that compiles fast) and does exactly
the real work (padding rows are rare and masked).  Chunks against static polygons come
first within a kind: with them last, the 400:1 mass-ratio validation scene kept rocking
(0.14 m/s); with them first it settles exactly as Box2D v3 does.  Each chunk reads
its bodies with one gather and writes them back with another: no scatter-add anywhere,
hence bitwise determinism and batch independence.
"""

import dataclasses
import functools

import numpy as np

from .types import StaticSimParams

KINDS = ("rr", "pc", "cc")
POINTS = {"rr": 2, "pc": 1, "cc": 1}


@dataclasses.dataclass(frozen=True)
class KindPlan:
    """Chunked pairs of one kind: ``n = num_chunks * chunk`` rows (padding included)."""

    a: np.ndarray  # (n,) global body index of body a
    b: np.ndarray  # (n,) global body index of body b
    real: np.ndarray  # (n,) False for padding rows
    gather: np.ndarray  # (num_chunks, 2 * chunk): bodies a then b of each chunk
    write_back: np.ndarray  # (num_chunks, N): index into concat(updated (2 chunk), old (N))

    @property
    def num_chunks(self) -> int:
        return self.gather.shape[0]

    @property
    def chunk(self) -> int:
        return self.gather.shape[1] // 2

    def __len__(self) -> int:
        return len(self.a)


@dataclasses.dataclass(frozen=True)
class Plan:
    static: StaticSimParams
    kinds: dict[str, KindPlan]  # only kinds with at least one pair
    offsets: dict[str, int]  # first row of each kind in the unified (R,) order rr, pc, cc

    @property
    def num_pairs(self) -> int:
        """Rows of the unified contact cache (padding included)."""
        return sum(len(k) for k in self.kinds.values())

    @property
    def all_a(self) -> np.ndarray:
        return np.concatenate([self.kinds[k].a for k in self.kinds] or [np.zeros(0, np.int32)])

    @property
    def all_b(self) -> np.ndarray:
        return np.concatenate([self.kinds[k].b for k in self.kinds] or [np.zeros(0, np.int32)])

    @property
    def all_real(self) -> np.ndarray:
        return np.concatenate([self.kinds[k].real for k in self.kinds] or [np.zeros(0, bool)])


def _round_robin(players: list[int]) -> list[list[tuple[int, int]]]:
    """Perfect matchings covering every pair of ``players`` once (circle method)."""
    ps: list[int | None] = list(players)
    if len(ps) % 2:
        ps.append(None)
    n, rounds = len(ps), []
    for _ in range(max(n - 1, 0)):
        pairs = [(ps[i], ps[n - 1 - i]) for i in range(n // 2)]
        rounds.append([(min(a, b), max(a, b)) for a, b in pairs if a is not None and b is not None])
        ps = [ps[0], ps[-1], *ps[1:-1]]
    return [r for r in rounds if r]


def _bipartite(left: list[int], right: list[int]) -> list[list[tuple[int, int]]]:
    """Matchings covering every (left, right) pair once (Latin square)."""
    if not left or not right:
        return []
    big, small = (left, right) if len(left) >= len(right) else (right, left)
    rounds = []
    for r in range(len(big)):
        pairs = [(big[(j + r) % len(big)], small[j]) for j in range(len(small))]
        rounds.append([(p, c) if big is left else (c, p) for p, c in pairs])
    return rounds


def _matchings(kind: str, static: StaticSimParams) -> list[list[tuple[int, int]]]:
    P, N, S = static.num_polygons, static.num_bodies, static.num_static_polygons
    movable_polygons, circles = list(range(S, P)), list(range(P, N))
    if kind == "rr":
        stars = [[(s, p) for p in movable_polygons] for s in range(S)]
        return [m for m in stars if m] + _round_robin(movable_polygons)
    if kind == "pc":
        stars = [[(s, c) for c in circles] for s in range(S)]
        return [m for m in stars if m] + _bipartite(movable_polygons, circles)
    return _round_robin(circles)


def _best_chunk(sizes: list[int]) -> int:
    """Chunk size minimising padded rows plus a per-chunk overhead of two rows."""
    def cost(m: int) -> int:
        chunks = sum(-(-s // m) for s in sizes)
        return chunks * m + 2 * chunks
    return min(range(1, max(sizes) + 1), key=lambda m: (cost(m), -m))


def _kind_plan(kind: str, static: StaticSimParams) -> KindPlan | None:
    matchings = _matchings(kind, static)
    if not matchings:
        return None
    m = _best_chunk([len(x) for x in matchings])
    pad = {"rr": (0, 0), "pc": (0, static.num_polygons), "cc": (static.num_polygons, static.num_polygons)}[kind]
    chunks = []
    for match in matchings:
        for i in range(0, len(match), m):
            part = match[i:i + m]
            chunks.append(part + [None] * (m - len(part)))
    N, S = static.num_bodies, static.num_static_polygons
    a = np.array([p[0] if p else pad[0] for c in chunks for p in c], np.int32)
    b = np.array([p[1] if p else pad[1] for c in chunks for p in c], np.int32)
    real = np.array([p is not None for c in chunks for p in c], bool)
    gather = np.zeros((len(chunks), 2 * m), np.int32)
    write_back = np.tile(np.arange(N, dtype=np.int32) + 2 * m, (len(chunks), 1))
    for ci, _c in enumerate(chunks):
        rows = slice(ci * m, (ci + 1) * m)
        gather[ci] = np.concatenate([a[rows], b[rows]])
        for pos, body in enumerate(gather[ci]):
            if real[ci * m + pos % m] and body >= S:
                assert write_back[ci, body] == body + 2 * m, "a chunk touches a movable body twice"
                write_back[ci, body] = pos
    return KindPlan(a=a, b=b, real=real, gather=gather, write_back=write_back)


@functools.lru_cache(maxsize=64)
def make_plan(static: StaticSimParams) -> Plan:
    """Build (and cache) the pair tables and chunks for ``static``."""
    kinds = {k: kp for k in KINDS if (kp := _kind_plan(k, static)) is not None}
    offsets, start = {}, 0
    for k, kp in kinds.items():
        offsets[k] = start
        start += len(kp)
    plan = Plan(static=static, kinds=kinds, offsets=offsets)
    _check(plan)
    return plan


def _check(plan: Plan) -> None:
    """Every candidate pair exactly once (static-static pairs excluded)."""
    static = plan.static
    N, S = static.num_bodies, static.num_static_polygons
    real = plan.all_real
    got = sorted(zip(plan.all_a[real].tolist(), plan.all_b[real].tolist(), strict=True))
    want = sorted((i, j) for i in range(N) for j in range(i + 1, N) if j >= S)
    assert got == want, "plan does not cover the candidate pairs exactly once"
