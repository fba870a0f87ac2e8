import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics (served at /metrics). Labels carry UUIDs and kinds, never names. */
export class Metrics {
  readonly registry = new Registry();
  readonly jobsFinished = new Counter({
    name: 'vrs_jobs_finished_total',
    help: 'Jobs that reached a final state',
    labelNames: ['kind', 'state'] as const,
    registers: [this.registry],
  });
  readonly jobSeconds = new Histogram({
    name: 'vrs_job_duration_seconds',
    help: 'Wall time of finished jobs, from start to end',
    labelNames: ['kind'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600],
    registers: [this.registry],
  });
  readonly transferBytes = new Counter({
    name: 'vrs_transfer_bytes_total',
    help: 'Bytes of transfer frames received (in) and sent (out)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly hostsOnline = new Gauge({
    name: 'vrs_hosts_online',
    help: 'Hosts connected now',
    registers: [this.registry],
  });
  readonly snapshotAge = new Gauge({
    name: 'vrs_vm_last_snapshot_age_seconds',
    help: 'Age of the last good snapshot of each VM',
    labelNames: ['vm'] as const,
    registers: [this.registry],
  });
  readonly vmLate = new Gauge({
    name: 'vrs_vm_rpo_late',
    help: '1 when the VM last good snapshot is older than its policy RPO',
    labelNames: ['vm'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'vrs_server_' });
  }
}
