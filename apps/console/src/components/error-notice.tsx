import { describeError } from '../api/describe-error.js';

/** Shows a failed call: the server's message, what to do next (its hint), and the domain code. Nothing when no error. */
export function ErrorNotice({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (!error) return null;
  const { code, message, hint } = describeError(error);
  return (
    <div className="error" role="alert">
      <div>
        <code className="error-code">{code}</code> <span className="error-message">{message}</span>
      </div>
      <div className="error-hint">{hint}</div>
      {onDismiss ? (
        <button type="button" className="link-button" onClick={onDismiss}>
          dismiss
        </button>
      ) : null}
    </div>
  );
}
