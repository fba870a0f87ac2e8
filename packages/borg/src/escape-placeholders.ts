/**
 * Takes text borg would run through its placeholder expansion (`{now}`, `{hostname}`, …: archive locations,
 * `--comment`, `--glob-archives`, rename targets); returns it with braces doubled so borg keeps it literally.
 */
export function escapePlaceholders(text: string): string {
  return text.replace(/[{}]/g, (brace) => brace + brace);
}
