import { Link } from '../router/link.js';

/** A path the console has no page for. */
export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="card">
      <h1>No such page</h1>
      <p>
        The console has no page at <code>{path}</code>. Go to the <Link to="/">dashboard</Link>.
      </p>
    </div>
  );
}
