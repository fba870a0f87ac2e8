/** The VBoxManage versions the double can imitate. */
export type DoubleVersion = '7.0.14' | '6.1.50';

/** What the double reads from its environment. */
export interface DoubleEnv {
  /** `VRS_VBOX_DOUBLE_HOME`: where the double keeps VirtualBox.xml, VMs and runtime state. */
  home: string | undefined;
  /** `VRS_VBOX_DOUBLE_VERSION`: `7.0.14` (default) or `6.1.50`. */
  version: string;
}

/** Environment variable naming the double's state directory (required). */
export const DOUBLE_HOME_VAR = 'VRS_VBOX_DOUBLE_HOME';
/** Environment variable choosing the imitated VBoxManage version. */
export const DOUBLE_VERSION_VAR = 'VRS_VBOX_DOUBLE_VERSION';

/** The only place the double reads process.env. Returns the raw settings; main.ts validates them. */
export function readDoubleEnv(env: NodeJS.ProcessEnv = process.env): DoubleEnv {
  return { home: env[DOUBLE_HOME_VAR] || undefined, version: env[DOUBLE_VERSION_VAR] || '7.0.14' };
}
