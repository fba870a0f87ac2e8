import { execFileSync, spawnSync } from 'node:child_process';

function requireTool(tool: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  // Never skip: a missing cross-check tool is a broken test machine, and must fail loudly.
  if (!found) throw new Error(`${tool} is missing: install Debian's qemu-utils (scripts/quickstart.sh does)`);
}

/** Runs qemu-img with the arguments; returns stdout. Throws with stderr on a non-zero exit. */
export function qemuImg(...args: string[]): string {
  requireTool('qemu-img');
  return execFileSync('qemu-img', args, { encoding: 'utf8' });
}

/** Runs qemu-io with commands (-c) on an image of the given format. */
export function qemuIo(file: string, format: 'vdi' | 'raw', ...commands: string[]): void {
  requireTool('qemu-io');
  execFileSync('qemu-io', ['-f', format, ...commands.flatMap((c) => ['-c', c]), file], { encoding: 'utf8' });
}

/** Runs a qemu tool and returns its exit status and output, without throwing. */
export function qemuStatus(tool: 'qemu-img', ...args: string[]): { status: number | null; output: string } {
  requireTool(tool);
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
