/** A logger call got a bad argument. The message starts with the call and argument, e.g. `scatter(data): ...`. */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
}
