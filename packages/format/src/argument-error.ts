import { MAX_MESSAGE_LENGTH } from './limits.js';

/**
 * A logger call got a bad argument, or a record a bad field. The message starts with the call
 * and argument (`scatter(data): ...`) or the field (`header.seq: ...`), then says the rule and
 * the value; it is cut to MAX_MESSAGE_LENGTH characters.
 */
export class ArgumentError extends Error {
  override name = 'ArgumentError';

  constructor(message: string) {
    super(message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 3)}...` : message);
  }
}
