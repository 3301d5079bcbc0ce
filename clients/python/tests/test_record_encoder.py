"""The Python RecordEncoder writes version 2 frames byte for byte as the TypeScript one does, and both readers read them back."""

from __future__ import annotations

import numpy as np

from streamvis import DataLogger, FrameReader, Record, read_log
from streamvis.encoding import DTYPES, PREFIX_BYTES, encode_frame, record_header
from streamvis.reading import Decoded, read_frame
from streamvis.record_encoder import REDECLARE_EVERY, FrameForms, RecordEncoder
from support.frames import python_events, split_frames, typescript_events
from support.repo import typescript

LOGGER = '0123456789abcdef'
STREAMED = FrameForms(streamed=True, self_contained=False)
BOTH = FrameForms(streamed=True, self_contained=True)
ALONE = FrameForms(streamed=False, self_contained=True)
FORMS = {STREAMED: {'streamed': True, 'selfContained': False}, BOTH: {'streamed': True, 'selfContained': True}, ALONE: {'streamed': False, 'selfContained': True}}


def lines(seq: int, x: float, ys: list[float], dtype: str = 'float64', plot: str = 'train/loss', **opts: object) -> tuple[dict, list]:
    return {'run': 'run', 'logger': LOGGER, 'seq': seq, 'time': 1_700_000_000_000 + seq, 'kind': 'lines', 'plot': plot, 'opts': {'x': x, **opts}}, [('y', dtype, [len(ys)], ys)]


EVERY_KIND = [
    ({'run': 'run', 'logger': LOGGER, 'seq': 0, 'time': 5, 'kind': 'layout', 'opts': {'cells': {'a': [0, 0, 1, 2], 'b': [1, 0, 1, 1], '10': [2, 0, 1, 1]}}}, []),
    ({'run': 'run', 'logger': LOGGER, 'seq': 1, 'time': 6, 'kind': 'clear', 'opts': {'plots': ['a']}}, []),
    ({'run': 'run', 'logger': LOGGER, 'seq': 2, 'time': 7.5, 'kind': 'scatter', 'plot': 'a', 'opts': {'append': False, 'palette': 'Viridis256', 'title': 'émbed ✓ \U0001F600'}},
     [(name, 'float32', [3], [i, i + 0.5, -i]) for i, name in enumerate(['x', 'y', 'color'])]),
    lines(3, 10, [1, 2, 3], names=['a', 'b', 'c'], yScale='log'),
    ({'run': 'run', 'logger': LOGGER, 'seq': 4, 'time': -8.25, 'kind': 'multilines', 'plot': 'm', 'opts': {'append': True, 'rollover': 100}},
     [(name, 'float64', [2, 3], [1, 2, 3, 4, 5, 6]) for name in ['x', 'y']]),
    ({'run': 'run', 'logger': LOGGER, 'seq': 2**40, 'time': 9, 'kind': 'cluster', 'plot': 'c', 'opts': {'columns': ['u', 'v'], 'k': 3, 'gate': 0.5}},
     [('points', 'float64', [2, 2], [0, 1, 2, 3])]),
]


def fill_with(arrays: list) -> object:
    def fill(columns: list[np.ndarray]) -> None:
        for column, (_, dtype, _, values) in zip(columns, arrays, strict=True):
            column[...] = np.asarray(values, DTYPES[dtype])

    return fill


def encode(encoder: RecordEncoder, fields: dict, arrays: list, forms: FrameForms = STREAMED):
    return encoder.encode(record_header(fields, [(n, d, s) for n, d, s, _ in arrays]), fill_with(arrays), forms)


def records(data: bytes) -> list[Record]:
    """The records of a stream that holds nothing else."""
    reader = FrameReader()
    reader.push(data)
    events = reader.drain()
    assert reader.pending_bytes == 0 and all(isinstance(e, Record) for e in events), events
    return events


def content(record: Record) -> tuple:
    """What a record says, whatever its format version."""
    header = {key: value for key, value in record.header.items() if key != 'v'}
    return header, {name: (array.dtype, array.shape, array.tolist()) for name, array in record.arrays.items()}


def test_every_kind_reads_back_declared_and_referred_to_as_the_same_record_in_version_1_reads():
    # Every kind twice: the second time a plot's record refers to its declaration (layout and clear always declare).
    inputs = EVERY_KIND + [({**fields, 'seq': fields['seq'] + 100, 'time': fields['time'] * 3}, arrays) for fields, arrays in EVERY_KIND]
    encoder = RecordEncoder(LOGGER)
    v2 = [encode(encoder, fields, arrays).streamed for fields, arrays in inputs]
    assert [frame[PREFIX_BYTES + 1] for frame in v2] == [0] * len(EVERY_KIND) + [0, 0, 1, 1, 1, 1]
    v1 = b''.join(encode_frame(record_header(fields, [(n, d, s) for n, d, s, _ in arrays]), [v for *_, v in arrays]) for fields, arrays in inputs)
    read2, read1 = records(b''.join(v2)), records(v1)
    assert [r.header['v'] for r in read2] == [2] * len(inputs)
    assert [content(r) for r in read2] == [content(r) for r in read1]
    # The TypeScript reader reads the same records from the Python frames.
    [(expected, pending)] = typescript_events([(b''.join(v2), None)])
    assert python_events(b''.join(v2)) == (expected, pending) and [e[0] for e in expected] == ['record'] * len(inputs)


