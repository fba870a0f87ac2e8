/** Guest OS type ids and the descriptions `showvminfo` prints as `ostype` (a common subset). */
const OS_TYPES: Record<string, string> = {
  Other: 'Other/Unknown',
  Other_64: 'Other/Unknown (64-bit)',
  Linux: 'Other Linux (32-bit)',
  Linux_64: 'Other Linux (64-bit)',
  Linux26: 'Linux 2.6 / 3.x / 4.x / 5.x (32-bit)',
  Linux26_64: 'Linux 2.6 / 3.x / 4.x / 5.x (64-bit)',
  ArchLinux_64: 'Arch Linux (64-bit)',
  Debian: 'Debian (32-bit)',
  Debian_64: 'Debian (64-bit)',
  Debian12_64: 'Debian 12 Bookworm (64-bit)',
  Fedora_64: 'Fedora (64-bit)',
  RedHat_64: 'Red Hat (64-bit)',
  Ubuntu: 'Ubuntu (32-bit)',
  Ubuntu_64: 'Ubuntu (64-bit)',
  Ubuntu22_LTS_64: 'Ubuntu 22.04 LTS (Jammy Jellyfish) (64-bit)',
  Windows10_64: 'Windows 10 (64-bit)',
  Windows11_64: 'Windows 11 (64-bit)',
  Windows2019_64: 'Windows 2019 (64-bit)',
  FreeBSD_64: 'FreeBSD (64-bit)',
};

/** Takes an OS type id; returns its description, or the id itself when the double does not know it. */
export function osTypeDescription(id: string): string {
  return OS_TYPES[id] ?? id;
}
