import { connectVrs, getConfigDir, PinMismatchError, readCredential, toVrsError } from '@vrs/agent';
import { FINGERPRINT_PATTERN, readStdin, VrsError } from '@vrs/protocol';
import { removeCliLogin, writeCliLogin } from '../../remote/cli-login.js';
import { print } from './output.js';

/**
 * `vrs login --server URL [--user NAME] [--fingerprint SHA256:…] [--password-stdin]`: logs a person in and
 * stores the bearer token (0600). The certificate is pinned: the fingerprint comes from the option, else from
 * this host's agent when it is enrolled with the same server. The password is read from stdin, never argv.
 */
export async function runLogin(o: {
  server: string;
  user: string;
  fingerprint?: string;
  passwordStdin?: boolean;
  json?: boolean;
}): Promise<number> {
  let fingerprint = o.fingerprint;
  if (!fingerprint) {
    const agent = await readCredential(getConfigDir()).catch(() => null);
    if (agent?.server === o.server) fingerprint = agent.fingerprint;
  }
  if (!fingerprint || !FINGERPRINT_PATTERN.test(fingerprint)) {
    throw new VrsError('INVALID_INPUT', 'the server certificate fingerprint is needed to log in safely', {
      hint: 'Pass --fingerprint SHA256:… as `vrs-server start` logs it (or as the enroll line shows it).',
    });
  }
  if (!o.passwordStdin && process.stdin.isTTY) process.stderr.write(`password for ${o.user}: `);
  const password = (await readStdin(4096)).replace(/\r?\n$/, '');
  let pinError: Error | null = null;
  const { client, close } = connectVrs({
    server: o.server,
    fingerprint,
    params: {},
    retryDelayMs: () => 1000,
    onError: (error) => {
      if (error instanceof PinMismatchError) pinError = error;
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      client.auth.login.mutate({ name: o.user, password }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(pinError ?? new VrsError('HOST_OFFLINE', `no answer from ${o.server}`)),
          15_000,
        );
      }),
    ]).catch((error: unknown) => {
      throw error instanceof PinMismatchError ? new VrsError('UNAUTHENTICATED', error.message) : toVrsError(error);
    });
    const file = await writeCliLogin({
      server: o.server,
      fingerprint,
      user: result.name,
      role: result.role,
      token: result.token,
      expiresAt: result.expiresAt,
    });
    print(
      o.json,
      { user: result.name, role: result.role, expiresAt: result.expiresAt, file },
      () => `logged in as ${result.name} (${result.role}) until ${result.expiresAt}\n`,
    );
    return 0;
  } finally {
    clearTimeout(timer);
    await close();
  }
}

/** `vrs logout`: forgets the stored login. */
export async function runLogout(): Promise<number> {
  await removeCliLogin();
  process.stdout.write('logged out\n');
  return 0;
}
