import { FINGERPRINT_PATTERN, VrsError } from '@vrs/protocol';
import { VirtualBox } from '@vrs/virtualbox';
import { isServerUrl } from '../config/credential-schema.js';
import { writeCredential } from '../config/write-credential.js';
import { toVrsError } from '../connection/call-with-retry.js';
import { PinMismatchError } from '../connection/pinned-websocket.js';
import { connectVrs } from '../connection/vrs-client.js';
import { AGENT_VERSION } from '../version.js';

/**
 * Takes the server URL, the one-time token, the certificate fingerprint printed by the server and the
 * config directory; enrolls this host over the pinned wss and stores the credential (0600). Returns the
 * host's id, name and the credential file. Throws VrsError (a wrong fingerprint, a used or expired token).
 */
export async function enroll(o: {
  server: string;
  token: string;
  fingerprint: string;
  dir: string;
  vboxmanage?: string;
}) {
  if (!isServerUrl(o.server)) throw new VrsError('INVALID_INPUT', `${o.server} is not a wss://HOST:PORT address`);
  if (!FINGERPRINT_PATTERN.test(o.fingerprint)) {
    throw new VrsError('INVALID_INPUT', 'the fingerprint must look like SHA256:<43 base64 characters>', {
      hint: 'Copy the whole `vrs-agent enroll …` line that `vrs-server token create` printed.',
    });
  }
  const vbox = await VirtualBox.connect(o.vboxmanage ? { binary: o.vboxmanage } : {}).catch(() => null);
  let refuse: (error: Error) => void = () => undefined;
  const refused = new Promise<never>((_, reject) => {
    refuse = reject;
  });
  const { client, close } = connectVrs({
    server: o.server,
    fingerprint: o.fingerprint,
    params: {},
    retryDelayMs: () => 1000,
    onError: (error) => {
      if (error instanceof PinMismatchError)
        refuse(
          new VrsError('UNAUTHENTICATED', error.message, {
            hint: 'Check the fingerprint: copy it from the `vrs-server token create` line. If it is right, someone may be in between.',
          }),
        );
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const host = await Promise.race([
      refused,
      client.agent.enroll.mutate({
        token: o.token,
        os: process.platform === 'win32' || process.platform === 'darwin' ? process.platform : 'linux',
        agentVersion: AGENT_VERSION,
        virtualBoxVersion: vbox?.version.text ?? null,
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new VrsError('HOST_OFFLINE', `no answer from ${o.server} in 60 s`, {
                hint: 'Check the address and that vrs-server runs there.',
              }),
            ),
          60_000,
        );
      }),
    ]).catch((error: unknown) => {
      throw toVrsError(error);
    });
    const file = await writeCredential(
      {
        server: o.server,
        fingerprint: o.fingerprint,
        hostId: host.hostId,
        hostName: host.name,
        credential: host.credential,
      },
      o.dir,
    );
    return { hostId: host.hostId, name: host.name, file };
  } finally {
    // Without this the pending timer kept `vrs-agent enroll` running for 60 s after it had enrolled.
    clearTimeout(timer);
    await close();
  }
}
