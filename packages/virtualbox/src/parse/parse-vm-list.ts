/** A VM as `list vms` / `list runningvms` print it. */
export interface VmListEntry {
  name: string;
  uuid: string;
}

/**
 * Takes `list vms` output; returns its entries. Names are printed without escaping, so a name may hold
 * quotes: the UUID in braces at the end of the line is what delimits it (`"<inaccessible>"` for broken VMs).
 */
export function parseVmList(text: string): VmListEntry[] {
  const out: VmListEntry[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const match = /^"(.*)" \{([0-9a-fA-F-]{36})\}$/.exec(line.trim());
    if (match) out.push({ name: match[1] as string, uuid: (match[2] as string).toLowerCase() });
  }
  return out;
}
