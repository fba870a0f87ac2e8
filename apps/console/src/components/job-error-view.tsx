import type { Job } from '../api/api-types.js';

/** Shows why a job failed: its code, message and what to do next. */
export function JobErrorView({ error }: { error: NonNullable<Job['error']> }) {
  return (
    <div className="error job-error" role="alert">
      <div>
        <code className="error-code">{error.code}</code> <span className="error-message">{error.message}</span>
      </div>
      <div className="error-hint">{error.hint}</div>
    </div>
  );
}
