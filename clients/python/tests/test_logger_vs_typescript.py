"""The Python DataLogger makes, for the same calls, the TypeScript DataLogger's records: the same frames (version 2) but for logger id and time."""

from __future__ import annotations

import numpy as np
import pytest

from streamvis import ArgumentError, ColorSpec, DataLogger, GridSpec, read_log
from streamvis.encoding import PREFIX_BYTES
from support.frames import python_events, split_frames, typescript_events, with_logger_and_time
from support.repo import typescript

generator = np.random.default_rng(7)
F32 = generator.standard_normal((3, 2)).astype(np.float32)
CUBE = generator.standard_normal((4, 3, 2))
VALUED = np.column_stack([generator.standard_normal((5, 2)), generator.uniform(size=5)])
SPATIAL_FIRST = generator.standard_normal((2, 3, 4)).astype(np.float32)
PATHS = np.arange(12.0).reshape(3, 2, 2)
BUNDLE = generator.standard_normal((2, 4, 3, 2))
POINTS = generator.standard_normal((6, 3)).astype(np.float32)
PANELS = generator.standard_normal((3, 2, 4, 2)).astype(np.float32)
SHADES = generator.standard_normal((2, 3, 4, 2)).astype(np.float32)
# 3 lines of 5 points (x, y, colour value): each line's colour value at all its points.
TINTED = np.concatenate([generator.standard_normal((3, 5, 2)), np.repeat(generator.uniform(size=(3, 1, 1)), 5, axis=1)], axis=2)
LAYOUT = {'modes': [8, 0, 1, 1], 'shades': [7, 0, 1, 1], 'tinted': [7, 1, 1, 1], 'panels': [6, 0, 1, 1], 'lines': [0, 0, 1, 2], '7': [2, 0, 1, 1], 'f32': [1, 0, 1, 1], 'cube': [1, 1, 1, 1], 'valued': [3, 0, 1, 1], 'first': [3, 1, 1, 1],
          'paths': [4, 0, 1, 1], 'bundle': [4, 1, 1, 1], 'flow': [5, 0, 1, 2]}


def log_in_python(logger: DataLogger) -> None:
    logger.set_layout(LAYOUT)
    logger.tandem_lines('lines', 0.5, [0.1, np.pi, -1e300], palette='Category10_10', rollover=100)
    logger.tandem_lines('lines', 7, np.array([1, 2, 3], np.float32))
    logger.scatter('f32', F32, 1, False, color=ColorSpec('Turbo256', 0))
    logger.scatter('cube', CUBE, 2, True, rollover=1000, grid=GridSpec(0, 3, 1.5))
    logger.scatter('valued', VALUED, 1, False, color=ColorSpec('Viridis256'))
    logger.scatter('first', SPATIAL_FIRST, 0, False, grid=GridSpec(2, 2), color=ColorSpec('Inferno256', 1))
    logger.scatter('7', [[1, 2]], 1, True)
    logger.multi_lines('paths', PATHS, [1], 2, True, rollover=10, palette='Category10_10')
    logger.multi_lines('bundle', BUNDLE, [2, 0], 3, False)
    logger.cluster('flow', POINTS, ['a', 'b', 'c'], k_min=1, k_max=4, gate=0.5, seed=1, frame_size=500, max_age=3, max_age_ms=60000)
    logger.cluster('flow', POINTS[:2], ['a', 'b', 'c'], k=2)
    logger.cluster('modes', POINTS, ['a', 'b', 'c'], algorithm='meanshift', space='cosine', bandwidth=0.25, min_cluster_size=3, seed=4)
    logger.cluster('modes', POINTS[:3], ['a', 'b', 'c'], algorithm='meanshift')
    logger.cluster('flow', POINTS[:1], ['a', 'b', 'c'], algorithm='kmeans', space='euclidean', k_max=3)
    logger.clear()
    logger.tandem_lines('lines', 8, [1, 2, 3], title='Loss', x_label='step', y_label='nats \U0001F600', x_scale='linear', y_scale='log', names=['a', 'b', 'c'])
    logger.scatter('valued', VALUED, 1, True, color=ColorSpec('Viridis256'), color_label='epoch', title='t', y_scale='log')
    logger.multi_lines('panels', PANELS, [1], 3, False, grid=GridSpec(0, 2, 1.1), names=['up', 'down'], x_label='x')
    logger.multi_lines('bundle', BUNDLE, [2, 0], 3, True, grid=GridSpec(1, 3))
    logger.multi_lines('shades', SHADES, [0, 1], 3, False, color=ColorSpec('Turbo256', 1), color_label='seed')
    logger.multi_lines('shades', SHADES, [1, 0], 3, True, rollover=7, grid=GridSpec(0, 2), color=ColorSpec('Cividis256', 0))
    logger.multi_lines('tinted', TINTED, [0], 2, False, color=ColorSpec('Inferno256'), names=['a', 'b', 'c'])
    logger.clear(['lines', 'panels'])
    # The same options again: these refer to their plots' declarations.
    logger.tandem_lines('lines', 9, [4, 5, 6], title='Loss', x_label='step', y_label='nats \U0001F600', x_scale='linear', y_scale='log', names=['a', 'b', 'c'])
    logger.scatter('cube', CUBE[::-1], 2, True, rollover=1000, grid=GridSpec(0, 3, 1.5))


