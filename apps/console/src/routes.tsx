import { AuditPage } from './pages/audit-page.js';
import { DashboardPage } from './pages/dashboard-page.js';
import { HostsPage } from './pages/hosts-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { PoliciesPage } from './pages/policies-page.js';
import { RepositoryPage } from './pages/repository-page.js';
import { UsersPage } from './pages/users-page.js';
import { VmPage } from './pages/vm-page.js';

/** Takes a path; returns the page it shows (`/vms/<uuid>` is a VM's page). */
export function Routes({ path }: { path: string }) {
  const vm = /^\/vms\/([0-9a-fA-F-]{36})$/.exec(path);
  if (vm?.[1]) return <VmPage key={vm[1]} uuid={vm[1]} />;
  switch (path) {
    case '/':
    case '/login':
      return <DashboardPage />;
    case '/jobs':
      return <JobsPage />;
    case '/policies':
      return <PoliciesPage />;
    case '/hosts':
      return <HostsPage />;
    case '/repository':
      return <RepositoryPage />;
    case '/audit':
      return <AuditPage />;
    case '/users':
      return <UsersPage />;
    default:
      return <NotFoundPage path={path} />;
  }
}
