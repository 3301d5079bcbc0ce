/**
 * Hard bounds of the format (docs/log-format.md, "Bounds"). Each keeps what one record can
 * make a reader do or hold in proportion to the record's bytes: a record beyond them is
 * corrupt, and the logger refuses to write one.
 */

/** Header length `H` a frame may announce. */
export const MAX_HEADER_BYTES = 1 << 20;
/** Body length `B` a frame may announce. */
export const MAX_BODY_BYTES = 1 << 30;
/** Dimensions of an array (numpy's own limit). */
export const MAX_DIMENSIONS = 32;
/**
 * Size of one dimension of an array. With a 0 elsewhere in the shape the body is empty
 * whatever the other sizes, so each size is bounded on its own.
 */
export const MAX_DIMENSION_SIZE = MAX_BODY_BYTES;
/** Lines of a `lines` record (`M`) or of a `multilines` record (`L`), and so of the plot. */
export const MAX_LINES = 10_000;
/** Plots of one run: a record for a new plot past it is refused. */
export const MAX_PLOTS_PER_RUN = 10_000;
/** UTF-16 code units of a run, logger, plot, array or cluster column name. */
export const MAX_NAME_LENGTH = 1024;
/** Characters of an error message; longer ones are cut (a value in a message is cut sooner, see `describe`). */
export const MAX_MESSAGE_LENGTH = 300;
/** Declarations one logger may have in use in a stream (version 2 headers): ids 0 .. MAX_DECLARATIONS - 1. */
export const MAX_DECLARATIONS = 1024;
