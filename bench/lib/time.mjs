/** Runs an async function; returns [result, seconds]. */
export async function timed(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}
