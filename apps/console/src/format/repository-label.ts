/** Takes a repository and the host names; returns how people call it: `laptop's repository` (else its borg name). */
export function repositoryLabel(
  r: { name: string; hostId: string | null },
  hostName: ReadonlyMap<string, string>,
): string {
  const host = r.hostId ? hostName.get(r.hostId) : undefined;
  return host ? `${host}'s repository` : r.name;
}
