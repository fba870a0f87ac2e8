#!/usr/bin/env node
import { describeCliError } from '@vrs/protocol';
import { Command } from 'commander';
import { runImageDiff } from './commands/image-diff.js';
import { runImageInspect } from './commands/image-inspect.js';
import { registerRemote } from './commands/remote/register-remote.js';

const program = new Command('vrs')
  .description('VirtualBox Remote Snapshots')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

const image = program.command('image').description('look at disk images the way vrs cuts them');
image
  .command('inspect')
  .argument('<file>', 'a VDI or any other image file')
  .option('--json', 'print JSON')
  .description('format, virtual and file size, block grid, allocated and zero blocks')
  .action(async (file: string, options: { json?: boolean }) => {
    process.exitCode = await runImageInspect(file, options);
  });
image
  .command('diff')
  .argument('<a>', 'the older image')
  .argument('<b>', 'the newer image')
  .option('--json', 'print JSON')
  .description('cells of B that differ from A, and how many of them A holds elsewhere (exit 1 when they differ)')
  .action(async (a: string, b: string, options: { json?: boolean }) => {
    process.exitCode = await runImageDiff(a, b, options);
  });

registerRemote(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

function report(error: unknown): number {
  const { text, exitCode } = describeCliError('vrs', error);
  process.stderr.write(text);
  return exitCode;
}
