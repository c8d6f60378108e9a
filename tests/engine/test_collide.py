"""Hand-computed manifolds for every pair of shape kinds."""

import numpy as np
import pytest

from impetus.engine import SceneBuilder, StaticSimParams

from .helpers import manifold_for


def _builder(polygons=2, circles=2):
    return SceneBuilder(StaticSimParams(polygons, circles, 0, 0, num_static_polygons=0), gravity=(0, 0))


def test_circle_circle():
    b = _builder(0, 2)
    a = b.add_circle((0.0, 0.0), 1.0)
    c = b.add_circle((1.5, 0.0), 1.0)
    kind, m = manifold_for(b.build(), a.index, c.index)
    assert kind == "cc"
    np.testing.assert_allclose([m.nx, m.ny], [1.0, 0.0], atol=1e-6)
    assert m.separation[0] == pytest.approx(-0.5, abs=1e-6)
    np.testing.assert_allclose([m.px[0], m.py[0]], [0.75, 0.0], atol=1e-6)  # halfway between the surfaces
    assert m.valid[0]


def test_polygon_circle_face_region():
    b = _builder(1, 1)
    box = b.add_box((0.0, 0.0), (1.0, 1.0))
    ball = b.add_circle((0.0, 1.3), 0.5)
    kind, m = manifold_for(b.build(), box.index, ball.index)
    assert kind == "pc"
    np.testing.assert_allclose([m.nx, m.ny], [0.0, 1.0], atol=1e-6)
    assert m.separation[0] == pytest.approx(-0.2, abs=1e-6)
    np.testing.assert_allclose([m.px[0], m.py[0]], [0.0, 0.9], atol=1e-6)


def test_polygon_circle_vertex_region():
    b = _builder(1, 1)
    box = b.add_box((0.0, 0.0), (1.0, 1.0))
    ball = b.add_circle((1.3, 1.4), 0.6)
    _, m = manifold_for(b.build(), box.index, ball.index)
    np.testing.assert_allclose([m.nx, m.ny], [0.6, 0.8], atol=1e-6)
    assert m.separation[0] == pytest.approx(-0.1, abs=1e-6)
    np.testing.assert_allclose([m.px[0], m.py[0]], [0.97, 0.96], atol=1e-6)


def test_polygon_circle_centre_inside():
    b = _builder(1, 1)
    box = b.add_box((0.0, 0.0), (1.0, 1.0))
    ball = b.add_circle((0.0, 0.8), 0.3)  # centre inside, nearest face is the top one
    _, m = manifold_for(b.build(), box.index, ball.index)
    np.testing.assert_allclose([m.nx, m.ny], [0.0, 1.0], atol=1e-6)
    assert m.separation[0] == pytest.approx(-0.5, abs=1e-6)


def test_box_on_box_two_points():
    b = _builder(2, 0)
    low = b.add_box((0.0, 0.0), (1.0, 1.0))
    high = b.add_box((0.2, 1.4), (0.5, 0.5))  # overlaps by 0.1
    kind, m = manifold_for(b.build(), low.index, high.index)
    assert kind == "rr"
    np.testing.assert_allclose([m.nx, m.ny], [0.0, 1.0], atol=1e-6)
    np.testing.assert_allclose(m.separation, [-0.1, -0.1], atol=1e-6)
    np.testing.assert_allclose(sorted(m.px), [-0.3, 0.7], atol=1e-6)
    np.testing.assert_allclose(m.py, [0.95, 0.95], atol=1e-6)
    assert m.valid.all() and m.feature[0] != m.feature[1] and (m.feature > 0).all()


def test_box_under_box_normal_points_from_a_to_b():
    b = _builder(2, 0)
    high = b.add_box((0.0, 1.4), (0.5, 0.5))
    low = b.add_box((0.0, 0.0), (1.0, 1.0))
    _, m = manifold_for(b.build(), high.index, low.index)
    np.testing.assert_allclose([m.nx, m.ny], [0.0, -1.0], atol=1e-6)


def test_triangle_vertex_into_box():
    b = _builder(2, 0)
    box = b.add_box((0.0, 0.0), (1.0, 1.0))
    tri = b.add_polygon((0.0, 0.0), [(0.0, 0.9), (0.5, 1.9), (-0.5, 1.9)])  # apex 0.1 deep into the top face
    _, m = manifold_for(b.build(), box.index, tri.index)
    np.testing.assert_allclose([m.nx, m.ny], [0.0, 1.0], atol=1e-6)
    deepest = int(np.argmin(m.separation))
    assert m.separation[deepest] == pytest.approx(-0.1, abs=1e-5)
    np.testing.assert_allclose([m.px[deepest], m.py[deepest]], [0.0, 0.95], atol=1e-5)


def test_speculative_margin_grows_with_closing_speed():
    def gap_manifold(velocity):
        b = _builder(2, 0)
        low = b.add_box((0.0, 0.0), (1.0, 1.0))
        high = b.add_box((0.0, 1.55), (0.5, 0.5), velocity=velocity)  # 5 cm gap
        return manifold_for(b.build(), low.index, high.index)[1]

    resting = gap_manifold((0.0, 0.0))
    assert not resting.valid.any() and resting.separation[0] == pytest.approx(0.05, abs=1e-6)
    falling = gap_manifold((0.0, -6.0))  # closes 0.1 m in one 1/60 s step
    assert falling.valid.all()


@pytest.mark.parametrize(("mode_a", "mode_b", "collides"), [(0, 0, False), (0, 1, False), (0, 2, True),
                                                             (1, 1, True), (1, 2, True), (2, 2, True)])
def test_collision_modes(mode_a, mode_b, collides):
    b = _builder(0, 2)
    a = b.add_circle((0.0, 0.0), 1.0, collision_mode=mode_a)
    c = b.add_circle((1.5, 0.0), 1.0, collision_mode=mode_b)
    _, m = manifold_for(b.build(), a.index, c.index)
    assert bool(m.valid[0]) == collides
