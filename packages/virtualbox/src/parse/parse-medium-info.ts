/** One medium as `showmediuminfo` / `list hdds` print it (reference §1.4). */
export interface MediumInfo {
  uuid: string;
  parentUuid: string | null;
  state: string;
  type: string;
  location: string;
  format: string;
  variant: string | null;
  capacityMiB: number | null;
  sizeOnDiskMiB: number | null;
  childUuids: string[];
  inUseBy: string[];
}

/**
 * Takes `showmediuminfo` or `list [-l] hdds` output; returns each medium. Labels are 16 columns wide;
 * continuation lines (more children, more VMs) are indented 16 spaces; a blank line separates media.
 */
export function parseMediumInfo(text: string): MediumInfo[] {
  const media: MediumInfo[] = [];
  let current: MediumInfo | null = null;
  let lastLabel = '';
  for (const raw of text.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.replace(/^ {0,2}(?=\S)/, '');
    if (line.trim() === '') {
      lastLabel = '';
      continue;
    }
    const labelled = /^([A-Za-z][A-Za-z ]*?):\s+(.*)$/.exec(line);
    const continuation = /^\s{4,}(\S.*)$/.exec(raw);
    if (!labelled && continuation && current) {
      if (lastLabel === 'Child UUIDs') current.childUuids.push(continuation[1] as string);
      if (lastLabel === 'In use by VMs') current.inUseBy.push(continuation[1] as string);
      continue;
    }
    if (!labelled) continue;
    const [, label, value] = labelled as unknown as [string, string, string];
    lastLabel = label;
    if (label === 'UUID') {
      current = {
        uuid: value.toLowerCase(),
        parentUuid: null,
        state: '',
        type: '',
        location: '',
        format: '',
        variant: null,
        capacityMiB: null,
        sizeOnDiskMiB: null,
        childUuids: [],
        inUseBy: [],
      };
      media.push(current);
      continue;
    }
    if (!current) continue;
    if (label === 'Parent UUID') current.parentUuid = value === 'base' ? null : value.toLowerCase();
    else if (label === 'State') current.state = value;
    else if (label === 'Type') current.type = value;
    else if (label === 'Location') current.location = value;
    else if (label === 'Storage format') current.format = value;
    else if (label === 'Format variant') current.variant = value;
    else if (label === 'Capacity') current.capacityMiB = Number.parseInt(value, 10);
    else if (label === 'Size on disk') current.sizeOnDiskMiB = Number.parseInt(value, 10);
    else if (label === 'Child UUIDs') current.childUuids.push(value);
    else if (label === 'In use by VMs') current.inUseBy.push(value);
  }
  return media;
}
