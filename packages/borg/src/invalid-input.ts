import { BorgError } from './borg-error.js';

/** Takes what is wrong with a call; returns the BorgError (code INVALID_INPUT) to throw before borg runs. */
export function invalidInput(message: string): BorgError {
  return new BorgError('INVALID_INPUT', message);
}
