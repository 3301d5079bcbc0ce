"""A log the TypeScript logger wrote reads back in Python with exactly the values that were logged."""

from __future__ import annotations

import math
import time

import numpy as np

from streamvis import read_log
from support.repo import typescript

F32 = np.array([0.1, 0.2, 1 / 3, 4, -5.5, 1e-7], np.float32)


def test_python_reads_the_exact_values_the_typescript_logger_wrote(tmp_path):
    path = str(tmp_path / 'from-node.svlog')
    answer = typescript('log', {'path': path, 'run': 'node-run', 'calls': [
        {'method': 'setLayout', 'data': {'a': [0, 0, 1, 1], 'b': [0, 1, 1, 1], 'c': [1, 0, 1, 1], 'd': [1, 1, 1, 1]}},
        {'method': 'scatter', 'plot': 'a', 'data': {'dtype': 'float32', 'shape': [3, 2], 'values': F32.astype(float).tolist()},
         'options': {'spatialDim': 1, 'append': False, 'color': ['Turbo256', 0]}},
        {'method': 'tandemLines', 'plot': 'b', 'step': 7, 'data': [0.1, math.pi, -1e300], 'options': {'rollover': 50}},
        {'method': 'multiLines', 'plot': 'c', 'data': [[[0, 1], [2, 3]], [[4, 5], [6, 7]]], 'options': {'lineDims': [0], 'spatialDim': 2, 'append': True}},
        {'method': 'cluster', 'plot': 'd', 'data': [[1, 2], [3, 4]], 'options': {'columns': ['u', 'v'], 'kMin': 1, 'kMax': 3}},
    ]})
    records = list(read_log(path))
    assert [(r.run, r.header['logger'], r.seq, r.kind) for r in records] == [
        ('node-run', answer['logger'], seq, kind) for seq, kind in enumerate(['layout', 'scatter', 'lines', 'multilines', 'cluster'])
    ]
    layout, scatter, lines, multi, cluster = records
    assert layout.opts == {'cells': {'a': [0, 0, 1, 1], 'b': [0, 1, 1, 1], 'c': [1, 0, 1, 1], 'd': [1, 1, 1, 1]}}
    assert scatter.opts == {'append': False, 'palette': 'Turbo256'}
    for name, values in [('x', F32[0::2]), ('y', F32[1::2]), ('color', np.array([0, 0.5, 1], np.float32))]:
        assert scatter.arrays[name].dtype == np.float32 and scatter.arrays[name].tobytes() == values.tobytes()
    assert lines.opts == {'x': 7, 'rollover': 50}
    assert lines.arrays['y'].dtype == np.float64 and lines.arrays['y'].tolist() == [0.1, math.pi, -1e300]
    assert multi.arrays['x'].tolist() == [[0, 2], [4, 6]] and multi.arrays['y'].tolist() == [[1, 3], [5, 7]]
    assert cluster.opts == {'columns': ['u', 'v'], 'kMin': 1, 'kMax': 3}
    assert cluster.arrays['points'].shape == (2, 2) and cluster.arrays['points'].tolist() == [[1, 2], [3, 4]]
    assert abs(layout.header["time"] / 1000 - time.time()) < 60


def test_the_palettes_are_those_of_the_typescript_packages():
    from streamvis import PALETTES

    assert PALETTES == set(typescript('palettes')['palettes'])
