import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPrivate } from '../src/config/check-private.js';
import { ConfigError } from '../src/config/config-error.js';
import { credentialPath } from '../src/config/credential-file.js';
import { getConfigDir } from '../src/config/get-config-dir.js';
import { readCredential } from '../src/config/read-credential.js';
import { writeCredential } from '../src/config/write-credential.js';
import { makeTempDir } from './support/temp-dir.js';

const root = makeTempDir('config');
let n = 0;
const freshDir = () => join(root, `c${n++}`, 'vrs-agent');

const secret = randomBytes(32).toString('base64url');
const enrolled = {
  server: 'wss://storage.lan:8443',
  fingerprint: `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`,
  hostId: '2f1d3c4b-5a69-4788-9abc-def012345678',
  hostName: 'laptop',
  credential: secret,
};

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

/** Everything an entry point could print or log about an error. */
const everything = (e: Error) => `${e.message} ${(e as ConfigError).hint} ${JSON.stringify(e)} ${String(e.cause)}`;

describe('the config directory', () => {
  const platform = process.platform;
  const xdg = process.env.XDG_CONFIG_HOME;
  const appData = process.env.APPDATA;
  afterEach(() => {
    Object.defineProperty(process, 'platform', { value: platform });
    if (xdg === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = xdg;
    if (appData === undefined) delete process.env.APPDATA;
    else process.env.APPDATA = appData;
  });

  it('is VRS_AGENT_CONFIG when set', () => {
    expect(getConfigDir({ configDir: '/srv/vrs-agent' })).toBe('/srv/vrs-agent');
  });

  it('refuses a relative VRS_AGENT_CONFIG with INVALID_INPUT', () => {
    expect(() => getConfigDir({ configDir: 'conf' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('is the XDG config directory on Linux', () => {
    Object.defineProperty(process, 'platform', { value: 'linux' });
    delete process.env.XDG_CONFIG_HOME;
    expect(getConfigDir({ configDir: '' })).toBe(join(homedir(), '.config', 'vrs-agent'));
    process.env.XDG_CONFIG_HOME = '/xdg';
    expect(getConfigDir({ configDir: '' })).toBe('/xdg/vrs-agent');
  });

  it('is ~/Library/Preferences/vrs-agent on macOS', () => {
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    expect(getConfigDir({ configDir: '' })).toBe(join(homedir(), 'Library', 'Preferences', 'vrs-agent'));
  });

  it('is %APPDATA%\\vrs-agent\\Config on Windows', () => {
    Object.defineProperty(process, 'platform', { value: 'win32' });
    process.env.APPDATA = 'C:\\Users\\me\\AppData\\Roaming';
    // path.join is POSIX here, so the separators after APPDATA are '/'; on Windows they are '\'.
    expect(getConfigDir({ configDir: '' })).toBe('C:\\Users\\me\\AppData\\Roaming/vrs-agent/Config');
  });
});

describe('the enrolled credential', () => {
  it('is stored 0600 in a 0700 directory and read back, its secret hidden from JSON and spreads', async () => {
    const dir = freshDir();
    const path = await writeCredential(enrolled, dir);
    expect(path).toBe(credentialPath(dir));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['credential.json']);
    const read = await readCredential(dir);
    expect(read.credential).toBe(secret);
    expect({ ...read, credential: read.credential }).toEqual({ version: 1, ...enrolled });
    expect(JSON.stringify(read)).not.toContain(secret);
    expect(Object.keys(read)).not.toContain('credential');
  });

  it('is replaced by a rename, so a reader of the old file never sees a half-written one', async () => {
    const dir = freshDir();
    await writeCredential(enrolled, dir);
    const before = statSync(credentialPath(dir)).ino;
    const old = await open(credentialPath(dir), 'r');
    const renamed = { ...enrolled, hostName: 'laptop-2' };
    await writeCredential(renamed, dir);
    expect(JSON.parse(await old.readFile('utf8')).hostName).toBe('laptop');
    await old.close();
    expect(statSync(credentialPath(dir)).ino).not.toBe(before);
    expect((await readCredential(dir)).hostName).toBe('laptop-2');
    expect(readdirSync(dir)).toEqual(['credential.json']);
  });

  it('is refused before writing when a field is invalid, every field named and no value quoted', async () => {
    const dir = freshDir();
    const bad = { ...enrolled, server: 'https://storage.lan', fingerprint: secret };
    const error = await failure(writeCredential(bad, dir));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/server: expected wss:\/\/HOST:PORT; fingerprint: expected SHA256:/);
    expect(everything(error)).not.toContain(secret);
  });

  it('accepts wss://HOST:PORT only', async () => {
    const { isServerUrl } = await import('../src/config/credential-schema.js');
    expect(['wss://a.b:1', 'wss://10.0.0.2:8443', 'wss://[::1]:8443'].map(isServerUrl)).toEqual([true, true, true]);
    const bad = ['ws://a:1', 'wss://a', 'wss://a:1/', 'wss://u@a:1', 'wss://a:1/x', 'wss://a:1?x', 'WSS://a:1'];
    expect(bad.map(isServerUrl)).toEqual(bad.map(() => false));
  });

  it('missing: UNAUTHENTICATED with the enroll command as the hint', async () => {
    const dir = freshDir();
    let error = await failure(readCredential(dir));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.hint).toMatch(/vrs-agent enroll --server/);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    error = await failure(readCredential(dir));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/not enrolled/);
  });

  it('damaged (not JSON): INVALID_INPUT without quoting the text, which holds the secret', async () => {
    const dir = freshDir();
    await writeCredential(enrolled, dir);
    writeFileSync(credentialPath(dir), readFileSync(credentialPath(dir), 'utf8').slice(0, 200));
    const error = await failure(readCredential(dir));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.cause).toBeUndefined();
    expect(everything(error)).not.toContain(secret.slice(0, 8));
  });

  it('damaged (fields): INVALID_INPUT naming every bad field, not its value', async () => {
    const dir = freshDir();
    await writeCredential(enrolled, dir);
    const json = JSON.parse(readFileSync(credentialPath(dir), 'utf8'));
    writeFileSync(credentialPath(dir), JSON.stringify({ ...json, hostId: 'nope', credential: `${secret}x` }));
    const error = await failure(readCredential(dir));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/hostId: expected a lower-case UUID; credential: expected 43 base64url/);
    expect(everything(error)).not.toContain(secret);
  });

  it('too open: refused with UNAUTHENTICATED and the chmod to run, for the file and for the directory', async () => {
    const dir = freshDir();
    await writeCredential(enrolled, dir);
    chmodSync(credentialPath(dir), 0o644);
    let error = await failure(readCredential(dir));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/open to other users \(mode 0644; 0600 required\)/);
    expect(error.hint).toContain(`chmod 600 '${credentialPath(dir)}'`);
    // Refused, not fixed: the mode is still what the user left.
    expect(statSync(credentialPath(dir)).mode & 0o777).toBe(0o644);
    chmodSync(credentialPath(dir), 0o600);
    chmodSync(dir, 0o755);
    error = await failure(readCredential(dir));
    expect(error.hint).toContain(`chmod 700 '${dir}'`);
    // Nor does a new enrollment write into that directory.
    error = await failure(writeCredential(enrolled, dir));
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it("owned by another user: refused (this process's uid given, since the tests run as root)", () => {
    const stats = { mode: 0o100600, uid: 1234 };
    expect(() => checkPrivate(stats, '/x', 'file', 1000)).toThrow(/belongs to user 1234, not to this user \(1000\)/);
    expect(() => checkPrivate({ mode: 0o100600, uid: 0 }, '/x', 'file', 1000)).not.toThrow();
    expect(() => checkPrivate({ mode: 0o100600, uid: 1000 }, '/x', 'file', 1000)).not.toThrow();
  });
});
