// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON report.
// Exits non-zero when the report is missing, a test failed, or no test ran.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.work/test-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`tests: 0 passed, 1 failed (no vitest report at ${file}: ${error.message})`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A file that failed outside its tests (an import, a beforeAll) counts once; its suites do not count again.
const filesFailedOutsideTests = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + filesFailedOutsideTests;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
