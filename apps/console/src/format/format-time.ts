const pad = (n: number) => String(n).padStart(2, '0');

/** Takes an ISO timestamp; returns it in local time as `YYYY-MM-DD HH:MM:SS` (null: `–`). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
