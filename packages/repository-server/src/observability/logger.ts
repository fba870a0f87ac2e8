import pino, { type Logger } from 'pino';

/** Keys whose values never reach a log: credentials, tokens, passwords, cookies, passphrases. */
export const REDACTED_PATHS = [
  'credential',
  'token',
  'password',
  'passphrase',
  '*.credential',
  '*.token',
  '*.password',
  '*.passphrase',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** Takes a level and an optional destination; returns the server's root pino logger, secrets masked. */
export function makeServerLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { name: 'vrs-server', level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
