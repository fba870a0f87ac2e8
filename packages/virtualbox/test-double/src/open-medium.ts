import { resolve } from 'node:path';
import { type ComErrorSource, comError } from './com-error.js';
import type { CommandContext } from './command-context.js';
import { asUuid, type DoubleState, type FoundMedium } from './double-state.js';
import type { MediumNode } from './machine-config.js';
import { probeVdi } from './probe-vdi.js';

/**
 * Takes the context, the state, a medium argument (UUID or path) and the call site; returns the registered
 * medium, or a new registry node for an unregistered base image file (not yet inserted anywhere).
 * Throws `OpenMedium`'s errors: unknown UUID, unreadable file, the same-UUID copy of §1.0.
 */
export async function openMedium(
  ctx: CommandContext,
  state: DoubleState,
  arg: string,
  site: Pick<ComErrorSource, 'context' | 'file' | 'line'>,
): Promise<FoundMedium | { node: MediumNode; fresh: true }> {
  const uuid = asUuid(arg);
  if (uuid) {
    const found = state.findMedium(uuid);
    if (found) return found;
    throw comError(`Could not find an open hard disk with UUID {${uuid}}`, {
      hresult: 'VBOX_E_OBJECT_NOT_FOUND',
      component: 'VirtualBoxWrap',
      iface: 'IVirtualBox',
      ...site,
    });
  }
  const found = state.findMediumByPath(arg);
  if (found) return found;
  const location = resolve(ctx.cwd, arg);
  const probe = await probeVdi(location);
  if (!probe.ok) {
    throw comError(
      `Could not open the medium '${location}'.\nVD: error ${probe.code} opening image file '${location}' (${probe.code})`,
      { hresult: 'VBOX_E_FILE_ERROR', component: 'MediumWrap', iface: 'IMedium', ...site },
    );
  }
  const clash = state.findMedium(probe.header.uuidCreate);
  if (clash) {
    throw comError(
      `Cannot register the hard disk '${location}' {${probe.header.uuidCreate}} because a hard disk '${clash.node.location}' with UUID {${probe.header.uuidCreate}} already exists`,
      { hresult: 'NS_ERROR_INVALID_ARG', component: 'VirtualBoxWrap', iface: 'IVirtualBox', ...site },
    );
  }
  if (probe.header.type === 'diff') {
    throw comError(
      `Parent medium with UUID {${probe.header.uuidLinkage}} of the medium '${location}' is not found in the media registry ('${state.ctx.paths.registry}')`,
      { hresult: 'VBOX_E_OBJECT_NOT_FOUND', component: 'MediumWrap', iface: 'IMedium', ...site },
    );
  }
  return {
    node: { uuid: probe.header.uuidCreate, location, format: 'VDI', type: 'Normal', children: [] },
    fresh: true,
  };
}
