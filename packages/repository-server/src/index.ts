export * from './jobs/serial-queue.js';
export * from './mirror/commit-record.js';
export * from './mirror/mirror-error.js';
export * from './mirror/mirror-layout.js';
export * from './mirror/mirror-store.js';
export * from './mirror/staging-session.js';
