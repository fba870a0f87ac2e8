import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectGrid, parseVdiHeader } from '@vrs/block-engine';
import { describe, expect, it } from 'vitest';
import { readWriterLog } from '../src/writer-log.js';
import { doubleHome, ok, vmInfo } from './helpers/double.js';
import { chainVerdict } from './helpers/images.js';

const SCRIPT = fileURLToPath(new URL('../examples/build-vm.sh', import.meta.url));

function vdisUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.vdi'))
    .map((f) => join(dir, f));
}

describe('examples/build-vm.sh, written for a real VirtualBox', () => {
  it('runs against the double and leaves images that qemu-img and the block engine accept', async (t) => {
    const h = await doubleHome(t);
    const disks = join(h.home, 'disks');
    const run = spawnSync('sh', [SCRIPT, 'demo', disks], { env: h.env, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const order = [
      /^Medium created\. UUID: [0-9a-f-]{36}$/m,
      /^Virtual machine 'demo' is created and registered\.$/m,
      /^Waiting for VM "demo" to power on\.\.\.$/m,
      /^VM "demo" has been successfully started\.$/m,
      /^Snapshot taken\. UUID: [0-9a-f-]{36}$/m,
      /^Deleting snapshot 'vrs-transient' \([0-9a-f-]{36}\)$/m,
    ].map((re) => run.stdout.search(re));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(run.stderr).not.toMatch(/error/);
    expect((await vmInfo(h, 'demo')).get('VMState')).toBe('poweroff');

    // A diff to look at as well: an offline snapshot of the finished VM.
    await ok(h, 'snapshot', 'demo', 'take', 'after');
    const images = vdisUnder(h.home);
    expect(images).toHaveLength(2);
    for (const path of images) {
      const header = parseVdiHeader(readFileSync(path).subarray(0, 512), path, statSync(path).size);
      const layout = await detectGrid(path);
      expect(layout.grid).toMatchObject({ kind: 'vdi', headerLength: header.offData, blockSize: 1024 * 1024 });
      expect(header.diskSize).toBe(64 * 1024 * 1024);
      if (header.type === 'diff') {
        const check = spawnSync('qemu-img', ['check', path], { encoding: 'utf8' });
        expect(check.stderr).toMatch(/unsupported VDI image \(non-NULL link UUID\)/);
      } else {
        expect(execFileSync('qemu-img', ['check', path], { encoding: 'utf8' })).toMatch(
          /No errors were found on the image/,
        );
      }
    }
    const base = join(disks, 'demo.vdi');
    const log = await readWriterLog(h.home, 'demo');
    expect(log.length).toBeGreaterThan(0);
    const disk = log[0]?.disk as string;
    expect(await chainVerdict([base], log, disk, 64)).toEqual({ consistent: true, cut: log.at(-1)?.seq });
  });
});
