// Usage: node bench/make-sample-vdi.mjs FILE [MiB allocated] — a 256 MiB VDI with mixed content.
import { makeMixedVdi } from './lib/mixed-vdi.mjs';

const [file, mib = '96'] = process.argv.slice(2);
const written = await makeMixedVdi(file, {
  diskSize: 256 * 1024 * 1024,
  allocated: Number(mib) * 1024 * 1024,
  seed: 7,
});
console.log(`made ${file}: ${written.length} blocks of 1 MiB written by the vrs VDI writer`);
