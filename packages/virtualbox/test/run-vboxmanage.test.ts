import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateVBoxManage, makeVBoxRunner, VBoxError } from '../src/index.js';

// A stand-in binary that prints what it is told: this checks the runner's process handling, not VirtualBox.
const dir = mkdtempSync(join(tmpdir(), 'vrs-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function fakeBinary(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('the VBoxManage runner', () => {
  it('runs with LANG=C and normalises CRLF', async () => {
    const run = makeVBoxRunner(fakeBinary('env', 'printf "LANG=%s\\r\\nargs=%s\\r\\n" "$LANG" "$*"'));
    expect((await run(['list', 'vms'])).stdout).toBe('LANG=C\nargs=list vms');
  });

  it("treats an error line on stderr as failure even with exit code 0 (Vagrant's rule)", async () => {
    const run = makeVBoxRunner(
      fakeBinary('zero', `echo "VBoxManage: error: Could not find a registered machine named 'x'" >&2; exit 0`),
    );
    await expect(run(['showvminfo', 'x'])).rejects.toMatchObject({ code: 'VM_NOT_FOUND', exitCode: 0 });
  });

  it('retries read-only calls 3 times, but not errors that cannot change', async () => {
    const counter = join(dir, 'count');
    writeFileSync(counter, '');
    const flaky = makeVBoxRunner(
      fakeBinary(
        'flaky',
        `echo x >> ${counter}; [ $(wc -l < ${counter}) -ge 3 ] && echo ok && exit 0; echo "VBoxManage: error: busy" >&2; exit 1`,
      ),
    );
    expect((await flaky(['list', 'vms'], { retry: true })).stdout).toBe('ok');
    writeFileSync(counter, '');
    const missing = makeVBoxRunner(
      fakeBinary(
        'missing',
        `echo x >> ${counter}; echo "VBoxManage: error: Could not find a registered machine with UUID {u}" >&2; exit 1`,
      ),
    );
    const error = await missing(['showvminfo', 'u'], { retry: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VBoxError);
    expect(readLines(counter)).toBe(1);
  });

  it('reports a missing binary as VBOX_UNAVAILABLE, and locates VBoxManage from config then PATH', async () => {
    await expect(makeVBoxRunner(join(dir, 'nope'))(['--version'])).rejects.toMatchObject({ code: 'VBOX_UNAVAILABLE' });
    const onPath = fakeBinary('VBoxManage', 'echo 7.0.14r161095');
    expect(
      await locateVBoxManage(undefined, { path: `/nonexistent:${dir}`, vboxInstallPath: '', platform: 'linux' }),
    ).toBe(onPath);
    expect(await locateVBoxManage(onPath, { path: '', vboxInstallPath: '', platform: 'linux' })).toBe(onPath);
    await expect(
      locateVBoxManage(join(dir, 'absent'), { path: dir, vboxInstallPath: '', platform: 'linux' }),
    ).rejects.toThrow(/configured path/);
  });
});

function readLines(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
}
