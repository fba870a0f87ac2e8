import { join } from 'node:path';
import { renderTemplate } from './render-template.js';
import { checkServiceOptions, type ServiceOptions } from './service-options.js';

/** The job's label, also the plist's name. */
export const LAUNCHD_LABEL = 'org.vrs.agent';
/** Where a daemon's plist goes (under the `root` option). */
export const LAUNCHD_DIR = '/Library/LaunchDaemons';

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Takes the service options and the log file (default `vrs-agent.log` in the config directory, which the
 * user owns); returns `infra/launchd/org.vrs.agent.plist` filled in, every value XML-escaped. Throws
 * ServiceError INVALID_INPUT (see `checkServiceOptions`).
 */
export async function renderLaunchdPlist(o: ServiceOptions & { logFile?: string }): Promise<string> {
  checkServiceOptions(o, false);
  return renderTemplate(
    'launchd/org.vrs.agent.plist',
    {
      user: xml(o.user),
      node: xml(o.nodePath),
      main: xml(o.mainPath),
      configDir: xml(o.configDir),
      logFile: xml(o.logFile ?? join(o.configDir, 'vrs-agent.log')),
    },
    o.templateDir,
  );
}
