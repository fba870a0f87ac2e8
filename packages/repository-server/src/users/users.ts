import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ServerError } from '../app/server-error.js';
import { hashPassword } from '../auth/password.js';
import type { Catalog } from '../catalog/open-catalog.js';

/** The roles of people: admins change things, viewers see everything and change nothing. */
export const Role = z.enum(['admin', 'viewer']);
export type Role = z.infer<typeof Role>;

/** A user name: 1–64 letters, digits, `.`, `_`, `-`. */
export const UserName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1-64 letters, digits, . _ or -');

/** A password people choose: 12 to 1024 characters. */
export const Password = z.string().min(12, 'use at least 12 characters').max(1024);

/** A user as the API shows it (never the hash). */
export interface UserView {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  locked: boolean;
}

/** Returns a new random password for people to type (24 characters, base64url). */
export function makePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Takes the catalog, a name, a role and a password; creates the user. Throws CONFLICT when the name is taken. */
export async function addUser(catalog: Catalog, name: string, role: Role, password: string): Promise<UserView> {
  UserName.parse(name);
  Password.parse(password);
  if (await catalog.user.findUnique({ where: { name } })) {
    throw new ServerError('CONFLICT', `a user named ${name} exists`, {
      hint: 'Pick another name, or change its password.',
    });
  }
  const row = await catalog.user.create({ data: { name, role, passwordHash: await hashPassword(password) } });
  return viewOf(row);
}

/** Takes the catalog, a name and a new password; sets it, ends the user's sessions, lifts a lockout. Throws NOT_FOUND-like INVALID_INPUT. */
export async function setPassword(catalog: Catalog, name: string, password: string): Promise<void> {
  Password.parse(password);
  const row = await requireUser(catalog, name);
  await catalog.$transaction([
    catalog.user.update({
      where: { id: row.id },
      data: { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null },
    }),
    catalog.session.deleteMany({ where: { userId: row.id } }),
  ]);
}

/** Takes the catalog and a name; removes the user and its sessions. Refuses to remove the last admin. */
export async function removeUser(catalog: Catalog, name: string): Promise<void> {
  const row = await requireUser(catalog, name);
  if (row.role === 'admin' && (await catalog.user.count({ where: { role: 'admin' } })) === 1) {
    throw new ServerError('CONFLICT', `${name} is the last admin`, { hint: 'Add another admin first.' });
  }
  await catalog.user.delete({ where: { id: row.id } });
}

/** Takes the catalog; returns every user. */
export async function listUsers(catalog: Catalog): Promise<UserView[]> {
  return (await catalog.user.findMany({ orderBy: { name: 'asc' } })).map(viewOf);
}

async function requireUser(catalog: Catalog, name: string) {
  const row = await catalog.user.findUnique({ where: { name } });
  if (!row)
    throw new ServerError('INVALID_INPUT', `there is no user named ${name}`, {
      hint: 'List users with `vrs-server user list`.',
    });
  return row;
}

function viewOf(row: { id: string; name: string; role: string; createdAt: Date; lockedUntil: Date | null }): UserView {
  return {
    id: row.id,
    name: row.name,
    role: Role.parse(row.role),
    createdAt: row.createdAt.toISOString(),
    locked: row.lockedUntil !== null && row.lockedUntil > new Date(),
  };
}
