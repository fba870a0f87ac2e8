import { describe, expect, it } from 'vitest';
import { parsePruneListLine } from '../src/index.js';

const ID = 'a31d732fb177b7b153c72d8059acbcf1a0d70fcf9c061f6a124c64cfc70e1d48';

// Recorded from borg 1.2.4 `prune --list` (as text on stderr, or as the message of borg.output.list with --log-json).
const RECORDED = {
  keepSecondly: `Keeping archive (rule: secondly #1):     snap-2                               Sat, 2026-11-28 04:15:39 [${ID}]`,
  keepDaily: `Keeping archive (rule: daily #1):        snap-2                               Sat, 2026-11-28 04:15:39 [${ID}]`,
  keepWithin: `Keeping archive (rule: within #2):       snap-1                               Sat, 2026-11-28 04:15:35 [${ID}]`,
  wouldPrune: `Would prune:                             snap-1                               Sat, 2026-11-28 04:15:35 [${ID}]`,
  pruning: `Pruning archive (1/2):                   snap-1                               Sat, 2026-11-28 04:15:35 [${ID}]`,
  checkpoint: `Keeping checkpoint archive:              vm.checkpoint                        Sat, 2026-11-28 04:15:35 [${ID}]`,
};

describe('parsePruneListLine', () => {
  it('reads a kept archive with its rule', () => {
    expect(parsePruneListLine(RECORDED.keepSecondly)).toEqual({ action: 'keep', name: 'snap-2' });
    expect(parsePruneListLine(RECORDED.keepDaily)).toEqual({ action: 'keep', name: 'snap-2' });
    expect(parsePruneListLine(RECORDED.keepWithin)).toEqual({ action: 'keep', name: 'snap-1' });
  });

  it('reads a dry run "Would prune" as prune', () => {
    expect(parsePruneListLine(RECORDED.wouldPrune)).toEqual({ action: 'prune', name: 'snap-1' });
  });

  it('reads "Pruning archive (n/m)" as prune', () => {
    expect(parsePruneListLine(RECORDED.pruning)).toEqual({ action: 'prune', name: 'snap-1' });
  });

  it('reads a kept checkpoint archive as keep', () => {
    expect(parsePruneListLine(RECORDED.checkpoint)).toEqual({ action: 'keep', name: 'vm.checkpoint' });
  });

  it('keeps spaces inside a name and a name longer than its column', () => {
    const long = 'vm with spaces 2026-11-28T04:15:35 and then some more';
    expect(
      parsePruneListLine(`Would prune:                             ${long} Sat, 2026-11-28 04:15:35 [${ID}]`),
    ).toEqual({
      action: 'prune',
      name: long,
    });
  });

  it('ignores any other line', () => {
    expect(parsePruneListLine('Pruning archives  50%')).toBeUndefined();
    expect(parsePruneListLine('')).toBeUndefined();
  });
});
