// Cleanup that happens however a benchmark ends: the script runs it itself on exit and on SIGINT/SIGTERM/
// SIGHUP, and a detached watchdog shell runs the same commands once the benchmark's process is gone (SIGKILL,
// OOM) or after a time limit. The commands live in a file that grows as the run makes things to undo; each
// must be idempotent and must not fail the rest (they run one by one, errors ignored).
import { execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Takes a string; returns it quoted for a POSIX shell. */
export function shellQuote(text) {
  return `'${String(text).replaceAll("'", "'\\''")}'`;
}

/**
 * Takes { ttlSeconds }; starts the watchdog and installs the exit and signal handlers. Returns
 * { add(command, { first }): adds a shell command (first: before the others), run(): cleans up now, once }.
 */
export function startJanitor({ ttlSeconds = 14_400 } = {}) {
  const file = join(tmpdir(), `vrs-bench-janitor-${process.pid}.sh`);
  const commands = [];
  const save = () =>
    writeFileSync(file, `${commands.map((c) => `( ${c} ) >/dev/null 2>&1`).join('\n')}\nrm -f ${shellQuote(file)}\n`);
  save();
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `owner=$1; i=0
while [ "$i" -lt ${Math.round(ttlSeconds)} ] && kill -0 "$owner" 2>/dev/null; do sleep 1; i=$((i + 1)); done
[ -f "$2" ] && . "$2"`,
      'vrs-bench-janitor',
      String(process.pid),
      file,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    try {
      process.kill(watchdog.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    try {
      execFileSync('sh', [file], { stdio: 'ignore' });
    } finally {
      rmSync(file, { force: true });
    }
  };
  process.on('exit', run);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])
    process.on(signal, () => process.exit(code));
  return {
    add(command, { first = false } = {}) {
      if (first) commands.unshift(command);
      else commands.push(command);
      save();
    },
    run,
  };
}
