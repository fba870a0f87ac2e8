import { type Logger, pino } from 'pino';

let current: Logger | undefined;

/**
 * Takes the process logger; makes every later borg run log through its child `{ module: 'borg' }`
 * (argv at debug before each spawn, borg's warnings at warn). Returns nothing.
 */
export function setBorgLogger(logger: Logger): void {
  current = logger.child({ module: 'borg' });
}

/** Returns the package's logger: the one set with {@link setBorgLogger}, else a pino logger on stderr at info. */
export function borgLogger(): Logger {
  current ??= pino({ level: 'info' }, pino.destination(2)).child({ module: 'borg' });
  return current;
}
