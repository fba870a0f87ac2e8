/** A command line that does not parse: main.ts turns it into the command's syntax error. */
export class ArgProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgProblem';
  }
}

/** What an option takes. */
export type OptionKind = 'flag' | 'value';

/** A parsed command line: option values by canonical name (repeatable), flags, and positional arguments. */
export interface ParsedArgs {
  values: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
  /** Arguments after a literal `--` (only with `stopAtDoubleDash`). */
  rest: string[];
}

/** Options: canonical name → kind, and alias → canonical name. */
export interface OptionSpec {
  options: Record<string, OptionKind>;
  aliases?: Record<string, string>;
  /** Everything after `--` is left unparsed in `rest`. */
  stopAtDoubleDash?: boolean;
}

/**
 * Takes arguments and the option spec; parses them like IPRT's RTGetOpt (`--opt value`, `--opt=value`,
 * options and positionals in any order). Throws ArgProblem `Unknown option: …` or `Missing argument to '…'`.
 */
export function parseArgs(args: readonly string[], spec: OptionSpec): ParsedArgs {
  const parsed: ParsedArgs = { values: new Map(), flags: new Set(), positional: [], rest: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--' && spec.stopAtDoubleDash) {
      parsed.rest = args.slice(i + 1);
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      parsed.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const given = eq > 0 ? arg.slice(0, eq) : arg;
    const name = spec.aliases?.[given] ?? given;
    const kind = spec.options[name];
    if (kind === undefined) throw new ArgProblem(`Unknown option: ${arg}`);
    if (kind === 'flag') {
      parsed.flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else value = args[++i];
    if (value === undefined) throw new ArgProblem(`Missing argument to '${given}'`);
    parsed.values.set(name, [...(parsed.values.get(name) ?? []), value]);
  }
  return parsed;
}

/** Takes parsed arguments and an option name; returns its last value. */
export function lastValue(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.values.get(name)?.at(-1);
}
