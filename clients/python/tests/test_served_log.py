"""A log the Python logger wrote, served by the built `streamvis-server`: the page's API shows exactly what was logged."""

from __future__ import annotations

import numpy as np

from streamvis import ColorSpec, DataLogger, GridSpec

LAYOUT = {
    'plain': [0, 0, 1, 1], 'grid': [0, 1, 1, 1], 'valued': [1, 0, 1, 1], 'sliced': [1, 1, 1, 1], 'rolling': [2, 0, 1, 1],
    'replaced': [2, 1, 1, 1], 'loss': [3, 0, 1, 2], 'paths': [4, 0, 1, 1], 'swapped': [4, 1, 1, 1], 'flat': [5, 0, 1, 1],
    'f32': [5, 1, 1, 1], 'flow': [6, 0, 2, 2], 'tinted': [8, 0, 1, 1], 'modes': [8, 1, 1, 1],
}


def log_every_kind(path: str) -> int:
    with DataLogger('kinds') as logger:
        logger.init_write_log(path)
        logger.set_layout(LAYOUT)
        logger.scatter('plain', [[1, 2], [3, 4], [5, 6]], 1, False)
        logger.scatter('plain', [[7, 8]], 1, True)
        # Three slices of two points; x extent 1, y extent 2, padding 1.5: columns step 1.5, rows step 3.
        cell = [[0, 0], [1, 2]]
        logger.scatter('grid', [cell, cell, cell], 2, False, grid=GridSpec(0, 2, 1.5))
        logger.scatter('valued', [[0, 0, 0.25], [1, 1, 0.75]], 1, False, color=ColorSpec('Viridis256'))
        logger.scatter('sliced', [[[0, 1]], [[2, 3]], [[4, 5]]], 2, False, color=ColorSpec('Turbo256', 0))
        for i in range(5):
            logger.scatter('rolling', [[i, -i], [i + 0.5, -i - 0.5]], 1, True, rollover=3)
        logger.scatter('replaced', [[1, 1]], 1, False)
        logger.scatter('replaced', [[2, 2], [3, 3]], 1, False)
        for step in range(8):
            logger.tandem_lines('loss', step, [step, 10 * step, -step], palette='Category10_10', rollover=5)

        # Two lines of three points each: data[line][point] = [x, y].
        def path_of(line: int, start: int) -> list[list[int]]:
            return [[start + p, 10 * line + start + p] for p in range(3)]

        logger.multi_lines('paths', [path_of(0, 0), path_of(1, 0)], [0], 2, True)
        logger.multi_lines('paths', [path_of(0, 3), path_of(1, 3)], [0], 2, True)
        logger.multi_lines('swapped', [path_of(0, 0), path_of(1, 0)], [0], 2, True)
        logger.multi_lines('swapped', [path_of(2, 5)], [0], 2, False)
        logger.multi_lines('flat', np.array([0, 5, 0, 8, 1, 6, 1, 9, 2, 7, 2, 10], float).reshape(3, 2, 2), [1], 2, True, rollover=2)
        # Three lines coloured by their index (0, 0.5, 1), then two of them by the values their points carry.
        logger.multi_lines('tinted', [path_of(0, 0), path_of(1, 0), path_of(2, 0)], [0], 2, True, color=ColorSpec('Plasma256', 0), color_label='seed')
        logger.multi_lines('tinted', [[[3, 3, 0.25]], [[3, 13, 0.75]]], [0], 2, True, color=ColorSpec('Plasma256'))
        logger.scatter('f32', np.array([[0.5, 0.1], [-1.25, 0.2], [3, 0.3]], np.float32), 1, True)
        # Two tight groups: with k = 2 the centers are the groups' means.
        logger.cluster('flow', [[0, 0, 1], [0, 0.5, 1], [10, 10, 2], [10, 10.5, 2], [10, 11, 2]], ['lorem', 'ipsum', 'dolor'], k=2, seed=3)
        # Mean shift finds the two groups without a k; the lone far point is fewer than min_cluster_size: noise.
        logger.cluster('modes', [[0, 0], [0, 0.5], [0.5, 0], [10, 10], [10, 10.5], [10.5, 10], [50, 50]], ['a', 'b'],
                       algorithm='meanshift', bandwidth=2, min_cluster_size=2)
        return logger.flush().records


