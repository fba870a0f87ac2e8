import { type Logger, pino } from 'pino';

let parent: Logger = pino({ level: 'silent' });

/** Takes a module name; returns its child logger (silent until `setAgentLogger` gives the process's logger). */
export function agentLogger(module: string): Logger {
  return parent.child({ module });
}

/** Takes the process's pino logger; every agent module logs through a child of it from then on. */
export function setAgentLogger(logger: Logger): void {
  parent = logger;
}
