export * from './restore/order-references.js';
export * from './restore/restore-disk.js';
export * from './restore/restore-journal.js';
export * from './snapshot/frames-for-plan.js';