def test_the_server_shows_exactly_what_the_python_logger_wrote(tmp_path, serve):
    path = str(tmp_path / 'kinds.svlog')
    records = log_every_kind(path)
    server = serve('file', 'kinds', path)
    server.wait_for_history()

    health = server.wait_until(lambda h: h['records'] >= records)
    assert (health['records'], health['errors']) == (records, 0)
    run = server.get('/api/runs/kinds')
    assert run['layout'] == LAYOUT
    assert {p['name']: (p['kind'], p['cell']) for p in run['plots']} == {
        name: (kind, LAYOUT[name]) for name, kind in [
            ('plain', 'scatter'), ('grid', 'scatter'), ('valued', 'scatter'), ('sliced', 'scatter'), ('rolling', 'scatter'),
            ('replaced', 'scatter'), ('loss', 'lines'), ('paths', 'multilines'), ('swapped', 'multilines'), ('flat', 'multilines'),
            ('f32', 'scatter'), ('flow', 'cluster'), ('tinted', 'multilines'), ('modes', 'cluster'),
        ]
    }
    columns = lambda plot: server.columns('kinds', plot)  # noqa: E731
    assert columns('plain') == {'x': [1, 3, 5, 7], 'y': [2, 4, 6, 8]}
    assert columns('grid') == {'x': [0, 1, 1.5, 2.5, 0, 1], 'y': [0, 2, 0, 2, -3, -1]}
    valued = server.get('/api/runs/kinds/plots/valued')
    assert valued['opts']['palette'] == 'Viridis256' and valued['columns'] == {'x': [0, 1], 'y': [0, 1], 'color': [0.25, 0.75]}
    assert columns('sliced') == {'x': [0, 2, 4], 'y': [1, 3, 5], 'color': [0, 0.5, 1]}
    assert columns('rolling') == {'x': [3.5, 4, 4.5], 'y': [-3.5, -4, -4.5]}
    assert columns('replaced') == {'x': [2, 3], 'y': [2, 3]}
    loss = server.get('/api/runs/kinds/plots/loss')
    assert loss['opts']['palette'] == 'Category10_10'
    assert loss['columns'] == {'x': [3, 4, 5, 6, 7], 'y0': [3, 4, 5, 6, 7], 'y1': [30, 40, 50, 60, 70], 'y2': [-3, -4, -5, -6, -7]}
    assert columns('paths') == {'xs': [[0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]], 'ys': [[0, 1, 2, 3, 4, 5], [10, 11, 12, 13, 14, 15]]}
    assert columns('swapped') == {'xs': [[5, 6, 7]], 'ys': [[25, 26, 27]]}
    # data[point][line] = [x, y]: line 0 is (0,5) (1,6) (2,7), line 1 (0,8) (1,9) (2,10); rollover keeps 2 points.
    assert columns('flat') == {'xs': [[1, 2], [1, 2]], 'ys': [[6, 7], [9, 10]]}
    # An append's colour values replace those of its lines; line 2 keeps its own.
    tinted = server.get('/api/runs/kinds/plots/tinted')
    assert tinted['opts']['palette'] == 'Plasma256' and tinted['opts']['colorLabel'] == 'seed'
    assert tinted['columns'] == {'xs': [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2]], 'ys': [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22]], 'color': [0.25, 0.75, 1]}
    # float32 values arrive as float32: 0.1 is float32's nearest, not float64's.
    assert columns('f32') == {'x': [0.5, -1.25, 3], 'y': np.array([0.1, 0.2, 0.3], np.float32).astype(float).tolist()}
    clusters = server.get('/api/runs/kinds/plots/flow/clusters')
    assert clusters['columns'] == ['lorem', 'ipsum', 'dolor']
    assert sorted(zip(clusters['counts'], map(tuple, clusters['centers']))) == [(2, (0, 0.25, 1)), (3, (10, 10.5, 2))]
    modes = server.get('/api/runs/kinds/plots/modes/clusters')
    assert sorted(modes['counts']) == [3, 3]
    assert np.allclose(sorted(modes['centers']), [[1 / 6, 1 / 6], [10 + 1 / 6, 10 + 1 / 6]])
