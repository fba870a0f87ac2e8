/** The block engine's module type. */
export type BlockEngine = typeof import('@vrs/block-engine');

let loading: Promise<BlockEngine> | undefined;

/**
 * Returns `@vrs/block-engine`, loaded on first use. Loading it pulls in zod through `@vrs/protocol`
 * (about 130 ms), which commands that never open an image (controlvm, showvminfo, …) should not pay.
 */
export function blockEngine(): Promise<BlockEngine> {
  loading ??= import('@vrs/block-engine');
  return loading;
}
