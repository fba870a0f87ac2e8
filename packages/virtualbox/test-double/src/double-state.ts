import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { comError } from './com-error.js';
import type { CommandContext } from './command-context.js';
import { runtimeDir } from './double-paths.js';
import { settingsTime } from './format-time.js';
import { type GlobalRegistry, readGlobalRegistry, writeGlobalRegistry } from './global-registry.js';
import type { MachineConfig, MediumNode } from './machine-config.js';
import type { MachineStateName } from './machine-state.js';
import { findMediumPlace, type MediumPlace } from './media-tree.js';
import { parseVboxXml } from './parse-vbox-xml.js';
import { refreshRuntime } from './refresh-runtime.js';
import { type RuntimeState, readRuntimeState, writeRuntimeState } from './runtime-state.js';
import { saveSettingsFile } from './save-settings-file.js';
import { writeVboxXml } from './write-vbox-xml.js';

/** A registered machine as the double sees it. `config` is undefined when the `.vbox` is unreadable. */
export interface LoadedMachine {
  uuid: string;
  src: string;
  config?: MachineConfig;
  runtime: RuntimeState;
  runtimeDir: string;
}

/** A registered machine whose settings could be read. */
export type AccessibleMachine = LoadedMachine & { config: MachineConfig };

/** Where a failing `FindMachine` call sits in VBoxManage's source (for the Context line). */
export interface FindSite {
  context: string;
  file: string;
  line: number;
}

/** The usual `FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())` call site. */
export const FIND_MACHINE_ARGV0 = (file: string, line: number): FindSite => ({
  context: 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())',
  file,
  line,
});

/** A medium found in some registry: the global one (`owner` undefined) or a machine's. */
export interface FoundMedium extends MediumPlace {
  owner?: AccessibleMachine;
}

const UUID_RE = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

/** Takes text; returns the bare lower-case UUID when it is one (with or without braces), else undefined. */
export function asUuid(text: string): string | undefined {
  return UUID_RE.test(text) ? text.replace(/^\{|\}$/g, '').toLowerCase() : undefined;
}

/**
 * The double's VBoxSVC: the global registry, every registered machine's settings and runtime state,
 * loaded fresh by each VBoxManage invocation under the state lock and saved back by the command.
 */
export class DoubleState {
  private constructor(
    readonly ctx: CommandContext,
    readonly registry: GlobalRegistry,
    readonly machines: LoadedMachine[],
  ) {}

  /** Takes the command context; loads everything, notices VM processes that died, and returns the state. */
  static async load(ctx: CommandContext): Promise<DoubleState> {
    const registry = await readGlobalRegistry(ctx.paths);
    const machines: LoadedMachine[] = [];
    for (const entry of registry.machines) {
      const config = await readFile(entry.src, 'utf8')
        .then((xml) => parseVboxXml(xml, entry.src))
        .catch(() => undefined);
      const stored = await readRuntimeState(ctx.home, entry.uuid);
      const machine: LoadedMachine = {
        uuid: entry.uuid,
        src: entry.src,
        ...(config ? { config } : {}),
        runtime: stored ?? initialRuntime(config),
        runtimeDir: runtimeDir(ctx.home, entry.uuid),
      };
      machines.push(machine);
    }
    const state = new DoubleState(ctx, registry, machines);
    for (const m of machines)
      if (m.config && (await refreshRuntime(m as AccessibleMachine))) await state.saveMachine(m as AccessibleMachine);
    return state;
  }

  /**
   * Takes a VM name or UUID and the call site; returns the machine. Throws the `FindMachine` error:
   * `Could not find a registered machine named '%s'` or `… with UUID {%s}` (VBOX_E_OBJECT_NOT_FOUND).
   */
  findMachine(nameOrUuid: string, site: FindSite): AccessibleMachine {
    const uuid = asUuid(nameOrUuid);
    const found = uuid
      ? this.machines.find((m) => m.uuid === uuid)
      : this.machines.find((m) => m.config?.name === nameOrUuid);
    if (found?.config) return found as AccessibleMachine;
    const message = uuid
      ? `Could not find a registered machine with UUID {${uuid}}`
      : `Could not find a registered machine named '${nameOrUuid}'`;
    throw comError(message, {
      hresult: 'VBOX_E_OBJECT_NOT_FOUND',
      component: 'VirtualBoxWrap',
      iface: 'IVirtualBox',
      ...site,
    });
  }

  /** Returns the accessible machines. */
  accessible(): AccessibleMachine[] {
    return this.machines.filter((m): m is AccessibleMachine => m.config !== undefined);
  }

  /** Returns each media registry: the global one first, then each machine's. */
  registries(): { roots: MediumNode[]; owner?: AccessibleMachine }[] {
    return [{ roots: this.registry.media }, ...this.accessible().map((m) => ({ roots: m.config.media, owner: m }))];
  }

  /** Takes a medium UUID; returns where it is registered, or undefined. */
  findMedium(uuid: string): FoundMedium | undefined {
    for (const { roots, owner } of this.registries()) {
      const place = findMediumPlace(roots, uuid);
      if (place) return { ...place, ...(owner ? { owner } : {}) };
    }
    return undefined;
  }

  /** Takes a path (relative to the cwd allowed); returns the registered medium at that location, or undefined. */
  findMediumByPath(path: string): FoundMedium | undefined {
    const location = resolve(this.ctx.cwd, path);
    for (const { roots, owner } of this.registries()) {
      for (const place of walk(roots))
        if (place.node.location === location) return { ...place, ...(owner ? { owner } : {}) };
    }
    return undefined;
  }

  /** Takes a machine and a state; sets it, with the change time now, in the runtime and the settings. */
  setState(machine: AccessibleMachine, state: MachineStateName, atMs = Date.now()): void {
    machine.runtime.state = state;
    machine.runtime.stateChangeMs = atMs;
    machine.config.lastStateChange = settingsTime(atMs);
  }

  /** Takes a machine; writes its `.vbox` (atomically) and its runtime state. */
  async saveMachine(machine: AccessibleMachine): Promise<void> {
    await saveSettingsFile(machine.config.settingsFile, writeVboxXml(machine.config, this.ctx.dialect));
    await this.saveRuntime(machine);
  }

  /** Takes a machine; writes its runtime state only. */
  async saveRuntime(machine: LoadedMachine): Promise<void> {
    await writeRuntimeState(this.ctx.home, machine.uuid, machine.runtime);
  }

  /** Writes `VirtualBox.xml`. */
  async saveRegistry(): Promise<void> {
    await writeGlobalRegistry(this.ctx.paths, this.registry, this.ctx.dialect);
  }

  /** Takes a machine; forgets its runtime state file (after unregistering). */
  async dropRuntime(machine: LoadedMachine): Promise<void> {
    await rm(`${machine.runtimeDir}/state.json`, { force: true });
  }
}

function* walk(roots: MediumNode[], parent?: MediumNode): Generator<MediumPlace> {
  for (const node of roots) {
    yield { node, container: roots, ...(parent ? { parent } : {}) };
    yield* walk(node.children, node);
  }
}

function initialRuntime(config: MachineConfig | undefined): RuntimeState {
  const ms = config ? Date.parse(config.lastStateChange) || Date.now() : Date.now();
  let state: MachineStateName = 'poweroff';
  if (config?.stateFile) state = config.aborted ? 'aborted-saved' : 'saved';
  else if (config?.aborted) state = 'aborted';
  return { state, stateChangeMs: ms };
}
