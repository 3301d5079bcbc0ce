"""The original streamvis test app's four plots, as a function of the step number.

The same step always logs the same data, so runs are reproducible: the data are those of the
TypeScript test app (examples/test-app/src/demo.ts), from the same seeded generator, equal up
to the last bits the two languages' sin/cos/log may differ in.
"""

from __future__ import annotations

import math

import numpy as np

from .color_spec import ColorSpec
from .grid_spec import GridSpec
from .logger import DataLogger

DEMO_LAYOUT = {
    'top_left': [0, 0, 1, 1],
    'top_right': [0, 1, 1, 1],
    'bottom_left': [1, 0, 1, 1],
    'bottom_right': [1, 1, 1, 1],
}
#: Layers of the top-right / bottom-left scatters, and points per layer.
LAYERS = 10
LAYER_POINTS = 50
#: Points the bottom-right scatter adds per step.
WALK_POINTS = 20


def start_demo(logger: DataLogger) -> None:
    logger.set_layout(DEMO_LAYOUT)


def log_demo_step(logger: DataLogger, step: int) -> None:
    """Logs one step: four records, one per plot."""
    # Three sines in tandem, a third of a period apart.
    phase = step / 10
    logger.tandem_lines('top_left', step, [math.sin(phase + 2 * math.pi * k / 3) for k in range(3)], palette='Category10_10')

    # [LAYERS, LAYER_POINTS, 2]: a Gaussian cloud per layer, each stretched and turning at its own angle.
    layers = layer_clouds(step)
    logger.scatter('top_right', layers, spatial_dim=2, append=False, grid=GridSpec(0, 5, 1.2))
    logger.scatter('bottom_left', layers, spatial_dim=2, append=False, color=ColorSpec('Viridis256', 0))

    # [WALK_POINTS, 3]: points on a slowly opening spiral, the third entry their colour value in [0, 1].
    logger.scatter('bottom_right', spiral(step), spatial_dim=1, append=True, rollover=2000, color=ColorSpec('Turbo256'))


def layer_clouds(step: int) -> np.ndarray:
    draws = np.array(gaussians(step, LAYERS * LAYER_POINTS * 2)).reshape(LAYERS, LAYER_POINTS, 2)
    layer = np.arange(LAYERS).reshape(LAYERS, 1)
    angle = step * 0.05 + layer * 0.3
    u = draws[..., 0] * (1 + layer * 0.2)
    v = draws[..., 1] * 0.3
    return np.stack([u * np.cos(angle) - v * np.sin(angle), u * np.sin(angle) + v * np.cos(angle)], axis=-1).astype(np.float32)


def spiral(step: int) -> np.ndarray:
    noise = np.array(gaussians(step + 1_000_000, WALK_POINTS * 2)).reshape(WALK_POINTS, 2)
    t = (step * WALK_POINTS + np.arange(WALK_POINTS)) / 50
    r = 1 + t * 0.05
    return np.stack([r * np.cos(t) + noise[:, 0] * 0.1, r * np.sin(t) + noise[:, 1] * 0.1, (t % 10) / 10], axis=-1)


def gaussians(seed: int, count: int) -> list[float]:
    """`count` standard normal draws from a generator seeded by `seed` (mulberry32 + Box-Muller), as the TypeScript demo draws them."""
    mask = 0xFFFFFFFF
    state = (seed * 0x9E3779B1) & mask

    def uniform() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & mask
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & mask
        t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & mask
        return ((t ^ (t >> 14)) & mask) / 2**32

    return [math.sqrt(-2 * math.log(1 - uniform())) * math.cos(2 * math.pi * uniform()) for _ in range(count)]
