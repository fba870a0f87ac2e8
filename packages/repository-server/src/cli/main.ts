#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { describeCliError, readStdin } from '@vrs/protocol';
import { Command } from 'commander';
import { DataPaths } from '../app/data-paths.js';
import { initDataDir } from '../app/init-data-dir.js';
import { startServer } from '../app/start-server.js';
import { createEnrollmentToken, enrollCommand, parseTtl } from '../auth/enrollment.js';
import { openCatalog } from '../catalog/open-catalog.js';
import { loadServerConfig } from '../config/load-server-config.js';
import { certificateFingerprint } from '../tls/make-certificate.js';
import { addUser, listUsers, makePassword, Role, removeUser, setPassword } from '../users/users.js';

const program = new Command('vrs-server')
  .description('vrs repository server: owns the borg repositories, the mirrors and the catalog')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

const config = (data: string, cli: Record<string, unknown> = {}) =>
  loadServerConfig({ file: existsConfig(data), cli: { data, ...cli }, env: process.env });

function existsConfig(data: string): string | undefined {
  const file = new DataPaths(data).configFile;
  try {
    readFileSync(file);
    return file;
  } catch {
    return undefined;
  }
}

program
  .command('init')
  .description('make a data directory: TLS certificate, catalog, default policy and a first admin')
  .requiredOption('--data <dir>', 'the data directory')
  .option('--name <dns...>', 'DNS names agents use for this server', ['localhost'])
  .action(async (o: { data: string; name: string[] }) => {
    const result = await initDataDir(o.data, o.name);
    process.stdout.write(
      `Initialized ${o.data}\n  certificate ${result.fingerprint}\n  admin user: ${result.admin}\n  admin password (shown once): ${result.password}\n`,
    );
  });

program
  .command('start')
  .description('serve https and wss on one port (agents, CLI, console) and run the scheduler')
  .requiredOption('--data <dir>', 'the data directory')
  .option('--listen <host:port>', 'address to listen on (default 0.0.0.0:7443)')
  .action(async (o: { data: string; listen?: string }) => {
    const server = await startServer(await config(o.data, o.listen ? { listen: o.listen } : {}));
    const stop = () => {
      server.app.log.info('stopping');
      void server.stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

program
  .command('token')
  .description('enrollment tokens')
  .command('create')
  .description('make a one-time enrollment token and print the exact vrs-agent enroll command')
  .requiredOption('--data <dir>', 'the data directory')
  .requiredOption('--host <name>', 'the name the host gets')
  .option('--ttl <duration>', 'how long the token works, e.g. 30m, 1h, 2d', '1h')
  .option('--json', 'print JSON')
  .action(async (o: { data: string; host: string; ttl: string; json?: boolean }) => {
    const cfg = await config(o.data);
    const fingerprint = certificateFingerprint(readFileSync(new DataPaths(o.data).tlsCert, 'utf8'));
    const { catalog, close } = await openCatalog(o.data);
    try {
      const { token, expiresAt } = await createEnrollmentToken(catalog, o.host, parseTtl(o.ttl));
      const url = cfg.publicUrl ?? `wss://${cfg.publicNames[0] ?? 'localhost'}:${cfg.listen.split(':').at(-1)}`;
      const command = enrollCommand(url, token, fingerprint);
      process.stdout.write(o.json ? `${JSON.stringify({ command, token, expiresAt })}\n` : `${command}\n`);
      if (!o.json) process.stderr.write(`(works once, until ${expiresAt.toISOString()})\n`);
    } finally {
      await close();
    }
  });

const user = program.command('user').description('people who may log in to the console and the CLI');
const withCatalog = async <T>(
  data: string,
  work: (catalog: Awaited<ReturnType<typeof openCatalog>>['catalog']) => Promise<T>,
) => {
  const { catalog, close } = await openCatalog(data);
  try {
    return await work(catalog);
  } finally {
    await close();
  }
};
/** The password from stdin (`--password-stdin`), else a new random one that is printed once. */
async function passwordFrom(o: { passwordStdin?: boolean }): Promise<{ password: string; generated: boolean }> {
  if (o.passwordStdin) return { password: (await readStdin(4096)).replace(/\r?\n$/, ''), generated: false };
  return { password: makePassword(), generated: true };
}
user
  .command('add')
  .argument('<name>')
  .requiredOption('--data <dir>', 'the data directory')
  .option('--role <role>', 'admin or viewer', 'viewer')
  .option('--password-stdin', 'read the password from stdin instead of generating one')
  .action(async (name: string, o: { data: string; role: string; passwordStdin?: boolean }) => {
    const role = Role.parse(o.role);
    const { password, generated } = await passwordFrom(o);
    await withCatalog(o.data, (catalog) => addUser(catalog, name, role, password));
    process.stdout.write(`added ${role} ${name}${generated ? `\n  password (shown once): ${password}` : ''}\n`);
  });
user
  .command('passwd')
  .argument('<name>')
  .requiredOption('--data <dir>', 'the data directory')
  .option('--password-stdin', 'read the password from stdin instead of generating one')
  .action(async (name: string, o: { data: string; passwordStdin?: boolean }) => {
    const { password, generated } = await passwordFrom(o);
    await withCatalog(o.data, (catalog) => setPassword(catalog, name, password));
    process.stdout.write(
      `password of ${name} changed; its sessions ended${generated ? `\n  password (shown once): ${password}` : ''}\n`,
    );
  });
user
  .command('remove')
  .argument('<name>')
  .requiredOption('--data <dir>', 'the data directory')
  .action(async (name: string, o: { data: string }) => {
    await withCatalog(o.data, (catalog) => removeUser(catalog, name));
    process.stdout.write(`removed ${name}\n`);
  });
user
  .command('list')
  .requiredOption('--data <dir>', 'the data directory')
  .action(async (o: { data: string }) => {
    const users = await withCatalog(o.data, (catalog) => listUsers(catalog));
    for (const u of users) process.stdout.write(`${u.name}\t${u.role}${u.locked ? '\tlocked' : ''}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

function report(error: unknown): number {
  const { text, exitCode } = describeCliError('vrs-server', error);
  process.stderr.write(text);
  return exitCode;
}
