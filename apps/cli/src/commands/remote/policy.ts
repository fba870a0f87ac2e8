import { DEFAULT_RETENTION, VrsError } from '@vrs/protocol';
import { EXIT } from '../../exit-codes.js';
import { call } from '../../remote/open-api.js';
import { resolveVm } from '../../remote/resolve.js';
import { withApi } from './listings.js';
import { print } from './output.js';

/** The retention flags of `vrs policy set`. */
export interface PolicyFlags {
  policy?: string;
  schedule?: string;
  keepWithin?: string;
  hourly?: string;
  daily?: string;
  weekly?: string;
  monthly?: string;
  yearly?: string;
  rpo?: string;
  json?: boolean;
}

/** `vrs policy show VM`: the VM's schedule, retention and RPO. */
export function runPolicyShow(vmRef: string, o: { json?: boolean }): Promise<number> {
  return withApi(async (c) => {
    const vm = await resolveVm(c, vmRef);
    const policies = await call(c.api.policies.list.query());
    const policy = policies.find((p) => p.id === vm.policyId) ?? policies.find((p) => p.name === 'default');
    print(o.json, { vm: vm.name, policy }, () =>
      policy
        ? `${vm.name}: policy ${policy.name}${vm.policyId ? '' : ' (the default)'}\n  schedule     ${policy.schedule}\n  keep within  ${policy.keepWithin ?? '-'}\n  keep         ${policy.hourly} hourly, ${policy.daily} daily, ${policy.weekly} weekly, ${policy.monthly} monthly, ${policy.yearly} yearly\n  RPO          ${policy.rpoMinutes} min\n`
        : `${vm.name}: no policy\n`,
    );
    return EXIT.ok;
  });
}

/**
 * `vrs policy set VM [--policy NAME] [--schedule CRON] [--keep-within 2H] [--hourly N] … [--rpo MIN]`: gives the
 * VM a named policy, or with retention flags its own policy (`vm:<name>`), starting from what applies now.
 */
export function runPolicySet(vmRef: string, o: PolicyFlags): Promise<number> {
  return withApi(async (c) => {
    const vm = await resolveVm(c, vmRef);
    const policies = await call(c.api.policies.list.query());
    const flags = [o.schedule, o.keepWithin, o.hourly, o.daily, o.weekly, o.monthly, o.yearly, o.rpo].some(
      (v) => v !== undefined,
    );
    if (o.policy) {
      const named = policies.find((p) => p.name === o.policy);
      if (!named)
        throw new VrsError('INVALID_INPUT', `there is no policy named ${o.policy}`, {
          hint: 'Create it in the console, or set retention flags instead.',
        });
      await call(c.api.vms.setPolicy.mutate({ uuid: vm.uuid, policyId: named.id }));
      if (!flags) {
        print(o.json, named, () => `${vm.name} now follows ${named.name}\n`);
        return EXIT.ok;
      }
    }
    if (!flags)
      throw new VrsError('INVALID_INPUT', 'give --policy NAME or at least one retention flag', {
        hint: 'See `vrs policy set --help`.',
      });
    const current = policies.find((p) => p.id === vm.policyId) ?? policies.find((p) => p.name === 'default');
    const base = current ?? { ...DEFAULT_RETENTION, id: '' };
    const count = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
    const own = `vm:${vm.name}`.slice(0, 200);
    const body = {
      name: own,
      schedule: o.schedule ?? base.schedule,
      keepWithin: o.keepWithin === undefined ? base.keepWithin : o.keepWithin === 'none' ? null : o.keepWithin,
      hourly: count(o.hourly, base.hourly),
      daily: count(o.daily, base.daily),
      weekly: count(o.weekly, base.weekly),
      monthly: count(o.monthly, base.monthly),
      yearly: count(o.yearly, base.yearly),
      rpoMinutes: count(o.rpo, base.rpoMinutes),
    };
    const existing = policies.find((p) => p.name === own);
    const saved = existing
      ? await call(c.api.policies.update.mutate({ id: existing.id, ...body }))
      : await call(c.api.policies.create.mutate(body));
    await call(c.api.vms.setPolicy.mutate({ uuid: vm.uuid, policyId: saved.id }));
    print(
      o.json,
      saved,
      () =>
        `${vm.name} now follows ${saved.name}: ${saved.schedule}, keep within ${saved.keepWithin ?? '-'}, ${saved.hourly}h/${saved.daily}d/${saved.weekly}w/${saved.monthly}m/${saved.yearly}y\n`,
    );
    return EXIT.ok;
  });
}
