import { type Logger, pino } from 'pino';

let logger: Logger = pino({ level: 'silent' }).child({ module: 'virtualbox' });

/** Returns the driver's logger (silent until `setVBoxLogger` gives it the process's logger). */
export function vboxLogger(): Logger {
  return logger;
}

/** Takes the process's pino logger; the driver logs through a child of it. */
export function setVBoxLogger(parent: Logger): void {
  logger = parent.child({ module: 'virtualbox' });
}
