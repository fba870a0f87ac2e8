import { HttpError } from './describe-error.js';

/**
 * Takes a user name and password; POSTs them to `/auth/login`, which sets the HttpOnly session cookie.
 * Returns the name and role. Throws HttpError with the server's code, message and hint.
 */
export async function logIn(name: string, password: string): Promise<{ name: string; role: string }> {
  const res = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, string>;
  if (!res.ok) {
    throw new HttpError(
      body.code ?? `HTTP_${res.status}`,
      body.message ?? `login failed (HTTP ${res.status})`,
      body.hint ?? 'Check the name and password.',
    );
  }
  return { name: body.name ?? name, role: body.role ?? 'viewer' };
}

/** Ends the session on the server and clears the cookie. Throws HttpError when the server refuses. */
export async function logOut(): Promise<void> {
  const res = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
  if (!res.ok) throw new HttpError(`HTTP_${res.status}`, 'logging out failed', 'Reload the page and try again.');
}
