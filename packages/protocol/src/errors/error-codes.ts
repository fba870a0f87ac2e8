/**
 * Domain error codes shared by every vrs process, with the tRPC code each maps to and a hint that tells
 * a user what to do next. The CLI and the console show `message` followed by `hint`.
 */
export const ERROR_CODES = {
  INVALID_INPUT: { trpc: 'BAD_REQUEST', hint: 'Check the command or request against its documented form.' },
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', hint: 'Log in again, or re-enroll the host.' },
  FORBIDDEN: { trpc: 'FORBIDDEN', hint: 'Ask an admin for the role this action needs.' },
  FORBIDDEN_HOST: { trpc: 'FORBIDDEN', hint: 'A host may act only on its own VMs and may never delete.' },
  RATE_LIMITED: { trpc: 'TOO_MANY_REQUESTS', hint: 'Wait a minute, then try again.' },
  TOKEN_EXPIRED: { trpc: 'UNAUTHORIZED', hint: 'Create a new enrollment token on the server.' },
  TOKEN_USED: { trpc: 'UNAUTHORIZED', hint: 'Enrollment tokens work once: create a new one on the server.' },
  HOST_OFFLINE: { trpc: 'PRECONDITION_FAILED', hint: 'Start vrs-agent on the host; queued jobs run when it connects.' },
  VM_NOT_FOUND: { trpc: 'NOT_FOUND', hint: 'List the VMs with `vrs vms` and use a name or UUID from it.' },
  VM_RUNNING: { trpc: 'PRECONDITION_FAILED', hint: 'Power the VM off first, or pass --power-off.' },
  VM_LOCKED: { trpc: 'CONFLICT', hint: 'Another VirtualBox session holds the VM; close it and try again.' },
  INVALID_VM_STATE: { trpc: 'PRECONDITION_FAILED', hint: 'Wait until the VM leaves its transient state, then retry.' },
  MEDIUM_LOCKED: { trpc: 'CONFLICT', hint: 'Another task holds the disk image; wait for it to finish.' },
  SNAPSHOT_NOT_FOUND: { trpc: 'NOT_FOUND', hint: 'List snapshots with `vrs snapshots VM` and use an id from it.' },
  GUEST_EXEC_FAILED: {
    trpc: 'PRECONDITION_FAILED',
    hint: 'Check the Guest Additions and the quiesce hook credentials.',
  },
  VBOX_UNAVAILABLE: {
    trpc: 'PRECONDITION_FAILED',
    hint: 'Install VirtualBox 6.1 or newer (7.x preferred), or set its VBoxManage path.',
  },
  VBOXMANAGE_FAILED: { trpc: 'INTERNAL_SERVER_ERROR', hint: 'See the VBoxManage output kept in the error details.' },
  CAPTURE_FAILED: { trpc: 'INTERNAL_SERVER_ERROR', hint: 'The VM was left as it was; see the details, then retry.' },
  IMAGE_UNREADABLE: { trpc: 'PRECONDITION_FAILED', hint: 'Check that the file exists and is readable.' },
  IMAGE_CORRUPT: { trpc: 'PRECONDITION_FAILED', hint: 'The image header is damaged: run `qemu-img check` on it.' },
  IMAGE_TRUNCATED: {
    trpc: 'PRECONDITION_FAILED',
    hint: 'The image is shorter than its header says: it may be incomplete.',
  },
  MANIFEST_INVALID: { trpc: 'BAD_REQUEST', hint: 'The manifest is damaged or from an unknown version.' },
  FRAME_TRUNCATED: { trpc: 'BAD_REQUEST', hint: 'The transfer was cut; it resumes from the last verified block.' },
  FRAME_MALFORMED: { trpc: 'BAD_REQUEST', hint: 'The peer sent a frame vrs cannot read: check both versions.' },
  FRAME_TOO_LARGE: { trpc: 'PAYLOAD_TOO_LARGE', hint: 'The frame exceeds the size limit of the receiver.' },
  MIRROR_INCOMPLETE: {
    trpc: 'PRECONDITION_FAILED',
    hint: 'Some blocks never arrived: the agent sends them again on retry.',
  },
  BLOCK_HASH_MISMATCH: { trpc: 'UNPROCESSABLE_CONTENT', hint: 'A block was damaged in transit; it is sent again.' },
  REPO_NOT_FOUND: { trpc: 'NOT_FOUND', hint: 'The borg repository is missing: check the server data directory.' },
  REPO_LOCKED: { trpc: 'CONFLICT', hint: 'Another borg operation holds the repository; the job retries.' },
  REPO_PASSPHRASE_WRONG: {
    trpc: 'PRECONDITION_FAILED',
    hint: 'The passphrase file does not open the borg repository: restore the right file (mode 0600).',
  },
  BORG_FAILED: { trpc: 'INTERNAL_SERVER_ERROR', hint: 'See the borg output kept in the error details.' },
  BORG_VERSION: { trpc: 'PRECONDITION_FAILED', hint: 'Install borgbackup 1.2 or newer on the server.' },
  DISK_FULL: { trpc: 'SERVICE_UNAVAILABLE', hint: 'Free space on the target disk, or prune old snapshots.' },
  JOB_NOT_FOUND: { trpc: 'NOT_FOUND', hint: 'List jobs with `vrs jobs`.' },
  JOB_CANCELLED: { trpc: 'CONFLICT', hint: 'The job was cancelled; start it again if needed.' },
  CONFLICT: { trpc: 'CONFLICT', hint: 'The object changed meanwhile: reload and try again.' },
  INTERNAL: { trpc: 'INTERNAL_SERVER_ERROR', hint: 'This is a bug in vrs: the server log has the details.' },
} as const satisfies Record<string, { trpc: TrpcErrorCode; hint: string }>;

/** The tRPC v11 error codes our table maps to (a subset of `TRPC_ERROR_CODES_BY_KEY`). */
export type TrpcErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNPROCESSABLE_CONTENT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR'
  | 'SERVICE_UNAVAILABLE';

/** One of the domain error codes, e.g. `VM_NOT_FOUND`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every domain error code, in table order. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** Takes a domain code; returns the tRPC code a server must answer with. */
export function toTrpcCode(code: ErrorCode): TrpcErrorCode {
  return ERROR_CODES[code].trpc;
}

/** Takes a domain code; returns the sentence telling a user what to do next. */
export function hintFor(code: ErrorCode): string {
  return ERROR_CODES[code].hint;
}

/** Takes anything; returns whether it is a known domain error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
