import { renderTemplate } from './render-template.js';
import { checkServiceOptions, type ServiceOptions } from './service-options.js';

/** The unit's name. */
export const SYSTEMD_UNIT = 'vrs-agent.service';
/** Where a system unit goes (under the `root` option). */
export const SYSTEMD_UNIT_DIR = '/etc/systemd/system';

/**
 * Takes the service options; returns `infra/systemd/vrs-agent.service` with the user, config directory,
 * node and main paths filled in (each inside the template's double quotes). Throws ServiceError
 * INVALID_INPUT for a value systemd's quoting would change (see `checkServiceOptions`).
 */
export async function renderSystemdUnit(o: ServiceOptions): Promise<string> {
  checkServiceOptions(o, true);
  return renderTemplate(
    'systemd/vrs-agent.service',
    { user: o.user, configDir: o.configDir, node: o.nodePath, main: o.mainPath },
    o.templateDir,
  );
}
