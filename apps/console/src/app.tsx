import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiContext } from './api/api-context.js';
import type { Session } from './api/api-types.js';
import { logOut } from './api/cookie-session.js';
import { makeApi } from './api/make-api.js';
import { SessionContext, type UserSession } from './api/session-context.js';
import { ErrorNotice } from './components/error-notice.js';
import { NavBar } from './components/nav-bar.js';
import { LoginPage } from './pages/login-page.js';
import { navigate } from './router/navigate.js';
import { usePath } from './router/use-path.js';
import { Routes } from './routes.js';

/**
 * The console: asks the server who the page's cookie belongs to, shows the login page to nobody, and the
 * pages to a user. Logging in or out opens a new socket, since the server names the caller once per socket.
 */
export function App() {
  const [api, setApi] = useState(makeApi);
  const [who, setWho] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);
  const path = usePath();

  useEffect(() => {
    let live = true;
    api.trpc.auth.whoami.query().then(
      (w) => live && setWho(w),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const reconnect = useCallback(() => {
    api.close();
    setWho(null);
    setError(null);
    setApi(makeApi());
  }, [api]);

  const session = useMemo<UserSession | null>(() => {
    if (who?.kind !== 'user') return null;
    const role = who.role === 'admin' ? 'admin' : 'viewer';
    return {
      id: who.id,
      name: who.name,
      role,
      canChange: role === 'admin',
      logOut: () => {
        logOut()
          .catch(setError)
          .finally(() => {
            navigate('/login');
            reconnect();
          });
      },
    };
  }, [who, reconnect]);

  if (!who) {
    return (
      <main className="centered">{error ? <ErrorNotice error={error} /> : <p className="muted">Connecting…</p>}</main>
    );
  }
  if (!session) {
    const loggedIn = () => {
      navigate(path === '/login' ? '/' : path);
      reconnect();
    };
    return <LoginPage onLoggedIn={loggedIn} />;
  }
  return (
    <ApiContext.Provider value={api}>
      <SessionContext.Provider value={session}>
        <NavBar path={path} />
        <main className="page">
          <ErrorNotice error={error} onDismiss={() => setError(null)} />
          <Routes path={path} />
        </main>
      </SessionContext.Provider>
    </ApiContext.Provider>
  );
}
