import type { AccessibleMachine, DoubleState } from './double-state.js';
import { attachedDiskUuids, chainUuids } from './medium-usage.js';
import { probeVdi } from './probe-vdi.js';

/**
 * Takes the state and a machine; opens every image of every attached disk chain the way
 * `Medium::i_queryInfo` does and returns the first error text (reference §1.0: unreadable file, image UUID
 * not the registry's, differencing parent UUID not the registry parent's), or undefined when all open.
 */
export async function checkAttachedMedia(state: DoubleState, machine: AccessibleMachine): Promise<string | undefined> {
  for (const leaf of attachedDiskUuids(machine.config.hardware)) {
    for (const uuid of chainUuids(state, leaf)) {
      const found = state.findMedium(uuid);
      if (!found) continue;
      const { node, parent } = found;
      const registry = found.owner?.config.settingsFile ?? state.ctx.paths.registry;
      const probe = await probeVdi(node.location);
      if (!probe.ok)
        return `Could not open the medium '${node.location}'.\nVD: error ${probe.code} opening image file '${node.location}' (${probe.code})`;
      if (probe.header.uuidCreate !== node.uuid)
        return `UUID {${probe.header.uuidCreate}} of the medium '${node.location}' does not match the value {${node.uuid}} stored in the media registry ('${registry}')`;
      if (parent && probe.header.uuidLinkage !== parent.uuid)
        return `Parent UUID {${probe.header.uuidLinkage}} of the medium '${node.location}' does not match UUID {${parent.uuid}} of its parent medium stored in the media registry ('${registry}')`;
    }
  }
  return undefined;
}
