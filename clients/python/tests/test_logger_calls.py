"""A wrong call raises a ValueError naming the argument, with the TypeScript logger's message, and logs nothing."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from streamvis import ArgumentError, ColorSpec, DataLogger, GridSpec, read_log
from support.repo import typescript

XY = [[0, 1], [2, 3]]

CALLS = [
    ('scatter(plot_name): expected a non-empty string', lambda log: log.scatter('', XY, 1, True)),
    ('scatter(data): ragged nested array', lambda log: log.scatter('p', [[0, 1], [2]], 1, True)),
    ('scatter(data): expected numbers, got an array of <U1', lambda log: log.scatter('p', [['a', 'b']], 1, True)),
    ('scatter(data): expected an array of numbers (numpy, nested lists, or anything with __array__), got None', lambda log: log.scatter('p', None, 1, True)),
    ('scatter(spatial_dim): expected an axis 0..1 of the 2-d data, got 2', lambda log: log.scatter('p', XY, 2, True)),
    ('scatter(data): axis spatial_dim=1 has size 3, expected 2 (x, y); data shape is [1, 3]', lambda log: log.scatter('p', [[0, 1, 2]], 1, True)),
    ('scatter(data): axis spatial_dim=1 has size 2, expected 3', lambda log: log.scatter('p', XY, 1, True, color=ColorSpec('Viridis256'))),
    ('scatter(append): expected true or false, got None', lambda log: log.scatter('p', XY, 1, None)),
    ('scatter(rollover): expected an integer >= 1, got 0', lambda log: log.scatter('p', XY, 1, True, rollover=0)),
    ('scatter(grid): dim 1 is the spatial_dim; it must be another axis', lambda log: log.scatter('p', XY, 1, True, grid=GridSpec(1, 2))),
    ('scatter(grid.dim): expected an axis 0..1 of the 2-d data, got 2', lambda log: log.scatter('p', XY, 1, True, grid=GridSpec(2, 2))),
    ('scatter(color): dim 1 is the spatial_dim', lambda log: log.scatter('p', XY, 1, True, color=ColorSpec('Turbo256', 1))),
    ('scatter(grid): expected a GridSpec, got dict', lambda log: log.scatter('p', XY, 1, True, grid={'dim': 0})),
    ('scatter(data): non-finite value nan at [1][1]', lambda log: log.scatter('p', [[0, 1], [2, math.nan]], 1, True)),
    ('scatter(data): non-finite value inf at [0][2][0]', lambda log: log.scatter('p', np.array([[[0, 1], [2, 3], [np.inf, 1]]], np.float32), 2, True)),
    ('tandem_lines(step): expected a finite number, got nan', lambda log: log.tandem_lines('l', math.nan, [1])),
    ('tandem_lines(values): expected 1 to 10000 lines (values), got 0', lambda log: log.tandem_lines('l', 0, [])),
    ('tandem_lines(values): expected shape [M], got [1, 2]', lambda log: log.tandem_lines('l', 0, [[1, 2]])),
    ('tandem_lines(values): expected 1 to 10000 lines (values), got 10001', lambda log: log.tandem_lines('l', 0, np.zeros(10_001))),
    ('multi_lines(data): expected at most 10000 lines, got shape [10001, 1]', lambda log: log.multi_lines('m', np.zeros((10_001, 1, 2)), [0], 2, True)),
    ('scatter(plot_name): expected a non-empty string of at most 1024 characters, got "ppp', lambda log: log.scatter('p' * 1025, XY, 1, True)),
    ('scatter(plot_name): expected a non-empty string of at most 1024 characters, got "\U0001f600', lambda log: log.scatter('\U0001f600' * 513, XY, 1, True)),
    ('tandem_lines(palette): unknown palette "Nope"', lambda log: log.tandem_lines('l', 0, [1], palette='Nope')),
    ('tandem_lines(palette): unknown palette "Viridis"; did you mean one of Viridis3,', lambda log: log.tandem_lines('l', 0, [1], palette='Viridis')),
    ('multi_lines(line_dims): axis 2 is the spatial_dim', lambda log: log.multi_lines('m', [[[0, 1]]], [2], 2, True)),
    ('multi_lines(line_dims): axis 0 is listed twice', lambda log: log.multi_lines('m', [[[0, 1]]], [0, 0], 2, True)),
    ('multi_lines(line_dims): expected a list of axes, got 0', lambda log: log.multi_lines('m', [[[0, 1]]], 0, 2, True)),
    ('multi_lines(data): axis spatial_dim=1 has size 1, expected 2 (x, y)', lambda log: log.multi_lines('m', [[0]], [0], 1, True)),
    ('cluster(points): expected [N, D] points, got shape [2]', lambda log: log.cluster('c', [1, 2], ['a', 'b'])),
    ('cluster(columns): 1 names for points with D = 2', lambda log: log.cluster('c', XY, ['a'])),
    ('cluster(columns): expected distinct column names, got ["a", "a"]', lambda log: log.cluster('c', XY, ['a', 'a'])),
    ('cluster(columns): expected a non-empty list of column names, got []', lambda log: log.cluster('c', XY, [])),
    ('cluster(columns[1]): expected a non-empty string of at most 1024 characters, got ""', lambda log: log.cluster('c', XY, ['a', ''])),
    ('cluster(columns[0]): expected a non-empty string of at most 1024 characters, got "xxx', lambda log: log.cluster('c', [[1]], ['x' * 1025])),
    ("cluster(columns): 'count' is reserved", lambda log: log.cluster('c', XY, ['a', 'count'])),
    ('cluster(k): give either k or kMin/kMax, not both', lambda log: log.cluster('c', XY, ['a', 'b'], k=2, k_max=3)),
    ('cluster(k_max): expected an integer >= 3, got 2', lambda log: log.cluster('c', XY, ['a', 'b'], k_min=3, k_max=2)),
    ('cluster(k): at most 100, got 101', lambda log: log.cluster('c', XY, ['a', 'b'], k=101)),
    ('cluster(gate): expected a number > 0, got -1', lambda log: log.cluster('c', XY, ['a', 'b'], gate=-1)),
    ('cluster(frame_size): expected an integer >= 1, got 0.5', lambda log: log.cluster('c', XY, ['a', 'b'], frame_size=0.5)),
    ("set_layout(grid_map): plots 'a' and 'b' overlap", lambda log: log.set_layout({'a': [0, 0, 1, 1], 'b': [0, 0, 1, 1]})),
    ("set_layout(grid_map): plot 'a' needs [top, left, height, width] with top, left >= 0 and height, width >= 1, got [0, 0, 0, 1]", lambda log: log.set_layout({'a': [0, 0, 0, 1]})),
    ('set_layout(grid_map): the layout has no plots', lambda log: log.set_layout({})),
    ('set_layout(grid_map): expected at most 10000 plots, got 10001', lambda log: log.set_layout({f'p{i}': [i, 0, 1, 1] for i in range(10_001)})),
    ('set_layout(grid_map): plot name: expected a non-empty string of at most 1024 characters, got ""', lambda log: log.set_layout({'': [0, 0, 1, 1]})),
    ('set_layout(grid_map): plot names must be strings, got 7', lambda log: log.set_layout({7: [0, 0, 1, 1]})),
    ('cluster(): record header is', lambda log: log.cluster('c', np.zeros((1, 2000)), [f'{i}'.rjust(1000, 'x') for i in range(2000)])),
]


def test_a_wrong_call_raises_naming_the_argument_and_logs_nothing(tmp_path):
    path = str(tmp_path / 'bad.svlog')
    logger = DataLogger('bad')
    logger.init_write_log(path)
    for message, call in CALLS:
        with pytest.raises(ValueError) as raised:
            call(logger)
        assert raised.type is ArgumentError
        assert str(raised.value).startswith(message), message

    logger.tandem_lines('l', 0, [1, 2])
    with pytest.raises(ArgumentError, match=r"tandem_lines\(values\): plot 'l' has 2 lines, got 3 values"):
        logger.tandem_lines('l', 1, [1, 2, 3])
    logger.set_layout({'l': [0, 0, 1, 1]})
    with pytest.raises(ArgumentError, match=r"scatter\(plot_name\): plot 'p' is not in the layout \(l\)"):
        logger.scatter('p', XY, 1, True)
    logger.shutdown()
    with pytest.raises(RuntimeError, match=r'DataLogger.tandem_lines\(\): the logger is shut down'):
        logger.tandem_lines('l', 2, [1, 2])
    assert [(r.seq, r.kind) for r in read_log(path)] == [(0, 'lines'), (1, 'layout')]


@pytest.mark.parametrize(
    ('message', 'make'),
    [
        ('DataLogger(run): expected a non-empty string of at most 1024 characters, got None', lambda: DataLogger(None)),
        ('DataLogger(run): expected a non-empty string of at most 1024 characters, got "rrrr', lambda: DataLogger('r' * 1025)),
        ("DataLogger(on_full): expected 'block' or 'drop-oldest', got \"drop\"", lambda: DataLogger('r', on_full='drop')),
        ('GridSpec(num_columns): expected an integer >= 1, got 0', lambda: GridSpec(0, 0)),
        ('GridSpec(padding_factor): expected a number > 0, got 0', lambda: GridSpec(0, 2, 0)),
        ('ColorSpec(palette): unknown palette "viridis"', lambda: ColorSpec('viridis')),
        ('ColorSpec(dim): expected an integer >= 0, got -1', lambda: ColorSpec('Viridis256', -1)),
    ],
)
def test_a_wrong_constructor_argument_is_named(message, make):
    with pytest.raises(ArgumentError) as raised:
        make()
    assert str(raised.value).startswith(message)


def test_init_arguments_are_checked():
    logger = DataLogger('r')
    with pytest.raises(ArgumentError, match=r'init_write_log\(path\): expected a non-empty string'):
        logger.init_write_log('')
    with pytest.raises(ArgumentError, match=r'init_write_log\(max_buffered_bytes\): expected an integer >= 1, got -1'):
        logger.init_write_log('x.svlog', max_buffered_bytes=-1)
    with pytest.raises(ArgumentError, match=r'init_pubsub\(topic\): expected a non-empty string'):
        logger.init_pubsub('project', '')
    with pytest.raises(ArgumentError, match=r'init_pubsub\(flush_timeout\): expected a number > 0, got 0'):
        logger.init_pubsub('project', 'topic', flush_timeout=0)


def test_any_real_dtype_and_anything_with_array_is_data(tmp_path):
    class Tensor:
        """A stand-in for a torch or jax array: numpy reads it through __array__."""

        def __array__(self, dtype=None, copy=None):
            return np.array([[1, 2], [3, 4]], dtype=np.int16)

    path = str(tmp_path / 'dtypes.svlog')
    with DataLogger('dtypes') as logger:
        logger.init_write_log(path)
        logger.scatter('a', Tensor(), 1, True)
        logger.scatter('b', np.array([[1, 2]], dtype='>f4'), 1, True)  # big-endian float32 stays float32
        logger.scatter('c', np.array([[0.5, 1.5]], dtype=np.float16), 1, True)
        logger.scatter('d', np.arange(8, dtype=np.uint64).reshape(2, 2, 2)[:, ::-1], 2, True)  # not contiguous
        logger.tandem_lines('e', np.int64(3), np.array([7], dtype=np.int8), rollover=np.int32(10))
        logger.scatter('f', [[1, 2]], np.int64(1), np.True_)  # numpy's scalars are numbers and bools
    records = {r.plot: r for r in read_log(path)}
    assert records['a'].arrays['x'].tolist() == [1, 3] and records['a'].arrays['x'].dtype == np.float64
    assert records['b'].arrays['y'].tolist() == [2] and records['b'].arrays['y'].dtype == np.float32
    assert records['c'].arrays['x'].tolist() == [0.5] and records['c'].arrays['x'].dtype == np.float64
    assert records['d'].arrays['x'].tolist() == [2, 0, 6, 4] and records['d'].arrays['y'].tolist() == [3, 1, 7, 5]
    assert records['e'].opts == {'x': 3, 'rollover': 10}
    assert records['f'].opts == {'append': True}


def zeros(*shape: int) -> dict:
    """A float64 data argument of the TypeScript helper: {dtype, shape, values}."""
    return {'dtype': 'float64', 'shape': list(shape), 'values': [0] * math.prod(shape)}


def log(method: str, *args: object, **options: object):
    """A call to a new Python DataLogger without sinks."""
    return lambda: getattr(DataLogger('errors'), method)(*args, **options)


WIDE_COLUMNS = [f'{i}'.rjust(1000, 'x') for i in range(2000)]
#: Two lines of two points (x, y, colour value): line 1's colour value changes along it.
VARYING_LINE = np.array([[[0, 1, 0], [2, 3, 0]], [[4, 5, 0.5], [6, 7, 0.1]]])

#: The same mistake made in a Python call and in a call to the TypeScript DataLogger (tests/support/typescript.mjs `errors`).
SAME_MISTAKES = [
    (lambda: DataLogger('r' * 1025), {'run': 'r' * 1025}),
    (log('scatter', 'p' * 1025, XY, 1, True), {'method': 'scatter', 'plot': 'p' * 1025, 'data': XY, 'options': {'spatialDim': 1, 'append': True}}),
    (log('scatter', 'p', XY, 1, True, rollover=0), {'method': 'scatter', 'plot': 'p', 'data': XY, 'options': {'spatialDim': 1, 'append': True, 'rollover': 0}}),
    (log('scatter', 'p', XY, 1, 'yes'), {'method': 'scatter', 'plot': 'p', 'data': XY, 'options': {'spatialDim': 1, 'append': 'yes'}}),
    (log('tandem_lines', 'l', 0, []), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': []}),
    (log('tandem_lines', 'l', 0, [[1, 2]]), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': [[1, 2]]}),
    (log('tandem_lines', 'l', 0, np.zeros(10_001)), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': zeros(10_001)}),
    (log('tandem_lines', 'l', '1', [1]), {'method': 'tandemLines', 'plot': 'l', 'step': '1', 'data': [1]}),
    (log('tandem_lines', 'l', 0, [1], palette='Viridis'), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': [1], 'options': {'palette': 'Viridis'}}),
    (log('multi_lines', 'm', np.zeros((10_001, 1, 2)), [0], 2, True), {'method': 'multiLines', 'plot': 'm', 'data': zeros(10_001, 1, 2), 'options': {'lineDims': [0], 'spatialDim': 2, 'append': True}}),
    (log('cluster', 'c', XY, ['a', 'a']), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': ['a', 'a']}}),
    (log('cluster', 'c', XY, []), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': []}}),
    (log('cluster', 'c', XY, ['a', 'x' * 1025]), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': ['a', 'x' * 1025]}}),
    (log('cluster', 'c', XY, ['a', 'count']), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': ['a', 'count']}}),
    (log('cluster', 'c', XY, ['a']), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': ['a']}}),
    (log('cluster', 'c', XY, ['a', 'b'], k=2, k_max=3), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': ['a', 'b'], 'k': 2, 'kMax': 3}}),
    (log('cluster', 'c', XY, ['a', 'b'], k_min=3, k_max=2), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': ['a', 'b'], 'kMin': 3, 'kMax': 2}}),
    (log('cluster', 'c', XY, ['a', 'b'], frame_size=0.5), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': ['a', 'b'], 'frameSize': 0.5}}),
    *[(log('cluster', 'c', XY, ['a', 'b'], **python), {'method': 'cluster', 'plot': 'c', 'data': XY, 'options': {'columns': ['a', 'b'], **options}})
      for python, options in [
          ({'algorithm': 'dbscan'}, {'algorithm': 'dbscan'}),
          ({'algorithm': 'meanshift', 'k': 2}, {'algorithm': 'meanshift', 'k': 2}),
          ({'algorithm': 'meanshift', 'k_max': 4}, {'algorithm': 'meanshift', 'kMax': 4}),
          ({'bandwidth': 0.5}, {'bandwidth': 0.5}),
          ({'algorithm': 'kmeans', 'min_cluster_size': 2}, {'algorithm': 'kmeans', 'minClusterSize': 2}),
          ({'space': 'l1'}, {'space': 'l1'}),
          ({'algorithm': 'meanshift', 'bandwidth': -1}, {'algorithm': 'meanshift', 'bandwidth': -1}),
          ({'algorithm': 'meanshift', 'min_cluster_size': 0}, {'algorithm': 'meanshift', 'minClusterSize': 0}),
          ({'algorithm': 3}, {'algorithm': 3}),
      ]],
    (log('cluster', 'c', np.zeros((1, 2000)), WIDE_COLUMNS), {'method': 'cluster', 'plot': 'c', 'data': zeros(1, 2000), 'options': {'columns': WIDE_COLUMNS}}),
    # A version 2 header's names are UTF-8, which has no lone surrogate (half of a UTF-16 pair).
    (log('tandem_lines', 'half \ud800 pair', 0, [1]), {'method': 'tandemLines', 'plot': 'half \ud800 pair', 'step': 0, 'data': [1]}),
    (lambda: DataLogger('run \udc00').clear(), {'run': 'run \udc00', 'method': 'clear'}),
    (log('set_layout', {'b': [0, 0, 1, 1], '1': [0, 0, 1, 1]}), {'method': 'setLayout', 'data': {'b': [0, 0, 1, 1], '1': [0, 0, 1, 1]}}),
    (log('set_layout', {'a': [0, 0, 0, 1]}), {'method': 'setLayout', 'data': {'a': [0, 0, 0, 1]}}),
    (log('set_layout', {}), {'method': 'setLayout', 'data': {}}),
    (log('set_layout', {'': [0, 0, 1, 1]}), {'method': 'setLayout', 'data': {'': [0, 0, 1, 1]}}),
    (log('set_layout', {f'p{i}': [i, 0, 1, 1] for i in range(10_001)}), {'method': 'setLayout', 'data': {f'p{i}': [i, 0, 1, 1] for i in range(10_001)}}),
    (log('clear', 'loss'), {'method': 'clear', 'data': 'loss'}),
    (log('clear', []), {'method': 'clear', 'data': []}),
    (log('clear', ['a', 'b', 'a']), {'method': 'clear', 'data': ['a', 'b', 'a']}),
    (log('clear', ['a', '']), {'method': 'clear', 'data': ['a', '']}),
    (log('clear', [f'p{i}' for i in range(10_001)]), {'method': 'clear', 'data': [f'p{i}' for i in range(10_001)]}),
    (log('tandem_lines', 'l', 0, [1], y_scale='ln'), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': [1], 'options': {'yScale': 'ln'}}),
    (log('tandem_lines', 'l', 0, [1, 2], names=['only']), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': [1, 2], 'options': {'names': ['only']}}),
    (log('tandem_lines', 'l', 0, [1, 2], names=['a', '']), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': [1, 2], 'options': {'names': ['a', '']}}),
    (log('tandem_lines', 'l', 0, [1], names=[]), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': [1], 'options': {'names': []}}),
    (log('tandem_lines', 'l', 0, [1], names='a'), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': [1], 'options': {'names': 'a'}}),
    (log('tandem_lines', 'l', 0, [1], x_label='x' * 1025), {'method': 'tandemLines', 'plot': 'l', 'step': 0, 'data': [1], 'options': {'xLabel': 'x' * 1025}}),
    (log('scatter', 'p', XY, 1, True, title=3), {'method': 'scatter', 'plot': 'p', 'data': XY, 'options': {'spatialDim': 1, 'append': True, 'title': 3}}),
    (log('scatter', 'p', XY, 1, True, x_scale='Log'), {'method': 'scatter', 'plot': 'p', 'data': XY, 'options': {'spatialDim': 1, 'append': True, 'xScale': 'Log'}}),
    (log('scatter', 'p', XY, 1, True, color_label=''), {'method': 'scatter', 'plot': 'p', 'data': XY, 'options': {'spatialDim': 1, 'append': True, 'colorLabel': ''}}),
    # The first wrong option in the TypeScript parser's order is the one named.
    (log('scatter', 'p', XY, 1, True, title='', y_scale='x', rollover=0), {'method': 'scatter', 'plot': 'p', 'data': XY, 'options': {'spatialDim': 1, 'append': True, 'yScale': 'x', 'title': '', 'rollover': 0}}),
    (log('multi_lines', 'm', np.zeros((2, 3, 2)), [0], 2, True, names=['a']), {'method': 'multiLines', 'plot': 'm', 'data': zeros(2, 3, 2), 'options': {'lineDims': [0], 'spatialDim': 2, 'append': True, 'names': ['a']}}),
    (log('multi_lines', 'm', np.zeros((2, 3, 2)), [0], 2, True, grid=GridSpec(2, 2)), {'method': 'multiLines', 'plot': 'm', 'data': zeros(2, 3, 2), 'options': {'lineDims': [0], 'spatialDim': 2, 'append': True, 'grid': [2, 2]}}),
    (log('multi_lines', 'm', np.zeros((2, 3, 2)), [0], 2, True, grid=GridSpec(3, 2)), {'method': 'multiLines', 'plot': 'm', 'data': zeros(2, 3, 2), 'options': {'lineDims': [0], 'spatialDim': 2, 'append': True, 'grid': [3, 2]}}),
    *[(log('multi_lines', 'm', data, [0], 2, True, color=ColorSpec(*spec), **more), {'method': 'multiLines', 'plot': 'm', 'data': ts_data, 'options': {'lineDims': [0], 'spatialDim': 2, 'append': True, 'color': list(spec), **ts_more}})
      for data, ts_data, spec, more, ts_more in [
          (np.zeros((2, 3, 2)), zeros(2, 3, 2), ('Viridis256', 1), {}, {}),  # a line's points' axis: a line has one colour
          (np.zeros((2, 3, 2)), zeros(2, 3, 2), ('Viridis256', 2), {}, {}),
          (np.zeros((2, 3, 2)), zeros(2, 3, 2), ('Viridis256', 3), {}, {}),
          (np.zeros((2, 3, 2)), zeros(2, 3, 2), ('Viridis256', 0), {'palette': 'Turbo256'}, {'palette': 'Turbo256'}),
          (np.zeros((2, 3, 2)), zeros(2, 3, 2), ('Viridis256',), {}, {}),
          (np.zeros((2, 0, 3)), zeros(2, 0, 3), ('Viridis256',), {}, {}),
          (VARYING_LINE, VARYING_LINE.tolist(), ('Viridis256',), {}, {}),
      ]],
]

#: The Python names of the TypeScript calls and arguments.
_METHODS = {'tandemLines': 'tandem_lines', 'multiLines': 'multi_lines', 'setLayout': 'set_layout'}
_ARGUMENTS = {'plot': 'plot_name', 'ys': 'values', 'cells': 'grid_map'}


def in_python_names(message: str) -> str:
    """A TypeScript logger's message with the call and arguments it names as the Python logger names them."""
    method, argument, rest = re.fullmatch(r'(\w+)\(([^)]*)\)(.*)', message, re.DOTALL).groups()
    argument = _ARGUMENTS.get(argument) or re.sub(r'([A-Z])', r'_\1', argument.removeprefix('options.')).lower()
    # A message may name another argument of the call in its text too.
    rest = rest.replace('spatialDim', 'spatial_dim').replace('lineDims', 'line_dims').replace('options.', '')
    return f"{_METHODS.get(method, method)}({argument}){rest}"


def test_a_mistake_gets_the_typescript_loggers_message_in_python_names():
    answer = typescript('errors', {'calls': [call for _, call in SAME_MISTAKES]})
    for (mistake, call), message in zip(SAME_MISTAKES, answer['messages'], strict=True):
        assert message is not None, call
        with pytest.raises(ArgumentError) as raised:
            mistake()
        assert str(raised.value) == in_python_names(message)
