// The two-host lab (infra/lab/lab.sh through bench/lib/lab.mjs), on real network namespaces, veth, tc and
// netfilter. Needs root.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESSES, LAB_SCRIPT, type Lab, startLab, withLab } from '../../../bench/lib/lab.mjs';

const MB = 1_000_000;
const STATE = '/run/vrs-lab'; // lab.sh's default state directory
let port = 20_000 + Math.floor(Math.random() * 20_000);

/** Everything a lab id can leave: namespaces, veth ends in this namespace, its state, processes naming it. */
function leftovers(id: string): string[] {
  const found: string[] = [];
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const side of ['host', 'storage'])
    if (netns.includes(`vrs-${id}-${side}`)) found.push(`netns vrs-${id}-${side}`);
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  for (const end of ['h', 's']) if (links.includes(`vrs-${id}-${end}`)) found.push(`link vrs-${id}-${end}`);
  if (existsSync(join(STATE, id))) found.push(`state ${join(STATE, id)}`);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(`${STATE}/${id}/`) || cmd.includes(`_watch ${id}`)) found.push(`process ${pid} ${cmd}`);
    } catch {
      // exited while listed
    }
  }
  return found;
}

/** Polls (at most `tries` × 100 ms) until `ok()` holds; returns whether it did. */
async function eventually(ok: () => boolean, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (ok()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return ok();
}

/** Sends `bytes` from the host to a socat listener on storage; returns the seconds the sender took. */
async function sendToStorage(lab: Lab, bytes: number, target = '/dev/null'): Promise<number> {
  const p = port++;
  const listener = lab.spawn('storage', ['socat', '-u', `TCP-LISTEN:${p},reuseaddr`, `OPEN:${target},creat,trunc`]);
  const sender = await lab.run('host', [
    'sh',
    '-c',
    `head -c ${bytes} /dev/zero | socat -u - TCP:${ADDRESSES.storage}:${p},retry=50,interval=0.1`,
  ]);
  await listener.done;
  return sender.seconds;
}

/** The smallest of five TCP handshakes host → storage (a closed port answers with RST), in ms. */
async function roundTripMs(lab: Lab): Promise<number> {
  const script = `import socket, time
best = 1e9
for _ in range(5):
    s = socket.socket()
    t = time.monotonic()
    try:
        s.connect(('${ADDRESSES.storage}', 9))
    except ConnectionRefusedError:
        best = min(best, time.monotonic() - t)
    s.close()
print(best * 1000)`;
  const { stdout } = await lab.run('host', ['/usr/bin/python3', '-c', script]);
  return Number(stdout.trim());
}

describe('the two-host lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ profile: 'lan' });
  });
  afterAll(() => lab?.closeSync());

  it('carries a TCP transfer from host to storage across the veth pair', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrs-lab-test-'));
    try {
      const data = randomBytes(4 * 1024 * 1024);
      writeFileSync(join(dir, 'sent'), data);
      const before = lab.counters();
      const p = port++;
      const listener = lab.spawn('storage', [
        'socat',
        '-u',
        `TCP-LISTEN:${p},reuseaddr`,
        `OPEN:${join(dir, 'got')},creat`,
      ]);
      await lab.run('host', [
        'socat',
        '-u',
        `OPEN:${join(dir, 'sent')}`,
        `TCP:${ADDRESSES.storage}:${p},retry=50,interval=0.1`,
      ]);
      await listener.done;
      const after = lab.counters();
      const sha = (f: string) =>
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex');
      expect(sha('got')).toBe(sha('sent'));
      expect(after.host.txBytes - before.host.txBytes).toBeGreaterThan(data.length);
      expect(after.storage.rxBytes - before.storage.rxBytes).toBeGreaterThan(data.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies the wifi profile: rate, delay and loss on both ends, clearly slower than lan', async () => {
    lab.setProfile('wifi');
    const shown = lab.show();
    for (const dev of [`vrs-${lab.id}-h`, `vrs-${lab.id}-s`]) {
      expect(shown).toMatch(/qdisc tbf .*rate 50Mbit/);
      expect(shown).toContain(`-A PREROUTING -i ${dev} -m statistic --mode random --probability 0.001`);
      expect(shown).toContain(`-A PREROUTING -i ${dev} -j NFQUEUE`);
    }
    expect(shown.match(/delay: 5ms by delay-queue\.py pid \d+/g)).toHaveLength(2);
    const before = lab.counters();
    const wifiSeconds = await sendToStorage(lab, 20 * MB);
    const lost = lab.counters().storage.lossPackets - before.storage.lossPackets;
    const wifiRtt = await roundTripMs(lab);
    lab.setProfile('lan');
    expect(lab.show()).toMatch(/qdisc tbf .*rate 1Gbit/);
    const lanSeconds = await sendToStorage(lab, 20 * MB);
    const lanRtt = await roundTripMs(lab);
    const wifiMbps = (20 * 8) / wifiSeconds;
    const lanMbps = (20 * 8) / lanSeconds;
    expect(wifiMbps).toBeLessThan(80);
    expect(lanMbps).toBeGreaterThan(2 * wifiMbps);
    expect(wifiRtt).toBeGreaterThanOrEqual(9.5); // 5 ms each way, by construction
    expect(lanRtt).toBeLessThan(wifiRtt / 2);
    expect(lost).toBeGreaterThan(0); // ~14 000 frames at 0.1%: P(no loss) < 1e-6
  });

  it('fails a connection while the link is down and carries one again once it is up', async () => {
    lab.link('down');
    const failed = await lab.run('host', ['socat', '-u', '/dev/null', `TCP:${ADDRESSES.storage}:9,connect-timeout=3`], {
      check: false,
    });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/unreachable/i);
    lab.link('up');
    expect(await sendToStorage(lab, MB)).toBeGreaterThan(0);
  });
});

