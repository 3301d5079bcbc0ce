"""streamvis: log a Python program's data to a live plot server (`streamvis-server`).

    from streamvis import DataLogger, ColorSpec, GridSpec

    logger = DataLogger('my-run')
    logger.init_write_log('runs/my-run.svlog')
    logger.tandem_lines('loss', step, [train_loss, valid_loss])
    logger.shutdown()

Records are the frames of docs/log-format.md, the same bytes the TypeScript logger writes;
`read_log` reads them back.
"""

from .checks import ArgumentError
from .color_spec import ColorSpec
from .grid_spec import GridSpec
from .logger import DataLogger, LoggerReport, SinkError
from .palettes import PALETTES
from .reading import Damage, FrameReader, read_log
from .record import Record
from .sinks.sink import SinkReport

__all__ = [
    'ArgumentError',
    'ColorSpec',
    'DataLogger',
    'Damage',
    'FrameReader',
    'GridSpec',
    'LoggerReport',
    'PALETTES',
    'Record',
    'SinkError',
    'SinkReport',
    'read_log',
]
__version__ = '0.1.0'
