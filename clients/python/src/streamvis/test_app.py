"""The original streamvis test app: logs the four-plot demo to a log file or Pub/Sub.

    python -m streamvis.test_app file    RUN_NAME LOG_FILE               [--steps N] [--interval MS]
    python -m streamvis.test_app publish RUN_NAME PROJECT TOPIC [--log_file PATH] [--steps N] [--interval MS]

The same commands, arguments and output as the TypeScript `streamvis-test-app`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .demo import log_demo_step, start_demo
from .logger import DataLogger

PROGRAM = 'streamvis-test-app'


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"needs an integer >= {minimum}, got '{text}'")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='python -m streamvis.test_app',
        description='Logs the four-plot demo (tandem sines, a grid of layers, layers coloured, a coloured spiral) '
        'every --interval milliseconds (default 100), for --steps steps or until SIGINT/SIGTERM.',
    )
    modes = parser.add_subparsers(dest='mode', required=True, metavar='MODE')
    file_mode = modes.add_parser('file', help='append records to LOG_FILE')
    file_mode.add_argument('RUN_NAME')
    file_mode.add_argument('LOG_FILE')
    publish = modes.add_parser('publish', help='publish records to Pub/Sub TOPIC in PROJECT (the emulator at PUBSUB_EMULATOR_HOST when set); --log_file also appends them to a log')
    publish.add_argument('RUN_NAME')
    publish.add_argument('PROJECT')
    publish.add_argument('TOPIC')
    publish.add_argument('--log_file', metavar='PATH')
    for mode in (file_mode, publish):
        mode.add_argument('--steps', type=_count(1), default=None, metavar='N')
        mode.add_argument('--interval', type=_count(0), default=100, metavar='MS')
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    logger = DataLogger(args.RUN_NAME, on_error=lambda error: print(f'{PROGRAM}: {error}', file=sys.stderr))
    if args.mode == 'file':
        logger.init_write_log(args.LOG_FILE)
    else:
        logger.init_pubsub(args.PROJECT, args.TOPIC)
        if args.log_file:
            logger.init_write_log(args.log_file)
    start_demo(logger)
    print(f"{PROGRAM}: logging run '{args.RUN_NAME}' (logger {logger.id})", file=sys.stderr)

    step = 0
    while (args.steps is None or step < args.steps) and not stop.is_set():
        log_demo_step(logger, step)
        step += 1
        if args.steps is None or step < args.steps:
            stop.wait(args.interval / 1000)

    report = logger.shutdown()
    for sink in report.sinks:
        failed = f', {sink.dropped} dropped ({sink.last_error or "unknown error"})' if sink.dropped > 0 else ''
        print(f'{PROGRAM}: {sink.sink}: {sink.delivered} records delivered{failed}', file=sys.stderr)
    return 0 if all(sink.dropped == 0 for sink in report.sinks) else 1


if __name__ == '__main__':
    sys.exit(main())
