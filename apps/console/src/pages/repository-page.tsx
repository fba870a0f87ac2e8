import { CheckResults } from '../components/check-results.js';
import { ErrorNotice } from '../components/error-notice.js';
import { RepositoryActions } from '../components/repository-actions.js';
import { RepositorySummary } from '../components/repository-summary.js';
import { Section } from '../components/section.js';
import { repositoryLabel } from '../format/repository-label.js';
import { useQuery } from '../hooks/use-query.js';

/** The borg repositories: current usage and dedup, storage over time, check results, and check/compact for admins. */
export function RepositoryPage() {
  const stats = useQuery((api) => api.repository.stats.query(), []);
  const checks = useQuery((api) => api.repository.checks.query({ limit: 30 }), []);
  const hosts = useQuery((api) => api.hosts.list.query(), []);
  const hostName = new Map((hosts.data ?? []).map((h) => [h.id, h.name]));
  const reload = () => {
    stats.reload();
    checks.reload();
  };
  return (
    <>
      <h1>Repository</h1>
      <Section title="Usage now">
        <ErrorNotice error={stats.error} />
        {stats.data ? (
          <RepositorySummary stats={stats.data} hosts={hosts.data ?? []} />
        ) : (
          <p className="muted">Asking borg…</p>
        )}
        {(stats.data?.repositories ?? []).map((r) => (
          <RepositoryActions key={r.id} repository={r} label={repositoryLabel(r, hostName)} onFinished={reload} />
        ))}
      </Section>
      <Section title="Storage over time">
        <p data-storage-history="none">
          History not recorded yet: the server reports only the current figures (above), and keeps no history of them.
        </p>
      </Section>
      <Section title="borg check results">
        <ErrorNotice error={checks.error} />
        {checks.data ? (
          <CheckResults
            checks={checks.data}
            label={(id) => {
              const r = stats.data?.repositories.find((x) => x.id === id);
              return r ? repositoryLabel(r, hostName) : id;
            }}
          />
        ) : null}
      </Section>
    </>
  );
}