describe('lab teardown', () => {
  it('leaves nothing behind after close()', async () => {
    const lab = await startLab({ profile: 'wifi' });
    const id = lab.id;
    expect(leftovers(id).length).toBeGreaterThan(0);
    lab.closeSync();
    lab.closeSync();
    expect(leftovers(id)).toEqual([]);
  });

  it('leaves nothing behind when a step inside withLab throws', async () => {
    let id = '';
    await expect(
      withLab({ profile: 'wifi' }, async (lab) => {
        id = lab.id;
        await lab.run('storage', ['false']);
      }),
    ).rejects.toThrow(/exited 1/);
    expect(id).not.toBe('');
    expect(leftovers(id)).toEqual([]);
  });

  it('leaves nothing behind after `lab.sh run` of a failing command', () => {
    let id = '';
    try {
      execFileSync('bash', [LAB_SCRIPT, 'run', '--profile', 'wifi', 'sh', '-c', 'echo "$VRS_LAB_ID"; exit 7'], {
        encoding: 'utf8',
      });
      expect.unreachable();
    } catch (error) {
      const e = error as { status: number; stdout: string };
      expect(e.status).toBe(7);
      id = e.stdout.trim();
    }
    expect(id).toMatch(/^[a-z0-9]+$/);
    expect(leftovers(id)).toEqual([]);
  });

  it('is torn down by its watchdog when the owner is killed with SIGKILL', async () => {
    const code = `const { startLab } = await import(${JSON.stringify(new URL('../../../bench/lib/lab.mjs', import.meta.url).href)});
const lab = await startLab({ profile: 'wifi' });
console.log(lab.id);
setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const id = await new Promise<string>((resolve, reject) => {
      owner.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
      owner.once('exit', (c) => reject(new Error(`owner exited ${c} before its lab was up`)));
    });
    expect(leftovers(id).length).toBeGreaterThan(0);
    owner.kill('SIGKILL');
    expect(await eventually(() => leftovers(id).length === 0)).toBe(true);
  });

  it('sweeps labs whose owner is gone with `lab.sh down --stale`', async () => {
    const sleeper = spawn('sleep', ['60']);
    const id = execFileSync('bash', [LAB_SCRIPT, 'up', '--profile', 'lan', '--owner', String(sleeper.pid)], {
      encoding: 'utf8',
    }).trim();
    // A lab whose watchdog died with the machine: only its namespaces and state remain.
    const watchdog = Number(readFileSync(join(STATE, id, 'watch.pid'), 'utf8'));
    process.kill(watchdog, 'SIGKILL');
    const gone = new Promise((r) => sleeper.once('exit', r));
    sleeper.kill('SIGKILL');
    await gone;
    execFileSync('bash', [LAB_SCRIPT, 'down', '--stale']);
    expect(leftovers(id)).toEqual([]);
  });
});
