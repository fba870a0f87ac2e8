import type { CommandContext } from './command-context.js';
import { DoubleState } from './double-state.js';
import { withStateLock } from './state-lock.js';

/** Takes the context and a function; loads the double's state under the state lock and runs the function on it. */
export function withState<T>(ctx: CommandContext, fn: (state: DoubleState) => Promise<T>): Promise<T> {
  return withStateLock(ctx.paths.lock, async () => fn(await DoubleState.load(ctx)));
}
