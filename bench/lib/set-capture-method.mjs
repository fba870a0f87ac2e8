// `node bench/lib/set-capture-method.mjs VM-UUID METHOD|auto`: sets the capture method a VM's snapshots use, as
// the admin that `vrs login` (VRS_CLI_CONFIG) logged in; the CLI has no command for it (the console does).
// It uses the CLI's own connection code, so it speaks to the server exactly as `vrs` does.
import { call, openApi } from '../../apps/cli/dist/remote/open-api.js';

const [uuid, method] = process.argv.slice(2);
if (!uuid || !method) throw new Error('usage: set-capture-method.mjs VM-UUID METHOD|auto');
const c = await openApi();
try {
  await call(c.api.vms.setCaptureMethod.mutate({ uuid, method: method === 'auto' ? null : method }));
} finally {
  await c.close();
}