def test_a_step_of_three_float64_scalars_takes_80_bytes_once_declared_224_in_version_1():
    encoder = RecordEncoder(LOGGER)
    first = encode(encoder, *lines(0, 0, [1, 2, 3])).streamed
    later = encode(encoder, *lines(1, 1, [1, 2, 3])).streamed
    assert len(later) == 80 and len(first) > 80
    fields, arrays = lines(1, 1, [1, 2, 3])
    assert len(encode_frame(record_header(fields, [(n, d, s) for n, d, s, _ in arrays]), [v for *_, v in arrays])) == 224
    # Padded with zeros, so the body starts 8-byte aligned.
    header_bytes = int.from_bytes(later[4:8], 'little')
    assert (PREFIX_BYTES + header_bytes) % 8 == 0 and later[PREFIX_BYTES + header_bytes - 1] == 0


def encoder_steps() -> list:
    """Records and restarts for both encoders: changes of options, dtypes and plots (new declarations), each form, and more than 1024 declarations."""
    steps: list = [(*EVERY_KIND[0], BOTH)]
    steps += [(*lines(1 + i, i, [i, -i]), STREAMED) for i in range(3)]
    steps += [(*lines(4, 4, [1, 2], title='Loss'), BOTH)]  # a new title: a new declaration
    steps += [(*lines(5, 5, [1, 2], 'float32'), STREAMED)]  # float32: another
    steps += [(*lines(6, 6.5, [1, 2]), BOTH)]  # back to the first: it refers (streamed) and declares (self-contained)
    steps += [(*lines(7, -0.0, [1, 2, 3]), ALONE)]  # another shape, the same declaration
    steps += [(*fields_arrays, BOTH) for fields_arrays in EVERY_KIND[1:]]
    steps += ['restart', (*lines(20, 20, [1, 2]), STREAMED), (*lines(21, 21, [1, 2]), STREAMED)]
    # Past 1024 declarations the ids start over, each declared again before it is referred to.
    steps += [(*lines(100 + i, i, [i], plot=f'p{i}'), STREAMED) for i in range(1030)]
    steps += [(*lines(2000, 1, [1, 2]), STREAMED), (*lines(2001, 2, [1, 2]), BOTH), (*lines(2002, 3, [3], plot='p3'), STREAMED)]
    return steps


def test_the_same_records_make_the_typescript_encoders_frames_byte_for_byte():
    steps = encoder_steps()
    answer = typescript('encode2', {'logger': LOGGER, 'steps': [
        {'restart': True} if step == 'restart' else
        {'fields': step[0], 'arrays': [{'name': n, 'dtype': d, 'shape': s, 'values': v} for n, d, s, v in step[1]], 'forms': FORMS[step[2]]}
        for step in steps
    ]})
    encoder = RecordEncoder(LOGGER)
    streamed = []
    for step, expected in zip(steps, answer['frames'], strict=True):
        if step == 'restart':
            encoder.restart()
            assert expected is None
            continue
        frames = encode(encoder, *step)
        assert {'streamed': frames.streamed.hex() if frames.streamed else None, 'selfContained': frames.self_contained.hex() if frames.self_contained else None} == \
            {'streamed': expected.get('streamed'), 'selfContained': expected.get('selfContained')}, step[0]
        if frames.self_contained is not None:
            assert isinstance(read_frame(frames.self_contained, 0), Decoded)  # whole on its own
        if frames.streamed is not None:
            streamed.append(bytes(frames.streamed))
    forms = [frame[PREFIX_BYTES + 1] for frame in streamed]
    assert forms[:6] == [0, 0, 1, 1, 0, 0] and forms[6] == 1  # declared, referred to, declared anew for a title and a dtype, referred to again
    assert len(records(b''.join(streamed))) == len(streamed)


def test_a_self_contained_frame_declares_when_the_streamed_one_refers():
    encoder = RecordEncoder(LOGGER)
    first = encode(encoder, *lines(0, 0, [1]), BOTH)
    assert first.self_contained is first.streamed
    second = encode(encoder, *lines(1, 1, [2]), BOTH)
    assert len(second.self_contained) > len(second.streamed)
    alone = read_frame(second.self_contained, 0)
    assert isinstance(alone, Decoded) and content(alone.record) == content(records(bytes(first.streamed + second.streamed))[1])
    referring = read_frame(second.streamed, 0)
    assert referring.reason == f'header.declaration: logger {LOGGER} has not declared 0 earlier in this stream (its declaring record is missing or damaged)'
    assert referring.invalid


def test_the_logger_declares_a_plot_again_every_1000_records_so_damage_to_a_declaration_loses_at_most_that_many(tmp_path):
    path = str(tmp_path / 'redeclared.svlog')
    with DataLogger('redeclared') as logger:
        logger.init_write_log(path)
        for step in range(2 * REDECLARE_EVERY + 1):
            logger.tandem_lines('loss', step, [step, -step])
    data = bytearray(open(path, 'rb').read())
    frames = split_frames(bytes(data))
    assert [i for i, frame in enumerate(frames) if frame[PREFIX_BYTES + 1] == 0] == [0, REDECLARE_EVERY, 2 * REDECLARE_EVERY]
    assert len(frames[1]) == 80 - 8  # two float64 values once the plot is declared

    data[PREFIX_BYTES + 30] ^= 0xFF  # damages the first declaration
    events, pending = python_events(bytes(data))
    assert (events, pending) == typescript_events([(bytes(data), None)])[0]
    lost = [e for e in events if e[0] == 'damage']
    assert len(lost) == REDECLARE_EVERY and lost[0][3:] == ('bad payload checksum', False)
    reason = f'header.declaration: logger {logger.id} has not declared 0 earlier in this stream (its declaring record is missing or damaged)'
    assert all(e[3:] == (reason, True) for e in lost[1:])  # each lost record reported on its own
    assert [e[2] for e in events if e[0] == 'record'] == list(range(REDECLARE_EVERY, 2 * REDECLARE_EVERY + 1))
    assert len(list(read_log(path))) == 2 * REDECLARE_EVERY + 1
