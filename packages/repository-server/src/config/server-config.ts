import { z } from 'zod';

/** `HOST:PORT` to listen on. */
const Listen = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected HOST:PORT, e.g. 0.0.0.0:7443');

/** vrs-server's configuration: every field described and defaulted, so an empty file is a valid one. */
export const ServerConfig = z.object({
  data: z.string().min(1).describe('the data directory: catalog, secrets, repositories, mirrors, borg cache'),
  listen: Listen.default('0.0.0.0:7443').describe('address and port of https and wss'),
  publicNames: z.array(z.string().min(1)).default(['localhost']).describe('DNS names agents use, for the certificate'),
  borg: z
    .object({
      binary: z.string().default('borg').describe('the borg executable'),
      lockWaitSeconds: z
        .number()
        .int()
        .min(0)
        .max(3600)
        .default(60)
        .describe("how long a borg command waits for another writer's lock"),
      compression: z
        .string()
        .regex(/^(lz4|none|zstd,\d{1,2}|zlib,\d)$/)
        .default('lz4')
        .describe('borg --compression'),
    })
    .default({ binary: 'borg', lockWaitSeconds: 60, compression: 'lz4' }),
  limits: z
    .object({
      maxFrameBytes: z
        .number()
        .int()
        .min(65_536)
        .max(64 * 1024 * 1024)
        .default(32 * 1024 * 1024 + 128)
        .describe('largest websocket message'),
      idleSessionSeconds: z
        .number()
        .int()
        .min(10)
        .max(86_400)
        .default(300)
        .describe('a transfer with no frame for this long is closed'),
    })
    .default({ maxFrameBytes: 32 * 1024 * 1024 + 128, idleSessionSeconds: 300 }),
  publicUrl: z
    .string()
    .regex(/^wss:\/\/[^\s/]+$/, 'expected wss://HOST:PORT')
    .nullable()
    .default(null)
    .describe(
      'the address agents and the CLI use, printed in enrollment commands; default wss://<first public name>:<port>',
    ),
  consoleDir: z
    .string()
    .nullable()
    .default(null)
    .describe('the built console (apps/console/dist), served at /; default: found beside this package, else none'),
  webhook: z.url().nullable().default(null).describe('POSTed on a failed job and on an RPO miss'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});
export type ServerConfig = z.infer<typeof ServerConfig>;
