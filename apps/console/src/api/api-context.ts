import { createContext, useContext } from 'react';
import type { Api } from './make-api.js';

/** The connected tRPC client of the logged-in session. */
export const ApiContext = createContext<Api | null>(null);

/** Returns the tRPC client. Throws outside an ApiContext provider (a programming error). */
export function useApi(): Api['trpc'] {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api.trpc;
}
