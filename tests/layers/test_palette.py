"""The map's categorical colours stay distinguishable for colour-blind viewers: every pair of hazard fills,
and every resource status set, is simulated for protanopia, deuteranopia and tritanopia (Machado, Oliveira
and Fernandes 2009, full severity) and compared in CIELAB (CIE76 delta E)."""
import itertools

import numpy as np
import pytest

from layers import incidents, resources
from queries import runner

MACHADO = {
    "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal": np.eye(3).tolist(),
}
MIN_DELTA_E = 8.0  # a clearly visible difference between two marker fills


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        linear_rgb, 0, 1)
    f = lambda t: np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)  # noqa: E731
    fx, fy, fz = f(xyz / np.array([0.95047, 1.0, 1.08883]))
    return np.array([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)])


def worst_pair(colours: dict[str, str], vision: str) -> tuple[float, str, str]:
    m = np.array(MACHADO[vision])
    return min((float(np.linalg.norm(_lab(m @ _linear(a)) - _lab(m @ _linear(b)))), na, nb)
               for (na, a), (nb, b) in itertools.combinations(colours.items(), 2))


@pytest.mark.parametrize("vision", list(MACHADO))
def test_hazard_fills_are_distinguishable(con, vision):
    hazards = runner.run(con, "hazard_types")
    delta, a, b = worst_pair(dict(zip(hazards["code"], hazards["colour"])), vision)
    assert delta >= MIN_DELTA_E, f"{a} and {b} look alike for {vision} viewers (delta E {delta:.1f})"


@pytest.mark.parametrize("vision", list(MACHADO))
@pytest.mark.parametrize("palette", ["reservoir", "shelter", "camera", "count_ramp"])
def test_status_colours_are_distinguishable(vision, palette):
    colours = {"reservoir": resources.RESERVOIR_COLOURS, "shelter": resources.SHELTER_COLOURS,
               "camera": {str(k): v for k, v in resources.CAMERA_COLOURS.items()},
               "count_ramp": dict(enumerate(incidents.COUNT_RAMP))}[palette]
    delta, a, b = worst_pair({str(k): v for k, v in colours.items()}, vision)
    assert delta >= MIN_DELTA_E, f"{palette}: {a} and {b} look alike for {vision} viewers (delta E {delta:.1f})"


def test_the_simulation_can_fail():
    """The classic red/green pair (matplotlib's C3/C2) is far apart for normal vision and must fail for a
    deuteranope: the check is able to say no."""
    pair = {"red": "#D62728", "green": "#2CA02C"}
    assert worst_pair(pair, "normal")[0] > 100
    assert worst_pair(pair, "deutan")[0] < MIN_DELTA_E
