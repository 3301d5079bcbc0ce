"""A Python frame is the TypeScript codec's frame, byte for byte."""

from __future__ import annotations

import math
import struct

import numpy as np

from streamvis.encoding import encode_frame, javascript_number, record_header
from streamvis.reading import Decoded, read_frame
from support.repo import typescript

RECORDS = [
    # Plot names a JavaScript object orders before the others ('2' and '10' are array indices).
    ({'run': 'r', 'logger': 'L', 'seq': 0, 'time': 1_700_000_000_123, 'kind': 'layout', 'opts': {'cells': {'b': [0, 0, 1, 1], '10': [1, 0, 1, 2], '2': [0, 1, 1, 1]}}}, []),
    ({'run': 'rün ✓', 'logger': 'L', 'seq': 1, 'time': 0, 'kind': 'lines', 'plot': 'l"o\\ss\n', 'opts': {'x': 0.1, 'rollover': 5, 'palette': 'Category10_10'}},
     [('y', 'float64', [3], [0.1, math.pi, -1e300])]),
    ({'run': 'r', 'logger': 'L', 'seq': 2, 'time': 1.5, 'kind': 'lines', 'plot': 'p', 'opts': {'x': 1e-7}}, [('y', 'float32', [2], [1.5, -2.0])]),
    ({'run': 'r', 'logger': 'L', 'seq': 3, 'time': 0, 'kind': 'scatter', 'plot': 's', 'opts': {'append': False, 'palette': 'Viridis256'}},
     [('x', 'float32', [3], [0.5, -1.25, 3.0]), ('y', 'float32', [3], [float(np.float32(0.1)), 0.0, 7.0]), ('color', 'float32', [3], [0.0, 0.5, 1.0])]),
    ({'run': 'r', 'logger': 'L', 'seq': 4, 'time': 0, 'kind': 'multilines', 'plot': 'm', 'opts': {'append': True}},
     [('x', 'float64', [2, 2], [0.0, 1.0, 2.0, 3.0]), ('y', 'float64', [2, 2], [5e-324, 1.7976931348623157e308, -0.0, 1e21])]),
    ({'run': 'r', 'logger': 'L', 'seq': 5, 'time': 0, 'kind': 'cluster', 'plot': 'c', 'opts': {'columns': ['a', 'b'], 'kMin': 1, 'kMax': 4, 'gate': 0.25, 'seed': 7}},
     [('points', 'float64', [2, 2], [1.0, 2.0, 3.0, 4.0]), ('ids', 'int32', [2], [-1, 2**31 - 1]), ('n', 'uint8', [], [255])]),
]


def test_frames_are_the_typescript_codecs_byte_for_byte():
    answer = typescript('encode', {'records': [
        {'fields': fields, 'arrays': [{'name': n, 'dtype': d, 'shape': s, 'values': v} for n, d, s, v in arrays]} for fields, arrays in RECORDS
    ]})
    for (fields, arrays), expected in zip(RECORDS, answer['frames'], strict=True):
        header = record_header(fields, [(n, d, s) for n, d, s, _ in arrays])
        assert encode_frame(header, [v for *_, v in arrays]).hex() == expected


def test_numbers_in_headers_are_written_as_javascript_writes_them():
    generator = np.random.default_rng(1)
    values = [0.1, 1e-7, 1e-6, 123e-20, 1e20, 1e21, 2.5e-6, -1.5e300, 5e-324, 2**53 + 2.0, 100.0, -0.0]
    values += list(generator.standard_normal(200) * 10.0 ** generator.integers(-30, 30, 200))
    values += list(np.float32(generator.standard_normal(50)).astype(float))
    answer = typescript('numbers', {'values': values})
    assert [javascript_number(float(v)) for v in values] == answer['texts']


def test_the_example_of_the_format_document_reads_and_writes():
    # docs/log-format.md's example, as printed there: unpadded, as svlog.py writes it.
    text = b'{"v":1,"run":"r","logger":"L","seq":1,"time":0,"kind":"lines","plot":"p","opts":{"x":2},"arrays":[{"name":"y","dtype":"float32","shape":[2]}]}'
    example = bytes.fromhex('53565231 8e000000 08000000 dee434b0 7f6dfbff') + text + bytes.fromhex('0000c03f 000000c0')
    assert len(example) == 170
    result = read_frame(example, 0)
    assert isinstance(result, Decoded) and result.end == 170
    assert result.record.opts == {'x': 2}
    assert result.record.arrays['y'].tolist() == [1.5, -2.0]

    # The logger pads the header with spaces so that the body starts 8-byte aligned.
    frame = encode_frame(result.record.header, [result.record.arrays['y']])
    header_bytes, body_bytes = struct.unpack_from('<II', frame, 4)
    assert (header_bytes, body_bytes) == (148, 8)
    assert frame[20:20 + header_bytes] == text + b' ' * 6
    assert frame[20 + header_bytes:] == example[-8:]
