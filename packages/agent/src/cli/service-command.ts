import { Command } from 'commander';

/** `vrs-agent service install|uninstall`: wired to src/service once it lands. */
export function serviceCommand(): Command {
  const service = new Command('service').description('install or remove the agent as a system service');
  return service;
}
