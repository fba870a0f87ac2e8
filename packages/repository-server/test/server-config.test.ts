import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vrs-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the server configuration', () => {
  it('fills every default from nothing but a data directory', async () => {
    const config = await loadServerConfig({ cli: { data: '/srv/vrs' } });
    expect(config).toMatchObject({
      data: '/srv/vrs',
      listen: '0.0.0.0:7443',
      borg: { lockWaitSeconds: 60, compression: 'lz4' },
      webhook: null,
      logLevel: 'info',
    });
  });

  it('takes the file, then the environment, then the command line', async () => {
    const file = join(dir, 'vrs.json');
    writeFileSync(file, JSON.stringify({ data: '/a', listen: '127.0.0.1:1', logLevel: 'debug' }));
    const config = await loadServerConfig({
      file,
      env: { VRS_LISTEN: '127.0.0.1:2', VRS_DATA: '/b', HOME: '/root' },
      cli: { data: '/c' },
    });
    expect(config).toMatchObject({ data: '/c', listen: '127.0.0.1:2', logLevel: 'debug' });
  });

  it('reports every invalid field with its path in one message', async () => {
    const error = await loadServerConfig({
      cli: { listen: 'nowhere', borg: { lockWaitSeconds: -1, compression: 'gzip' }, webhook: 'not a url' },
    }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    const message = (error as Error).message;
    for (const path of ['data', 'listen', 'borg.lockWaitSeconds', 'borg.compression', 'webhook'])
      expect(message).toContain(`  ${path}: `);
  });

  it('names a file that is not JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ data: ');
    await expect(loadServerConfig({ file })).rejects.toThrow(/cannot read the configuration .*broken\.json/);
  });
});
