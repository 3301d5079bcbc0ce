"""DataLogger: the producer's handle. It checks each call, encodes it as one record and hands the frame to every sink."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .checks import ArgumentError, check_axis, check_integer, check_name, check_positive, check_record_name, describe
from .color_spec import ColorSpec
from .columns import multi_line_shape, write_multi_line_columns, write_scatter_columns
from .encoding import Unencodable, record_header
from .grid_spec import GridSpec
from .ndarray import check_all_finite, float_name, read_ndarray, to_ndarray
from .kinds import RECORD_KINDS
from .options import call_arguments, check_layout, given, parse_append_options, parse_clear_options, parse_cluster_options, parse_lines_options
from .record_encoder import EncodedFrames, Fill, FrameForms, RecordEncoder
from .sinks.file_sink import DEFAULT_MAX_BUFFERED_BYTES as FILE_MAX_BUFFERED_BYTES, FileSink
from .sinks.http_sink import DEFAULT_FLUSH_TIMEOUT_SECONDS as HTTP_FLUSH_TIMEOUT_SECONDS, DEFAULT_MAX_BUFFERED_BYTES as HTTP_MAX_BUFFERED_BYTES, HttpAddress, HttpSink
from .sinks.pubsub_sink import DEFAULT_FLUSH_TIMEOUT_SECONDS, DEFAULT_MAX_BUFFERED_BYTES as PUBSUB_MAX_BUFFERED_BYTES, PubsubSink
from .sinks.pubsub_transport import open_transport
from .sinks.sink import RecordsDropped, Sink, SinkReport, check_on_full, report_safely

_log = logging.getLogger('streamvis')

# How each call names its options in error messages.
_SCATTER = call_arguments('scatter')
_TANDEM_LINES = call_arguments('tandem_lines', {'x': 'step'})
_MULTI_LINES = call_arguments('multi_lines')
_CLUSTER = call_arguments('cluster')
_CLEAR = call_arguments('clear')
#: The argument each kind's arrays come from, for the schema's messages.
_ARRAY_ARGUMENT = {'layout': 'grid_map', 'clear': 'plots', 'scatter': 'data', 'lines': 'values', 'multilines': 'data', 'cluster': 'points'}


@dataclass(frozen=True)
class LoggerReport:
    """What `flush()` and `shutdown()` return."""

    run: str
    logger: str
    #: Records made by this logger.
    records: int
    sinks: list[SinkReport]


class SinkError(Exception):
    """A sink could not deliver: the records stay buffered and are retried, unless `dropped` says it gave up on some just now."""

    def __init__(self, sink: str, cause: Exception) -> None:
        super().__init__(f'{sink}: {cause}')
        self.sink = sink
        self.cause = cause
        #: Records given up on by this failure (0: none, all are kept); the reports' `dropped` counts them too.
        self.dropped = cause.dropped if isinstance(cause, RecordsDropped) else 0


class DataLogger:
    """
    Logs a run's plots to a log file (`init_write_log`), Pub/Sub (`init_pubsub`) and/or a server's HTTP ingest (`init_http`).

    A bad call raises ArgumentError (a ValueError) naming the argument, and logs nothing.
    Sinks write from threads of their own: a call costs the encoding of its record, and a
    failing sink never raises into the caller. Its failures go to `on_error` (called from the
    sink's thread with a SinkError) or, without one, are logged once as a warning on the
    'streamvis' logger; `flush()` and `shutdown()` report what each sink delivered.

    `on_full` says what a call does while the file sink has `max_buffered_bytes` waiting
    for the disk: 'block' (the default) waits for room, so nothing is lost and the producer
    slows to the disk's pace; 'drop-oldest' drops the oldest waiting records and reports it.
    """

    def __init__(self, run: str, *, on_full: str = 'block', on_error: Callable[[SinkError], None] | None = None) -> None:
        self.run = check_record_name(run, 'DataLogger(run)')
        self._on_full = check_on_full(on_full, 'DataLogger(on_full)')
        if on_error is not None and not callable(on_error):
            raise ArgumentError(f'DataLogger(on_error): expected a function, got {describe(on_error)}')
        self._on_error = on_error
        #: Random id of this instance; with `seq`, identifies each record.
        self.id = secrets.token_hex(8)
        self._seq = 0
        self._sinks: list[Sink] = []
        #: The last layout: its plots, frame and header, so a sink added later receives it too.
        self._layout: tuple[frozenset[str], bytearray, dict[str, Any]] | None = None
        self._line_counts: dict[str, int] = {}
        #: Encodes in format version 2: each plot declared once per stream, referred to after.
        self._encoder = RecordEncoder(self.id)
        #: The frames the sinks want; without sinks the cheapest, still made for the checks it runs.
        self._forms = FrameForms(streamed=True, self_contained=False)
        self._closing: LoggerReport | None = None
        self._warned = False
        # Calls from several threads get consecutive numbers in the order their frames reach the sinks.
        self._lock = threading.RLock()

    def __enter__(self) -> DataLogger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()

    def init_write_log(self, path: str, *, max_buffered_bytes: int = FILE_MAX_BUFFERED_BYTES) -> None:
        """Appends every record from now on (and the current layout) to the log file at `path`, creating it and its directory."""
        self._check_open('init_write_log')
        check_name(path, 'init_write_log(path)')
        check_integer(max_buffered_bytes, 'init_write_log(max_buffered_bytes)', 1)
        self._attach(FileSink(path, self._sink_failed, max_buffered_bytes, self._on_full))

    def init_pubsub(
        self,
        project: str,
        topic: str,
        *,
        max_buffered_bytes: int = PUBSUB_MAX_BUFFERED_BYTES,
        flush_timeout: float = DEFAULT_FLUSH_TIMEOUT_SECONDS,
    ) -> None:
        """Publishes every record from now on (and the current layout) to Pub/Sub `topic` in `project` (the emulator at PUBSUB_EMULATOR_HOST when set)."""
        self._check_open('init_pubsub')
        check_name(project, 'init_pubsub(project)')
        check_name(topic, 'init_pubsub(topic)')
        check_integer(max_buffered_bytes, 'init_pubsub(max_buffered_bytes)', 1)
        check_positive(flush_timeout, 'init_pubsub(flush_timeout)')
        transport = open_transport(project, topic)
        self._attach(PubsubSink(transport, self.run, self._sink_failed, max_buffered_bytes, flush_timeout))

    def init_http(
        self,
        url: str,
        *,
        token: str | None = None,
        max_buffered_bytes: int = HTTP_MAX_BUFFERED_BYTES,
        flush_timeout: float = HTTP_FLUSH_TIMEOUT_SECONDS,
    ) -> None:
        """
        Sends every record from now on (and the current layout) to a streamvis server started with `--ingest`
        (POST /api/runs/RUN/records), buffered and retried like the other sinks. `url` is the server's address as it
        prints it (a `?token=` in it is used); `token` gives one otherwise (sent as `Authorization: Bearer TOKEN`).
        """
        self._check_open('init_http')
        check_name(url, 'init_http(url)')
        if token is not None:
            check_name(token, 'init_http(token)')
        check_integer(max_buffered_bytes, 'init_http(max_buffered_bytes)', 1)
        check_positive(flush_timeout, 'init_http(flush_timeout)')
        address = HttpAddress(url, self.run, token, 'init_http(url)')
        self._attach(HttpSink(address, self._sink_failed, max_buffered_bytes, flush_timeout))

    def set_layout(self, grid_map: Mapping[str, Sequence[int]]) -> None:
        """Places plots on the page: plot -> [top, left, height, width] grid cells. Afterwards only these plots may be used."""
        self._check_open('set_layout')
        cells = check_layout(grid_map, 'set_layout(grid_map)')
        with self._lock:
            frames, header = self._encode('set_layout', {'kind': 'layout', 'opts': {'cells': cells}}, [], _copy_of())
            self._seq += 1
            # A layout record always declares, so either of its frames reads alone.
            self._layout = (frozenset(cells), frames.streamed if frames.self_contained is None else frames.self_contained, header)
            self._broadcast(frames, header)

    def clear(self, plots: Sequence[str] | None = None) -> None:
        """
        Empties the plots named (every plot of the run when none are named) on every server: a
        producer that restarts calls it first, so its new data is not drawn after the old. The
        layout stays.
        """
        self._check_open('clear')
        opts = parse_clear_options(given(plots=plots), _CLEAR)
        with self._lock:
            frames, header = self._encode('clear', {'kind': 'clear', 'opts': opts}, [], _copy_of())
            self._seq += 1
            self._broadcast(frames, header)

    def scatter(
        self,
        plot_name: str,
        data: Any,
        spatial_dim: int,
        append: bool,
        rollover: int | None = None,
        grid: GridSpec | None = None,
        color: ColorSpec | None = None,
        *,
        title: str | None = None,
        x_label: str | None = None,
        y_label: str | None = None,
        x_scale: str | None = None,
        y_scale: str | None = None,
        color_label: str | None = None,
    ) -> None:
        """
        Points of an n-d array: axis `spatial_dim` holds x, y (and a colour value when `color` has no dim); the other axes enumerate points.
        The look options (title, axis labels, 'linear' or 'log' scales, the colour bar's label) set the plot's until a record gives others.
        """
        self._check_open('scatter')
        self._check_plot(plot_name, 'scatter(plot_name)')
        array = read_ndarray(data, 'scatter(data)')
        s = check_axis(spatial_dim, array.ndim, 'scatter(spatial_dim)')
        look = _look(title, x_label, y_label, x_scale, y_scale, colorLabel=color_label)
        opts = parse_append_options({'append': append, **given(rollover=rollover), **look}, _SCATTER)
        if grid is not None:
            _check_slice_axis(grid, GridSpec, array, s, 'grid')
        if color is not None:
            _check_slice_axis(color, ColorSpec, array, s, 'color')
        coords = 3 if color is not None and color.dim is None else 2
        if array.shape[s] != coords:
            want = '3 (x, y, colour value: ColorSpec without dim)' if coords == 3 else '2 (x, y)'
            raise ArgumentError(f"scatter(data): axis spatial_dim={s} has size {array.shape[s]}, expected {want}; data shape is [{', '.join(map(str, array.shape))}]")
        dtype = float_name(array)
        points = array.size // coords
        names = ['x', 'y', 'color'] if color is not None else ['x', 'y']
        if color is not None:
            opts['palette'] = color.palette

        def fill(columns: list[np.ndarray]) -> None:
            # Checked while the record is encoded, as the TypeScript logger checks it (its declaration is made by then).
            check_all_finite(array, 'scatter(data)')
            write_scatter_columns(array, s, *columns[:2], color=columns[2] if color is not None else None, grid=grid, color_spec=color)

        self._send('scatter', {'kind': 'scatter', 'plot': plot_name, 'opts': opts}, [(n, dtype, [points]) for n in names], fill)

    def tandem_lines(
        self,
        plot_name: str,
        step: float,
        values: Any,
        palette: str | None = None,
        rollover: int | None = None,
        *,
        title: str | None = None,
        x_label: str | None = None,
        y_label: str | None = None,
        x_scale: str | None = None,
        y_scale: str | None = None,
        names: Sequence[str] | None = None,
    ) -> None:
        """
        Adds one point (step, values[i]) to each of the plot's lines; the number of lines is fixed by the first call.
        `names` names each line (as many as values); the other look options are scatter's.
        """
        self._check_open('tandem_lines')
        self._check_plot(plot_name, 'tandem_lines(plot_name)')
        look = _look(title, x_label, y_label, x_scale, y_scale, names=names)
        opts = parse_lines_options({'x': step, **given(palette=palette, rollover=rollover), **look}, _TANDEM_LINES)
        array = to_ndarray(values, 'tandem_lines(values)')
        lines = array.shape[0]
        with self._lock:
            known = self._line_counts.get(plot_name)

            # Checked once the record is known to be a valid lines record (y of shape [M]).
            def same_lines() -> None:
                if known is not None and known != lines:
                    raise ArgumentError(f"tandem_lines(values): plot '{plot_name}' has {known} lines, got {lines} values")

            fields = {'kind': 'lines', 'plot': plot_name, 'opts': opts}
            self._send('tandem_lines', fields, [('y', float_name(array), array.shape)], _copy_of(array), same_lines)
            self._line_counts[plot_name] = lines

    def multi_lines(
        self,
        plot_name: str,
        data: Any,
        line_dims: Sequence[int],
        spatial_dim: int,
        append: bool,
        rollover: int | None = None,
        palette: str | None = None,
        grid: GridSpec | None = None,
        color: ColorSpec | None = None,
        *,
        title: str | None = None,
        x_label: str | None = None,
        y_label: str | None = None,
        x_scale: str | None = None,
        y_scale: str | None = None,
        names: Sequence[str] | None = None,
        color_label: str | None = None,
    ) -> None:
        """
        Lines of an n-d array: one per index combination along `line_dims`; axis `spatial_dim` holds x, y; the other axes enumerate each line's points.
        `grid` lays the slices along `grid.dim` out side by side, as scatter's does. `color` colours each line from its palette by one
        value per line (with a colour bar titled `color_label`): its index along `color.dim`, one of `line_dims`; or, without a dim,
        the third entry of the spatial axis (x, y, colour value), the same at every point of a line. `names` names each line; the
        other look options are scatter's.
        """
        self._check_open('multi_lines')
        self._check_plot(plot_name, 'multi_lines(plot_name)')
        array = to_ndarray(data, 'multi_lines(data)')
        s = check_axis(spatial_dim, array.ndim, 'multi_lines(spatial_dim)')
        if not isinstance(line_dims, (list, tuple)):
            raise ArgumentError(f'multi_lines(line_dims): expected a list of axes, got {describe(line_dims)}')
        axes = [check_axis(d, array.ndim, 'multi_lines(line_dims)') for d in line_dims]
        for i, axis in enumerate(axes):
            if axis == s:
                raise ArgumentError(f'multi_lines(line_dims): axis {axis} is the spatial_dim')
            if axes.index(axis) != i:
                raise ArgumentError(f'multi_lines(line_dims): axis {axis} is listed twice')
        if grid is not None:
            _check_slice_axis(grid, GridSpec, array, s, 'grid', 'multi_lines')
        if color is not None:
            _check_line_color(color, array, s, axes, palette)
        coords = 3 if color is not None and color.dim is None else 2
        if array.shape[s] != coords:
            want = '3 (x, y, colour value: ColorSpec without dim)' if coords == 3 else '2 (x, y)'
            raise ArgumentError(f'multi_lines(data): axis spatial_dim={s} has size {array.shape[s]}, expected {want}')
        look = _look(title, x_label, y_label, x_scale, y_scale, names=names, colorLabel=color_label)
        palette = color.palette if color is not None else palette
        opts = parse_append_options({'append': append, **given(rollover=rollover, palette=palette), **look}, _MULTI_LINES)
        lines, points = multi_line_shape(array.shape, s, axes)
        dtype = float_name(array)
        descriptors = [('x', dtype, (lines, points)), ('y', dtype, (lines, points))]
        if color is not None:
            descriptors.append(('color', dtype, (lines,)))

        def fill(columns: list[np.ndarray]) -> None:
            write_multi_line_columns(array, s, axes, *columns[:2], grid=grid, color=columns[2] if color is not None else None, color_spec=color)

        self._send('multi_lines', {'kind': 'multilines', 'plot': plot_name, 'opts': opts}, descriptors, fill)

    def cluster(
        self,
        plot_name: str,
        points: Any,
        columns: Sequence[str],
        *,
        k: int | None = None,
        k_min: int | None = None,
        k_max: int | None = None,
        frame_size: int | None = None,
        gate: float | None = None,
        max_age: int | None = None,
        max_age_ms: int | None = None,
        seed: int | None = None,
        algorithm: str | None = None,
        space: str | None = None,
        bandwidth: float | None = None,
        min_cluster_size: int | None = None,
    ) -> None:
        """
        Sends [N, D] points to the server's online clusterer for the plot, shown as bubbles with stable cluster ids.
        `algorithm` 'kmeans' (the default: `k`, or a range `k_min`..`k_max`) or 'meanshift' (no k: the modes of the points'
        density within `bandwidth`, estimated when not given; a mode with fewer than `min_cluster_size` points is no cluster);
        `space` 'euclidean' (the default) or 'cosine' (points compared by direction).
        """
        self._check_open('cluster')
        self._check_plot(plot_name, 'cluster(plot_name)')
        options = given(
            k=k, kMin=k_min, kMax=k_max, frameSize=frame_size, gate=gate, maxAge=max_age, maxAgeMs=max_age_ms, seed=seed,
            algorithm=algorithm, space=space, bandwidth=bandwidth, minClusterSize=min_cluster_size,
        )
        opts = parse_cluster_options({'columns': columns, **options}, _CLUSTER)
        array = to_ndarray(points, 'cluster(points)')
        if array.ndim != 2 or array.shape[1] == 0:
            raise ArgumentError(f"cluster(points): expected [N, D] points, got shape [{', '.join(map(str, array.shape))}]")
        if len(opts['columns']) != array.shape[1]:
            raise ArgumentError(f"cluster(columns): {len(opts['columns'])} names for points with D = {array.shape[1]}")
        self._send('cluster', {'kind': 'cluster', 'plot': plot_name, 'opts': opts}, [('points', float_name(array), array.shape)], _copy_of(array))

    def flush(self, timeout: float | None = None) -> LoggerReport:
        """Returns once every sink has delivered (or given up on) every record so far; `timeout` bounds each sink's wait."""
        return self._report([sink.flush(timeout) for sink in list(self._sinks)])

    def shutdown(self) -> LoggerReport:
        """Flushes and closes every sink; the logger takes no more calls. Records still undeliverable are counted as dropped."""
        with self._lock:
            if self._closing is None:
                self._closing = self._report([sink.close() for sink in self._sinks])
            return self._closing

    def _attach(self, sink: Sink) -> None:
        with self._lock:
            self._sinks.append(sink)
            # One frame for every sink: a log written beside Pub/Sub holds the very bytes of the messages. Only when
            # every sink is a streamed one (a log file, blocking) do frames refer to earlier declarations.
            streamed = all(map(_is_streamed, self._sinks))
            self._forms = FrameForms(streamed=streamed, self_contained=not streamed)
            if _is_streamed(sink):
                # The new sink's reader starts here: every plot must be declared again in it.
                self._encoder.restart()
            if self._layout is not None:
                _, frame, header = self._layout
                self._deliver(sink, frame, header)

    def _send(
        self, method: str, fields: dict[str, Any], descriptors: list[tuple[str, str, Sequence[int]]], fill: Fill, check: Callable[[], None] | None = None
    ) -> None:
        """
        Encodes the call's record, checked with its kind's schema (and `check`, for what the
        logger knows beyond one record), numbers it and hands it to every sink. A call that
        fails a check raises and takes no number.
        """
        with self._lock:
            frames, header = self._encode(method, fields, descriptors, fill, check)
            self._seq += 1
            self._broadcast(frames, header)

    def _encode(
        self, method: str, fields: dict[str, Any], descriptors: list[tuple[str, str, Sequence[int]]], fill: Fill, check: Callable[[], None] | None = None
    ) -> tuple[EncodedFrames, dict[str, Any]]:
        """
        The next record's frames, of the forms the sinks want, checked by the kind's schema and
        `check` (`seq` is not advanced): `fill` writes its arrays into the frame's (one per descriptor).
        """
        header = record_header({'run': self.run, 'logger': self.id, 'seq': self._seq, 'time': time.time_ns() // 1_000_000, **fields}, descriptors)
        # The reader's own rule for the kind's arrays: the logger never writes a record a reader rejects.
        kind = header['kind']
        RECORD_KINDS[kind].arrays(header['arrays'], header['opts'], lambda _: f'{method}({_ARRAY_ARGUMENT[kind]})')
        # Before the encoder, which counts each record it encodes as written: a record it declares, then refused, would leave the next one referring to nothing.
        if check is not None:
            check()
        try:
            frames = self._encoder.encode(header, fill, self._forms)
        except Unencodable as error:
            # Besides a bad value found while filling, only the size limits and names UTF-8 cannot hold fail here.
            raise ArgumentError(f'{method}(): {error}') from None
        return frames, header

    def _broadcast(self, frames: EncodedFrames, header: dict[str, Any]) -> None:
        # Sinks only read frames, so they share one.
        frame = frames.streamed if frames.streamed is not None else frames.self_contained
        for sink in self._sinks:
            self._deliver(sink, frame, header)

    def _deliver(self, sink: Sink, frame: bytearray, header: dict[str, Any]) -> None:
        try:
            sink.write(frame, header)
        except Exception as error:  # noqa: BLE001 - a sink's bug must not reach the training loop
            report_safely(self._sink_failed, error, sink.name)

    def _sink_failed(self, error: Exception, sink: str) -> None:
        reported = SinkError(sink, error)
        if self._on_error is not None:
            self._on_error(reported)
        elif not self._warned:
            self._warned = True
            _log.warning("streamvis logger '%s': %s (records are kept and retried; pass on_error to DataLogger for every failure)", self.run, reported)

    def _check_open(self, method: str) -> None:
        if self._closing is not None:
            raise RuntimeError(f'DataLogger.{method}(): the logger is shut down')

    def _check_plot(self, plot: Any, where: str) -> None:
        check_record_name(plot, where)
        layout = self._layout
        if layout is not None and plot not in layout[0]:
            plots = ', '.join(p for p in layout[2]['opts']['cells'])
            raise ArgumentError(f"{where}: plot '{plot}' is not in the layout ({plots})")

    def _report(self, sinks: list[SinkReport]) -> LoggerReport:
        return LoggerReport(run=self.run, logger=self.id, records=self._seq, sinks=sinks)


def _is_streamed(sink: Sink) -> bool:
    """A sink whose frames one reader reads in order from its first (see Sink); any other gets frames whole on their own."""
    return getattr(sink, 'streamed', False) is True


def _copy_of(*arrays: np.ndarray) -> Fill:
    """Fills the frame's arrays with copies of these, in order."""

    def fill(columns: list[np.ndarray]) -> None:
        for column, array in zip(columns, arrays, strict=True):
            column[...] = array.reshape(-1)

    return fill


def _look(title: Any, x_label: Any, y_label: Any, x_scale: Any, y_scale: Any, **more: Any) -> dict[str, Any]:
    """The look options a call was given, by their names in a record."""
    return given(title=title, xLabel=x_label, yLabel=y_label, xScale=x_scale, yScale=y_scale, **more)


def _check_line_color(color: Any, array: np.ndarray, spatial_dim: int, line_dims: Sequence[int], palette: str | None) -> None:
    """A multi_lines ColorSpec: a line is drawn in one colour, so a `dim` must enumerate lines; its palette is the lines' palette."""
    _check_slice_axis(color, ColorSpec, array, spatial_dim, 'color', 'multi_lines')
    if color.dim is not None and color.dim not in line_dims:
        raise ArgumentError(
            f"multi_lines(color.dim): axis {color.dim} enumerates the points of each line; a line is drawn in one colour, "
            f"so give one of line_dims ({', '.join(map(str, line_dims))})"
        )
    if palette is not None:
        raise ArgumentError('multi_lines(palette): give the palette in the ColorSpec (color) or in palette, not both')


def _check_slice_axis(spec: Any, kind: type, array: np.ndarray, spatial_dim: int, option: str, method: str = 'scatter') -> None:
    """A GridSpec/ColorSpec whose `dim`, when given, is an axis of the data other than the spatial one."""
    where = f'{method}({option})'
    if not isinstance(spec, kind):
        raise ArgumentError(f'{where}: expected a {kind.__name__}, got {describe(spec)}')
    if spec.dim is None:
        return
    check_axis(spec.dim, array.ndim, f'{method}({option}.dim)')
    if spec.dim == spatial_dim:
        raise ArgumentError(f'{where}: dim {spec.dim} is the spatial_dim; it must be another axis')