def data(array: np.ndarray) -> dict:
    return {'dtype': str(array.dtype), 'shape': list(array.shape), 'values': array.reshape(-1).tolist()}


TYPESCRIPT_CALLS = [
    {'method': 'setLayout', 'data': LAYOUT},
    {'method': 'tandemLines', 'plot': 'lines', 'step': 0.5, 'data': [0.1, np.pi, -1e300], 'options': {'palette': 'Category10_10', 'rollover': 100}},
    {'method': 'tandemLines', 'plot': 'lines', 'step': 7, 'data': data(np.array([1, 2, 3], np.float32))},
    {'method': 'scatter', 'plot': 'f32', 'data': data(F32), 'options': {'spatialDim': 1, 'append': False, 'color': ['Turbo256', 0]}},
    {'method': 'scatter', 'plot': 'cube', 'data': data(CUBE), 'options': {'spatialDim': 2, 'append': True, 'rollover': 1000, 'grid': [0, 3, 1.5]}},
    {'method': 'scatter', 'plot': 'valued', 'data': data(VALUED), 'options': {'spatialDim': 1, 'append': False, 'color': ['Viridis256']}},
    {'method': 'scatter', 'plot': 'first', 'data': data(SPATIAL_FIRST), 'options': {'spatialDim': 0, 'append': False, 'grid': [2, 2], 'color': ['Inferno256', 1]}},
    {'method': 'scatter', 'plot': '7', 'data': [[1, 2]], 'options': {'spatialDim': 1, 'append': True}},
    {'method': 'multiLines', 'plot': 'paths', 'data': data(PATHS), 'options': {'lineDims': [1], 'spatialDim': 2, 'append': True, 'rollover': 10, 'palette': 'Category10_10'}},
    {'method': 'multiLines', 'plot': 'bundle', 'data': data(BUNDLE), 'options': {'lineDims': [2, 0], 'spatialDim': 3, 'append': False}},
    {'method': 'cluster', 'plot': 'flow', 'data': data(POINTS), 'options': {'columns': ['a', 'b', 'c'], 'kMin': 1, 'kMax': 4, 'gate': 0.5, 'seed': 1, 'frameSize': 500, 'maxAge': 3, 'maxAgeMs': 60000}},
    {'method': 'cluster', 'plot': 'flow', 'data': data(POINTS[:2]), 'options': {'columns': ['a', 'b', 'c'], 'k': 2}},
    {'method': 'cluster', 'plot': 'modes', 'data': data(POINTS), 'options': {'columns': ['a', 'b', 'c'], 'algorithm': 'meanshift', 'space': 'cosine', 'bandwidth': 0.25, 'minClusterSize': 3, 'seed': 4}},
    {'method': 'cluster', 'plot': 'modes', 'data': data(POINTS[:3]), 'options': {'columns': ['a', 'b', 'c'], 'algorithm': 'meanshift'}},
    {'method': 'cluster', 'plot': 'flow', 'data': data(POINTS[:1]), 'options': {'columns': ['a', 'b', 'c'], 'algorithm': 'kmeans', 'space': 'euclidean', 'kMax': 3}},
    {'method': 'clear'},
    {'method': 'tandemLines', 'plot': 'lines', 'step': 8, 'data': [1, 2, 3],
     'options': {'title': 'Loss', 'xLabel': 'step', 'yLabel': 'nats \U0001F600', 'xScale': 'linear', 'yScale': 'log', 'names': ['a', 'b', 'c']}},
    {'method': 'scatter', 'plot': 'valued', 'data': data(VALUED), 'options': {'spatialDim': 1, 'append': True, 'color': ['Viridis256'], 'colorLabel': 'epoch', 'title': 't', 'yScale': 'log'}},
    {'method': 'multiLines', 'plot': 'panels', 'data': data(PANELS), 'options': {'lineDims': [1], 'spatialDim': 3, 'append': False, 'grid': [0, 2, 1.1], 'names': ['up', 'down'], 'xLabel': 'x'}},
    {'method': 'multiLines', 'plot': 'bundle', 'data': data(BUNDLE), 'options': {'lineDims': [2, 0], 'spatialDim': 3, 'append': True, 'grid': [1, 3]}},
    {'method': 'multiLines', 'plot': 'shades', 'data': data(SHADES), 'options': {'lineDims': [0, 1], 'spatialDim': 3, 'append': False, 'color': ['Turbo256', 1], 'colorLabel': 'seed'}},
    {'method': 'multiLines', 'plot': 'shades', 'data': data(SHADES), 'options': {'lineDims': [1, 0], 'spatialDim': 3, 'append': True, 'rollover': 7, 'grid': [0, 2], 'color': ['Cividis256', 0]}},
    {'method': 'multiLines', 'plot': 'tinted', 'data': data(TINTED), 'options': {'lineDims': [0], 'spatialDim': 2, 'append': False, 'color': ['Inferno256'], 'names': ['a', 'b', 'c']}},
    {'method': 'clear', 'data': ['lines', 'panels']},
    {'method': 'tandemLines', 'plot': 'lines', 'step': 9, 'data': [4, 5, 6],
     'options': {'title': 'Loss', 'xLabel': 'step', 'yLabel': 'nats \U0001F600', 'xScale': 'linear', 'yScale': 'log', 'names': ['a', 'b', 'c']}},
    {'method': 'scatter', 'plot': 'cube', 'data': data(CUBE[::-1]), 'options': {'spatialDim': 2, 'append': True, 'rollover': 1000, 'grid': [0, 3, 1.5]}},
]


