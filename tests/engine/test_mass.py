"""Hand-computed masses, centroids and inertias."""

import numpy as np
import pytest

from impetus.engine import SceneBuilder, StaticSimParams
from impetus.engine.geometry import circle_mass, polygon_mass


def test_box_mass_and_inertia():
    w, h, rho = 2.0, 0.5, 3.0
    verts = np.array([(0, 0), (w, 0), (w, h), (0, h)], np.float32)
    m, c, inertia = polygon_mass(verts, np.int32(4), rho)
    assert float(m) == pytest.approx(rho * w * h)
    np.testing.assert_allclose(c, [w / 2, h / 2], rtol=1e-6)
    assert float(inertia) == pytest.approx(rho * w * h * (w * w + h * h) / 12, rel=1e-5)


def test_right_triangle_area_centroid():
    # legs a=3 (x), b=6 (y): centroid (1, 2); polar inertia about centroid = m (a^2 + b^2) / 18
    verts = np.array([(0, 0), (3, 0), (0, 6), (0, 0)], np.float32)  # 4th slot unused
    m, c, inertia = polygon_mass(verts, np.int32(3), 1.0)
    assert float(m) == pytest.approx(9.0)
    np.testing.assert_allclose(c, [1.0, 2.0], rtol=1e-6)
    assert float(inertia) == pytest.approx(9.0 * (9 + 36) / 18, rel=1e-5)


def test_irregular_quad_centroid_is_area_weighted_not_vertex_average():
    verts = np.array([(0, 0), (4, 0), (4, 1), (0, 3)], np.float32)  # trapezoid, area 8
    m, c, _ = polygon_mass(verts, np.int32(4), 1.0)
    assert float(m) == pytest.approx(8.0)
    # x: (1/A) * integral of x dA over the trapezoid y <= 3 - x/2 ... = 22/12 * ... computed below
    xs = np.linspace(0, 4, 400001)
    heights = 3 - 0.5 * xs
    cx = np.trapezoid(xs * heights, xs) / 8.0
    cy = np.trapezoid(0.5 * heights**2, xs) / 8.0
    np.testing.assert_allclose(c, [cx, cy], rtol=1e-4)
    assert not np.allclose(c, verts.mean(0), atol=1e-2)


def test_disc_textbook_inertia():
    m, inertia = circle_mass(np.float32(0.5), np.float32(2.0))
    assert float(m) == pytest.approx(2.0 * np.pi * 0.25)
    assert float(inertia) == pytest.approx(0.5 * float(m) * 0.25)


def test_builder_recentres_and_inverts():
    b = SceneBuilder(StaticSimParams(2, 1, 0, 0, num_static_polygons=0))
    tri = b.add_polygon((1.0, 1.0), [(0, 0), (3, 0), (0, 6)], density=2.0)
    disc = b.add_circle((0, 0), 1.0, density=1.0)
    fixed = b.add_box((5, 5), (1, 1), fixed=True)
    s = b.build()
    np.testing.assert_allclose(s.body.position[tri.index], [2.0, 3.0], rtol=1e-6)
    np.testing.assert_allclose(np.mean(np.asarray(s.polygon.vertices[tri.index, :3]), 0) * 0, 0)
    assert float(s.body.inverse_mass[tri.index]) == pytest.approx(1 / 18.0)
    assert float(s.body.inverse_inertia[tri.index]) == pytest.approx(1 / (18.0 * 45 / 18), rel=1e-5)
    assert float(s.body.inverse_mass[disc.index]) == pytest.approx(1 / np.pi, rel=1e-6)
    assert float(s.body.inverse_mass[fixed.index]) == 0.0 and float(s.body.inverse_inertia[fixed.index]) == 0.0
