import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION,
  ERROR_CODE_LIST,
  emptyProgress,
  hintFor,
  isErrorCode,
  Job,
  RetentionPolicy,
  Snapshot,
  toTrpcCode,
  Vm,
} from '../src/index.js';

const TRPC_V11_CODES = new Set([
  'PARSE_ERROR',
  'BAD_REQUEST',
  'INTERNAL_SERVER_ERROR',
  'NOT_IMPLEMENTED',
  'BAD_GATEWAY',
  'SERVICE_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
  'UNAUTHORIZED',
  'PAYMENT_REQUIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_SUPPORTED',
  'TIMEOUT',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNPROCESSABLE_CONTENT',
  'TOO_MANY_REQUESTS',
  'CLIENT_CLOSED_REQUEST',
]);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('error codes', () => {
  it('map every domain code to a tRPC v11 code and a hint', () => {
    for (const code of ERROR_CODE_LIST) {
      expect(TRPC_V11_CODES.has(toTrpcCode(code)), code).toBe(true);
      expect(hintFor(code).length, code).toBeGreaterThan(10);
    }
    expect(isErrorCode('VM_NOT_FOUND')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});

describe('schemas', () => {
  it('accept the seed retention and refuse a keep-within borg would not take', () => {
    expect(RetentionPolicy.parse({ id: uuid(1), ...DEFAULT_RETENTION })).toMatchObject({
      keepWithin: '2H',
      hourly: 8,
      daily: 7,
      weekly: 3,
    });
    expect(RetentionPolicy.safeParse({ id: uuid(1), ...DEFAULT_RETENTION, keepWithin: '2 hours' }).success).toBe(false);
  });

  it('refuse VM names with control characters and report every bad field at once', () => {
    const result = Vm.safeParse({
      uuid: 'nope',
      hostId: uuid(1),
      name: 'a\nb',
      state: 'flying',
      configFile: '',
      disks: [],
      policyId: null,
      lastSnapshotAt: null,
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['uuid', 'name', 'state', 'configFile']));
  });

  it('accept a job and a snapshot as the server will send them', () => {
    const job = Job.parse({
      id: uuid(2),
      kind: 'snapshot',
      state: 'running',
      hostId: uuid(3),
      vmUuid: uuid(4),
      snapshotId: null,
      progress: emptyProgress('hashing'),
      error: null,
      attempts: 1,
      createdAt: '2026-11-28T04:00:00.000Z',
      startedAt: '2026-11-28T04:00:01.000Z',
      finishedAt: null,
    });
    expect(job.progress.phase).toBe('hashing');
    const snapshot = Snapshot.safeParse({
      id: uuid(5),
      archive: `vm-${uuid(4)}-20261128T040000Z`,
      vmUuid: uuid(4),
      hostId: uuid(3),
      label: 'before upgrade',
      createdAt: '2026-11-28T04:00:00.000Z',
      consistency: 'crash',
      captureMethod: 'reflink',
      pinned: false,
      disks: [{ uuid: uuid(6), fileSize: 1, changedBytes: 0 }],
      stats: null,
    });
    expect(snapshot.success).toBe(true);
    expect(Snapshot.shape.archive.safeParse('vm-../../etc-20261128T040000Z').success).toBe(false);
  });
});