def frames_of(path: str) -> list[bytes]:
    return split_frames(open(path, 'rb').read())


def test_the_same_calls_make_the_typescript_loggers_frames(tmp_path):
    typescript_log = str(tmp_path / 'typescript.svlog')
    answer = typescript('log', {'path': typescript_log, 'run': 'same', 'calls': TYPESCRIPT_CALLS})
    python_log = str(tmp_path / 'python.svlog')
    with DataLogger('same') as logger:
        logger.init_write_log(python_log)
        log_in_python(logger)

    ours, theirs = list(read_log(python_log)), list(read_log(typescript_log))
    assert len(ours) == len(theirs) == answer['records'] == len(TYPESCRIPT_CALLS)
    for mine, other, frame, written in zip(ours, theirs, frames_of(typescript_log), frames_of(python_log), strict=True):
        assert {**mine.header, 'logger': other.header['logger'], 'time': other.header['time']} == other.header
        assert mine.arrays.keys() == other.arrays.keys()
        for name, array in mine.arrays.items():
            assert array.dtype == other.arrays[name].dtype and array.tobytes() == other.arrays[name].tobytes(), (mine.plot, name)
        # With the TypeScript record's id and time, the Python logger's frame is the very bytes:
        # the same declarations (ids, options JSON in the order written), declared and referred to alike.
        assert with_logger_and_time(written, other.header['logger'], other.header['time']) == frame, mine.header
    # A plot's record refers to its declaration when one with the same options came before (the last two calls).
    assert [frame[PREFIX_BYTES + 1] for frame in frames_of(python_log)] == [0] * (len(TYPESCRIPT_CALLS) - 2) + [1, 1]


def test_records_at_the_formats_bounds_from_the_python_logger_are_records_to_the_typescript_reader(tmp_path):
    path = str(tmp_path / 'bounds.svlog')
    long_name = '\U0001F600' * 512  # 1024 UTF-16 code units: the longest name
    with DataLogger(long_name) as logger:
        logger.init_write_log(path)
        logger.set_layout({f'{i}': [i // 100, i % 100, 1, 1] for i in range(9_998)} | {long_name: [100, 0, 1, 1], 'half \ud800 pair': [101, 0, 1, 1]})
        logger.tandem_lines(long_name, 1e21, np.arange(10_000.0), rollover=2**53 - 1)
        # A lone surrogate (half of a UTF-16 pair) in the options is escaped JSON, as JSON.stringify writes it; UTF-8 has none for a plot name.
        logger.tandem_lines('10', -5e-324, [0.0], title='half \ud800 pair')
        with pytest.raises(ArgumentError, match=r'tandem_lines\(\): the plot name "half \\ud800 pair" holds a lone surrogate'):
            logger.tandem_lines('half \ud800 pair', 0, [0.0])
        logger.multi_lines('7', np.zeros((10_000, 0, 2)), [0], 2, False)
        logger.scatter('8', np.zeros((0, 2)), 1, True, color=ColorSpec('Viridis256', 0))
        logger.cluster('9', np.zeros((0, 3)), ['__proto__', long_name, 'b'], k_min=1, k_max=100, frame_size=1_000_000, gate=1e-300, max_age=0, seed=2**53 - 1)
    data = open(path, 'rb').read()
    [(events, pending)] = typescript_events([(data, None)])
    assert pending == 0 and [e[0] for e in events] == ['record'] * 6
    assert python_events(data) == (events, 0)
    assert [(e[2], e[3]) for e in events] == [(0, None), (1, long_name), (2, '10'), (3, '7'), (4, '8'), (5, '9')]
    assert events[2][4] == {'title': 'half \ud800 pair', 'x': -5e-324} and 'half \ud800 pair' in events[0][4]['cells']
