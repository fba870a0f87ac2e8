// What the guest sees of a capture: the double's guest writer appends one line to its writer.log after every
// completed write, so the longest gap between lines while a capture runs is the longest time the guest could not
// write (pause, savestate downtime, a snapshot switch or merge that holds the writer), to within one poll and
// one write interval. The log is polled every few milliseconds from this process.
import { statSync } from 'node:fs';

/**
 * Takes the writer.log path and a poll interval in ms; starts watching. Returns { mark(), gapsSince(mark),
 * stop() }: `gapsSince` returns { longestMs, writes } for the writes seen after the mark.
 */
export function watchGuestWrites(file, pollMs = 2) {
  const arrivals = [];
  let size = -1;
  const poll = () => {
    let now;
    try {
      now = statSync(file).size;
    } catch {
      return;
    }
    if (now !== size) {
      if (size >= 0 && now > size) arrivals.push(performance.now());
      size = now;
    }
  };
  const timer = setInterval(poll, pollMs);
  return {
    mark: () => performance.now(),
    /** Takes a mark (and optionally an end mark); returns the longest gap between writes after it, and how many. */
    gapsSince(from, to = performance.now()) {
      const seen = arrivals.filter((t) => t >= from && t <= to);
      let longest = seen.length ? seen[0] - from : to - from;
      for (let i = 1; i < seen.length; i++) longest = Math.max(longest, seen[i] - seen[i - 1]);
      if (seen.length) longest = Math.max(longest, to - seen.at(-1));
      return { longestMs: longest, writes: seen.length };
    },
    stop: () => clearInterval(timer),
  };
}
