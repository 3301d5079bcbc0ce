"""
Checksum-valid records a buggy or hostile writer can make, and damage, read by the Python reader
exactly as by the TypeScript one: the same records, the same damaged runs with the same reasons
(test/server-hostile-records.test.ts and packages/format/src/frame-reader.test.ts have the classes).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import pytest

from support.frames import lines_frame, nested_bad_frames, python_events, raw_frame, torn_prefix, typescript_events

DROP = object()
TWO_POINTS = bytes(16)
FLOAT64_PAIR = [{'name': 'x', 'dtype': 'float64', 'shape': [1]}, {'name': 'y', 'dtype': 'float64', 'shape': [1]}]


def header(kind: str = 'scatter', /, **change: object) -> dict:
    """A valid header of `kind` (scatter: two float64 points), with `change` applied (DROP removes a field)."""
    opts = {'layout': {'cells': {'p': [0, 0, 1, 1]}}, 'clear': {}, 'scatter': {'append': True}, 'lines': {'x': 0}, 'multilines': {'append': True}, 'cluster': {'columns': ['a']}}
    fields = {'v': 1, 'run': 'run', 'logger': 'hostile', 'seq': 0, 'time': 0, 'kind': kind, 'plot': 'bad', 'opts': opts[kind], 'arrays': FLOAT64_PAIR if kind == 'scatter' else []}
    fields.update(change)
    return {key: value for key, value in fields.items() if value is not DROP}


def bad(body: bytes = TWO_POINTS, **change: object) -> bytes:
    return raw_frame(header(**change), body)


def text_frame(text: str, body: bytes = TWO_POINTS) -> bytes:
    return raw_frame(text.encode(), body)


def with_literal(field: str, literal: str, kind: str = 'scatter', body: bytes = TWO_POINTS) -> bytes:
    """A header whose `field` is the JSON text `literal`, as written (a number Python and JavaScript read differently, say)."""
    return text_frame(json.dumps(header(kind, **{field: '@@'})).replace('"@@"', literal), body)


def invalid_utf8() -> bytes:
    text = json.dumps(header(plot='b~d')).encode()
    return raw_frame(text.replace(b'~', b'\xff'), TWO_POINTS)


def arrays(*descriptors: tuple[str, str, list[int]]) -> list[dict]:
    return [{'name': n, 'dtype': d, 'shape': s} for n, d, s in descriptors]


def lines_of(count: int, **opts: object) -> bytes:
    return raw_frame(header('lines', plot='wide', opts={'x': 0, **opts}, arrays=arrays(('y', 'float64', [count]))), bytes(8 * count))


def multilines_of(shape: list[int], y_shape: list[int] | None = None, color_shape: list[int] | None = None, **opts: object) -> bytes:
    color = [('color', 'float64', color_shape)] if color_shape is not None else []
    body = bytes(16 * shape[0] * shape[1] + 8 * math.prod(color_shape or [0]))
    return raw_frame(header('multilines', plot='paths', opts={'append': True, **opts}, arrays=arrays(('x', 'float64', shape), ('y', 'float64', y_shape or shape), *color)), body)


def cluster(columns: list, shape: list[int] = (2, 1), **opts: object) -> bytes:
    return raw_frame(header('cluster', plot='c', opts={'columns': columns, **opts}, arrays=arrays(('points', 'float64', list(shape)))), bytes(8 * shape[0] * shape[1]))


def layout(cells: object) -> bytes:
    return raw_frame(header('layout', opts={'cells': cells}))


EMOJI = '\U0001F600'

#: Each class: its bytes, and what the TypeScript reader's error says (or None: it is a record).
CLASSES: list[tuple[str, Callable[[], bytes], str | None]] = [
    ('a chain of 64 torn prefixes announcing 1 GiB bodies', lambda: torn_prefix() * 64, 'torn record'),
    ('200 nested frames whose payload checksums fail', lambda: nested_bad_frames(200, 10_000), 'bad payload checksum'),
    ('a frame cut short, a writer appending after it', lambda: lines_frame(50, [0.0] * 1000)[:100], 'torn record'),
    ('a JSON array as the header', lambda: text_frame('[1, 2]', b''), 'header: expected a JSON object, got [1, 2]'),
    ('a JSON string as the header', lambda: text_frame('"text"', b''), 'header: expected a JSON object, got "text"'),
    ('a header that is not JSON', lambda: text_frame('{"v": 1,', b''), 'header: not JSON ('),
    ('an empty header', lambda: text_frame('', b''), 'header: not JSON ('),
    ('a header with a byte-order mark', lambda: raw_frame(b'\xef\xbb\xbf' + json.dumps(header()).encode(), TWO_POINTS), 'header: not JSON ('),
    ('NaN in a header', lambda: with_literal('time', 'NaN'), 'header: not JSON ('),
    ('a header that is not UTF-8', invalid_utf8, 'header: not valid UTF-8'),
    ('seq "7"', lambda: bad(seq='7'), 'header.seq: expected an integer >= 0, got "7"'),
    ('seq -1', lambda: bad(seq=-1), 'header.seq: expected an integer >= 0, got -1'),
    ('seq 1.5', lambda: bad(seq=1.5), 'header.seq: expected an integer >= 0, got 1.5'),
    ('seq true', lambda: bad(seq=True), 'header.seq: expected an integer >= 0, got true'),
    ('seq {}', lambda: bad(seq={}), 'header.seq: expected an integer >= 0, got Object'),
    ('seq past 2^53, as JavaScript rounds it', lambda: with_literal('seq', '9007199254740993'), 'header.seq: expected an integer >= 0, got 9007199254740992'),
    ('seq 1e21', lambda: with_literal('seq', '1e21'), 'header.seq: expected an integer >= 0, got 1e+21'),
    ('seq 2.0, an integer', lambda: with_literal('seq', '2.0'), None),
    ('no time', lambda: bad(time=DROP), 'header.time: expected a finite number, got undefined'),
    ('time null', lambda: bad(time=None), 'header.time: expected a finite number, got null'),
    ('time of 400 digits (Infinity)', lambda: with_literal('time', '1' * 400), 'header.time: expected a finite number, got Infinity'),
    ('time a list of 8', lambda: bad(time=[1, [2], [], 3, 4, 5, 6, 7]), 'header.time: expected a finite number, got [1, [...], [], 3, 4, 5, ... (8 items)]'),
    ('format version 2', lambda: bad(v=2), 'header.v: expected 1 (the format version this reader reads), got 2'),
    ('format version 1.0', lambda: with_literal('v', '1.0'), None),
    ('no format version', lambda: bad(v=DROP), 'header.v: expected 1 (the format version this reader reads), got undefined'),
    ('an unknown kind', lambda: bad(kind='histogram'), 'header.kind: expected one of layout, clear, scatter, lines, multilines, cluster, got "histogram"'),
    ('no logger', lambda: bad(logger=DROP), 'header.logger: expected a non-empty string of at most 1024 characters, got undefined'),
    ('a run name of 5000 characters', lambda: bad(run='r' * 5000), 'header.run: expected a non-empty string of at most 1024 characters, got "rrrr'),
    ('a run name of 600 characters outside the BMP (1200 UTF-16 units)', lambda: bad(run=EMOJI * 600), '(1200 characters)'),
    ('a run name cut by the message between the halves of a pair', lambda: bad(run='a' + EMOJI * 600), '\\ud83d..." (1201 characters)'),
    ('a plot name of 512 characters outside the BMP (1024 units)', lambda: bad(plot=EMOJI * 512), None),
    ('a plot name of a lone surrogate', lambda: text_frame(json.dumps(header(plot='@@')).replace('@@', '\\ud800x')), None),
    ('a run of 1100 lone surrogates', lambda: text_frame(json.dumps(header(run='@@')).replace('@@', '\\ud800' * 1100)), 'got "\\ud800\\ud800'),
    ('an empty plot name', lambda: bad(plot=''), 'header.plot: expected a non-empty string of at most 1024 characters, got ""'),
    ('a layout without a plot', lambda: raw_frame(header('layout', plot=DROP)), None),
    ('a layout with a plot name that is no string (ignored)', lambda: raw_frame(header('layout', plot=7)), None),
    ('the same field twice: the last counts', lambda: text_frame(json.dumps(header()).replace('"seq": 0', '"seq": "x", "seq": 3')), None),
    ('a shape of 4096 dimensions', lambda: bad(arrays=arrays(('x', 'float64', [1] * 4096), ('y', 'float64', [1]))), 'header.arrays[0].shape: expected at most 32 dimensions, got 4096'),
    ('a shape size of 2^31', lambda: bad(b'', arrays=arrays(('x', 'float64', [2**31, 0]))), 'header.arrays[0].shape[0]: expected an integer 0..1073741824, got 2147483648'),
    ('a shape size of 1e300', lambda: text_frame(json.dumps(header(arrays=arrays(('x', 'float64', [0, 7])))).replace('7]', '1e300]'), b''), 'header.arrays[0].shape[1]: expected an integer 0..1073741824, got 1e+300'),
    ('a shape size of -1', lambda: bad(arrays=arrays(('x', 'float64', [-1]))), 'header.arrays[0].shape[0]: expected an integer 0..1073741824, got -1'),
    ('a shape size of 1.5', lambda: bad(arrays=arrays(('x', 'float64', [1.5]))), 'header.arrays[0].shape[0]: expected an integer 0..1073741824, got 1.5'),
    ('a shape that is no list', lambda: bad(arrays=arrays(('x', 'float64', 'x'))), 'header.arrays[0].shape: expected a list of sizes, got "x"'),
    ('a shape of 2.0 and 1e0', lambda: text_frame(json.dumps(header(arrays=arrays(('x', 'float64', [7]), ('y', 'float64', [8])))).replace('[7]', '[1.0]').replace('[8]', '[1e0]')), None),
    ('an empty array of a shape too big for numpy', lambda: raw_frame(header('lines', arrays=arrays(('y', 'float64', [1]), ('z', 'float32', [0] + [2**30] * 31))), bytes(8)), None),
    ('two arrays named x', lambda: bad(arrays=arrays(('x', 'float64', [1]), ('x', 'float64', [1]))), 'header.arrays[1].name: "x" names an earlier array too; names are unique in a record'),
    ('ten arrays, the tenth named as the first', lambda: bad(bytes(80), arrays=arrays(*[(f'a{i % 9}', 'float64', [1]) for i in range(10)])), 'header.arrays[9].name: "a0" names an earlier array too'),
    ('an array without a name', lambda: bad(arrays=[{'dtype': 'float64', 'shape': [1]}]), 'header.arrays[0].name: expected a non-empty string of at most 1024 characters, got undefined'),
    ('an array descriptor that is no object', lambda: bad(arrays=[1]), 'header.arrays[0]: expected {name, dtype, shape}, got 1'),
    ('arrays that are no list', lambda: bad(arrays={'x': 1}), 'header.arrays: expected a list of {name, dtype, shape}, got Object'),
    ('an unknown dtype', lambda: bad(bytes(2), arrays=arrays(('x', 'float16', [1]))), 'header.arrays[0].dtype: expected one of float32, float64, int8, uint8, int16, uint16, int32, uint32, got "float16"'),
    ('arrays longer than the body', lambda: bad(bytes(8)), "header.arrays: the arrays take more than 8 body bytes, the frame's body has 8"),
    ('arrays shorter than the body', lambda: bad(bytes(24)), "header.arrays: the arrays take 16 body bytes, the frame's body has 24"),
    ('arrays past the body, then a bad descriptor', lambda: bad(bytes(8), arrays=arrays(('x', 'float64', [2]), ('x', 'nope', 'x'))), "header.arrays: the arrays take more than 8 body bytes"),
    ('opts: []', lambda: bad(opts=[]), 'scatter opts: expected an options object, got []'),
    ('no opts', lambda: bad(opts=DROP), 'scatter opts: expected an options object, got undefined'),
    ('rollover 0', lambda: bad(opts={'append': True, 'rollover': 0}), 'scatter opts.rollover: expected an integer >= 1, got 0'),
    ('rollover -1', lambda: bad(opts={'append': True, 'rollover': -1}), 'scatter opts.rollover: expected an integer >= 1, got -1'),
    ('rollover "2"', lambda: bad(opts={'append': True, 'rollover': '2'}), 'scatter opts.rollover: expected an integer >= 1, got "2"'),
    ('rollover null', lambda: bad(opts={'append': True, 'rollover': None}), 'scatter opts.rollover: expected an integer >= 1, got null'),
    ('no append', lambda: bad(opts={}), 'scatter opts.append: expected true or false, got undefined'),
    ('append nested 100000 arrays deep', lambda: text_frame(json.dumps(header(opts={'append': '@@'})).replace('"@@"', '[' * 100_000 + ']' * 100_000)), 'scatter opts.append: expected true or false, got [[...]]'),
    ('a palette that is a list', lambda: bad(opts={'append': True, 'palette': [1, [2], {'a': 1}]}), "scatter opts.palette: unknown palette [1, [...], Object]; e.g. 'Viridis256', 'Turbo256', 'Category10_10'"),
    ('a palette of a family without its size', lambda: bad(opts={'append': True, 'palette': 'Viridis'}), 'scatter opts.palette: unknown palette "Viridis"; did you mean one of Viridis3, Viridis4'),
    ('a palette name of 400 characters', lambda: bad(opts={'append': True, 'palette': 'x' * 400}), 'scatter opts.palette: unknown palette "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." (400 characters)'),
    ('a scatter without y', lambda: bad(arrays=arrays(('x', 'float64', [2]))), "scatter array 'y': required, of shape [2] like 'x'"),
    ('a scatter without x', lambda: bad(arrays=arrays(('y', 'float64', [2]))), "scatter array 'x': required, of shape [N]"),
    ('a scatter whose x is 2-d', lambda: bad(arrays=arrays(('x', 'float64', [1, 1]), ('y', 'float64', [1]))), "scatter array 'x': expected shape [N], got [1, 1]"),
    ('a scatter whose color is shorter', lambda: bad(bytes(40), arrays=arrays(('x', 'float64', [2]), ('y', 'float64', [2]), ('color', 'float64', [1]))), "scatter array 'color': expected shape [2] like 'x', got [1]"),
    ('a scatter with an unknown array (ignored)', lambda: bad(bytes(20), arrays=[*FLOAT64_PAIR, {'name': 'size', 'dtype': 'int32', 'shape': [1]}]), None),
    ('lines x Infinity', lambda: with_literal('opts', '{"x": 1e999}', 'lines', b''), 'lines opts.x: expected a finite number, got Infinity'),
    ('a lines record of 100000 lines', lambda: lines_of(100_000), "lines array 'y': expected 1 to 10000 lines (values), got 100000"),
    ('a lines record of 0 lines', lambda: lines_of(0), "lines array 'y': expected 1 to 10000 lines (values), got 0"),
    ('a lines record of 10000 lines', lambda: lines_of(10_000), None),
    ('a multilines record of shape [1e5, 0]', lambda: multilines_of([100_000, 0]), "multilines array 'x': expected at most 10000 lines, got shape [100000, 0]"),
    ('a multilines record whose y differs', lambda: multilines_of([1, 2], [2, 1]), "multilines array 'y': expected shape [1, 2] like 'x', got [2, 1]"),
    ('a multilines record with a colour value per point', lambda: multilines_of([2, 3], color_shape=[2, 3]), "multilines array 'color': expected shape [2] (one colour value per line of 'x'), got [2, 3]"),
    ('a multilines record with too few colour values', lambda: multilines_of([2, 3], color_shape=[1]), "multilines array 'color': expected shape [2] (one colour value per line of 'x'), got [1]"),
    ('a multilines record with a colour value per line', lambda: multilines_of([2, 3], color_shape=[2]), None),
    ('cluster points of D = 2 for 1 column', lambda: cluster(['a'], (1, 2)), "cluster array 'points': expected 1 coordinates per point (one per column of opts.columns), got 2"),
    ('cluster columns []', lambda: cluster([]), 'cluster opts.columns: expected a non-empty list of column names, got []'),
    ('cluster columns ["a", "a"]', lambda: cluster(['a', 'a'], (1, 2)), 'cluster opts.columns: expected distinct column names, got ["a", "a"]'),
    ('cluster column ""', lambda: cluster(['']), 'cluster opts.columns[0]: expected a non-empty string of at most 1024 characters, got ""'),
    ('cluster column "count"', lambda: cluster(['count']), "cluster opts.columns: 'count' is reserved (the bubble rows carry id and count)"),
    ('cluster k null beside kMin', lambda: cluster(['a'], k=None, kMin=1), 'cluster opts.k: give either k or kMin/kMax, not both'),
    ('cluster k 101', lambda: cluster(['a'], k=101), 'cluster opts.k: at most 100, got 101'),
    ('cluster kMax below kMin', lambda: cluster(['a'], kMin=3, kMax=2), 'cluster opts.kMax: expected an integer >= 3, got 2'),
    ('cluster kMin before the columns', lambda: cluster([], kMin=0), 'cluster opts.kMin: expected an integer >= 1, got 0'),
    ('cluster frameSize 1000001', lambda: cluster(['a'], frameSize=1_000_001), 'cluster opts.frameSize: at most 1000000, got 1000001'),
    ('cluster gate 0', lambda: cluster(['a'], gate=0), 'cluster opts.gate: expected a number > 0, got 0'),
    ('cluster of every option', lambda: cluster(['a', 'b'], (2, 2), kMin=1, kMax=4, frameSize=10, gate=0.5, maxAge=0, seed=3, extra=[1]), None),
    ('a layout whose cells overlap, integer-like names first', lambda: layout({'b': [0, 0, 1, 1], '1': [0, 0, 1, 1]}), "layout opts.cells: plots '1' and 'b' overlap"),
    ('a layout overlapping on a later row', lambda: layout({'a': [1, 0, 1, 2], 'b': [0, 1, 2, 1], 'c': [0, 0, 1, 1]}), "layout opts.cells: plots 'b' and 'a' overlap"),
    ('a layout whose bad cell comes first in JavaScript order', lambda: layout({'b': [0, 0, 1, 1], '10': [1, 0, 1, 1], '2': [2, 0, 0, 1]}), "layout opts.cells: plot '2' needs [top, left, height, width]"),
    ('a layout bad cell and an overlap: the cell first', lambda: layout({'a': [0, 0, 1, 1], 'b': [0, 0, 1, 1], 'c': [0]}), "layout opts.cells: plot 'c' needs"),
    ('a layout with a plot named ""', lambda: layout({'': [0, 0, 1, 1]}), 'layout opts.cells: plot name: expected a non-empty string of at most 1024 characters, got ""'),
    ('a layout of no plots', lambda: layout({}), 'layout opts.cells: the layout has no plots'),
    ('a layout of 10001 plots', lambda: layout({f'p{i}': [i, 0, 1, 1] for i in range(10_001)}), 'layout opts.cells: expected at most 10000 plots, got 10001'),
    ('a layout cell message cut between the halves of a pair', lambda: layout({'p' + EMOJI * 500: [0, 0, 0, 1]}), "layout opts.cells: plot 'p"),
    ('cells that are a list', lambda: layout([[0, 0, 1, 1]]), 'layout opts.cells: expected an object of plot -> [top, left, height, width], got [[...]]'),
    ('a clear of every plot', lambda: raw_frame(header('clear', plot=DROP)), None),
    ('a clear of two plots, with a plot that is no string (ignored) and an unknown option', lambda: raw_frame(header('clear', plot=7, opts={'plots': ['b', 'a'], 'then': 1})), None),
    ('a clear with arrays (ignored)', lambda: raw_frame(header('clear', arrays=FLOAT64_PAIR), TWO_POINTS), None),
    ('a clear of no plots', lambda: raw_frame(header('clear', opts={'plots': []})), 'clear opts.plots: expected 1 to 10000 plot names, got []'),
    ('a clear of plots null', lambda: raw_frame(header('clear', opts={'plots': None})), 'clear opts.plots: expected 1 to 10000 plot names, got null'),
    ('a clear of a plot named as a string', lambda: raw_frame(header('clear', opts={'plots': 'p'})), 'clear opts.plots: expected 1 to 10000 plot names, got "p"'),
    ('a clear naming a plot twice', lambda: raw_frame(header('clear', opts={'plots': ['a', 'b', 'a']})), 'clear opts.plots[2]: "a" is named twice'),
    ('a clear naming a plot 7', lambda: raw_frame(header('clear', opts={'plots': ['a', 7]})), 'clear opts.plots[1]: expected a non-empty string of at most 1024 characters, got 7'),
    ('a clear of 10001 plots', lambda: raw_frame(header('clear', opts={'plots': [f'p{i}' for i in range(10_001)]})), 'clear opts.plots: expected 1 to 10000 plot names, got ["p0"'),
    ('a clear without opts', lambda: raw_frame(header('clear', opts=DROP)), 'clear opts: expected an options object, got undefined'),
    ('a scatter of every look option', lambda: bad(opts={'append': True, 'title': 't', 'xLabel': 'x', 'yLabel': 'y', 'xScale': 'log', 'yScale': 'linear', 'names': ['n'], 'colorLabel': 'c'}), None),
    ('a scatter yScale "ln"', lambda: bad(opts={'append': True, 'yScale': 'ln'}), "scatter opts.yScale: expected 'linear' or 'log', got \"ln\""),
    ('a scatter title null', lambda: bad(opts={'append': True, 'title': None}), 'scatter opts.title: expected a non-empty string of at most 1024 characters, got null'),
    ('a lines record of 2 names for 1 line', lambda: lines_of(1, names=['a', 'b']), "lines array 'y': 2 names for 1 line"),
    ('a lines record of names {}', lambda: lines_of(1, names={}), 'lines opts.names: expected 1 to 10000 line names, got Object'),
    ('a lines record of a name ""', lambda: lines_of(2, names=['a', '']), 'lines opts.names[1]: expected a non-empty string of at most 1024 characters, got ""'),
    ('a multilines record of 1 name for 2 lines', lambda: multilines_of([2, 1], names=['a']), "multilines array 'x': 1 names for 2 lines"),
    ('a scatter plot named __proto__', lambda: bad(plot='__proto__'), None),
    ('cluster columns named __proto__', lambda: cluster(['__proto__', 'b'], (1, 2)), None),
    ('layout cells named __proto__', lambda: layout({'__proto__': [0, 0, 1, 1], 'b': [0, 1, 1, 1]}), None),
    ('an array named __proto__', lambda: raw_frame(header('lines', arrays=arrays(('y', 'float64', [1]), ('__proto__', 'uint8', [2]))), bytes(8) + b'\x01\x02'), None),
]


def good(seq: int) -> bytes:
    return lines_frame(seq, [seq], run='run', plot='good')


def between_good_records(piece: bytes) -> bytes:
    return good(0) + piece + good(1)


def chunk_for(data: bytes) -> int:
    """Small pushes, as a live writer appends, but at most a few hundred per log."""
    return max(7, len(data) // 300)


@pytest.fixture(scope='module')
def typescript_reads() -> dict[str, tuple]:
    logs = {name: between_good_records(make()) for name, make, _ in CLASSES}
    answers = typescript_events([(data, chunk) for data in logs.values() for chunk in (None, chunk_for(data))])
    return {name: (logs[name], answers[2 * i], answers[2 * i + 1]) for i, name in enumerate(logs)}


@pytest.mark.parametrize(('name', 'reason'), [(name, reason) for name, _, reason in CLASSES], ids=[name for name, _, _ in CLASSES])
def test_a_hostile_record_reads_as_the_typescript_reader_reads_it(name, reason, typescript_reads):
    data, whole, chunked = typescript_reads[name]
    events, pending = whole
    assert events[0][:3] == ('record', 'run', 0) and events[-1][:3] == ('record', 'run', 1)
    if reason is None:
        assert [e[0] for e in events] == ['record'] * 3
    else:
        [damage] = events[1:-1]
        assert reason in damage[3] and len(damage[3]) <= 300
    assert python_events(data) == whole
    # Pushed in pieces, each drained: the same events, damaged runs reported in the same pieces.
    assert python_events(data, chunk_for(data)) == chunked
