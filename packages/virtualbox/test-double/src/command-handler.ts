import type { CommandContext } from './command-context.js';

/** A VBoxManage subcommand: takes the context and the arguments after the command name; returns the exit code. */
export type CommandHandler = (ctx: CommandContext, args: string[]) => Promise<number>;
