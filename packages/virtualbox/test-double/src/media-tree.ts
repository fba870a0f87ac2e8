import type { MediumNode } from './machine-config.js';

/** Where a medium sits in a registry: the node, its parent (none for a base) and the array holding it. */
export interface MediumPlace {
  node: MediumNode;
  parent?: MediumNode;
  container: MediumNode[];
}

/** Takes registry roots; returns every medium, each parent before its children (depth first). */
export function listMedia(roots: MediumNode[]): MediumPlace[] {
  const out: MediumPlace[] = [];
  const walk = (container: MediumNode[], parent?: MediumNode) => {
    for (const node of container) {
      out.push({ node, container, ...(parent ? { parent } : {}) });
      walk(node.children, node);
    }
  };
  walk(roots);
  return out;
}

/** Takes registry roots and a medium UUID; returns where it sits, or undefined. */
export function findMediumPlace(roots: MediumNode[], uuid: string): MediumPlace | undefined {
  return listMedia(roots).find((p) => p.node.uuid === uuid);
}

/** Takes registry roots and a medium UUID; returns the chain from that medium to its base (leaf first). */
export function chainToBase(roots: MediumNode[], uuid: string): MediumNode[] {
  const chain: MediumNode[] = [];
  let place = findMediumPlace(roots, uuid);
  while (place) {
    chain.push(place.node);
    place = place.parent ? findMediumPlace(roots, place.parent.uuid) : undefined;
  }
  return chain;
}
