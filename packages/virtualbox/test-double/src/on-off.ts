import { ArgProblem } from './parse-args.js';

/** Takes an `on`/`off` argument (also true/false, yes/no, 1/0) and the option name; returns it as a boolean. */
export function parseOnOff(value: string | undefined, option: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  throw new ArgProblem(`Invalid ${option} argument '${value}'`);
}
