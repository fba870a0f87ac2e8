import type { DoubleVersion } from './double-env.js';

/** The output differences between the imitated versions (reference/virtualbox.md §1.2, §5.2). */
export interface Dialect {
  version: DoubleVersion;
  /** `--version` output, e.g. `7.0.14r161095`. */
  versionString: string;
  /** 7.0 and later. */
  v7: boolean;
}

const REVISIONS: Record<DoubleVersion, number> = { '7.0.14': 161095, '6.1.50': 161033 };

/** Takes a version string; returns its dialect, or undefined for a version the double does not imitate. */
export function dialectFor(version: string): Dialect | undefined {
  if (version !== '7.0.14' && version !== '6.1.50') return undefined;
  return { version, versionString: `${version}r${REVISIONS[version]}`, v7: version.startsWith('7.') };
}
