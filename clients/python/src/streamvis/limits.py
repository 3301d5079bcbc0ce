"""Hard bounds of the format (docs/log-format.md, "Bounds"), as packages/format/src/limits.ts has them.

Each keeps what one record can make a reader do or hold in proportion to the record's bytes:
a record beyond them is corrupt, and the logger refuses to write one.
"""

#: Header length `H` a frame may announce.
MAX_HEADER_BYTES = 1 << 20
#: Body length `B` a frame may announce.
MAX_BODY_BYTES = 1 << 30
#: Dimensions of an array.
MAX_DIMENSIONS = 32
#: Size of one dimension of an array (bounded on its own: with a 0 elsewhere in the shape the body is empty).
MAX_DIMENSION_SIZE = MAX_BODY_BYTES
#: Lines of a `lines` record (`M`) or of a `multilines` record (`L`), and so of the plot.
MAX_LINES = 10_000
#: Plots of one run (the server's bound) and so of a layout.
MAX_PLOTS_PER_RUN = 10_000
#: UTF-16 code units of a run, logger, plot, array or cluster column name (a character outside the BMP counts 2).
MAX_NAME_LENGTH = 1024
#: UTF-16 code units of an error message; longer ones are cut.
MAX_MESSAGE_LENGTH = 300
#: Declarations one logger may have in use in a stream (version 2 headers): ids 0 .. MAX_DECLARATIONS - 1.
MAX_DECLARATIONS = 1024
