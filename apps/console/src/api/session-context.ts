import { createContext, useContext } from 'react';

/** Who is logged in, and whether they may change anything (admins; viewers only look). */
export interface UserSession {
  id: string;
  name: string;
  role: 'admin' | 'viewer';
  canChange: boolean;
  logOut(): void;
}

/** The logged-in user. */
export const SessionContext = createContext<UserSession | null>(null);

/** Returns the logged-in user. Throws outside a SessionContext provider (a programming error). */
export function useSession(): UserSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionContext');
  return session;
}
