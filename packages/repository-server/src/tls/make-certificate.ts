import { X509Certificate } from 'node:crypto';
import { fingerprintOfDer } from '@vrs/protocol';
import { generate } from 'selfsigned';

/** A TLS key pair in PEM and the certificate's fingerprint as agents pin it. */
export interface ServerCertificate {
  key: string;
  cert: string;
  fingerprint: string;
}

/**
 * Takes the host names and addresses the server answers on; returns a new self-signed certificate (EC
 * P-256, ten years) valid for them. Agents do not trust it through a CA: they pin its fingerprint at
 * enrollment (ARCHITECTURE.md, "Security model").
 */
export async function makeCertificate(names: { dns: string[]; ips: string[] }): Promise<ServerCertificate> {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: names.dns[0] ?? 'vrs-server' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 3650 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...names.dns.map((value) => ({ type: 2 as const, value })),
          ...names.ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, fingerprint: certificateFingerprint(pems.cert) };
}

/** Takes a PEM certificate; returns `SHA256:<base64>` of its DER form (the form `vrs-agent enroll --fingerprint` takes). */
export function certificateFingerprint(pem: string): string {
  return fingerprintOfDer(new X509Certificate(pem).raw);
}
