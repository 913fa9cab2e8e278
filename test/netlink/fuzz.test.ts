import { describe, expect, it } from 'vitest';
import { fuzzTarget } from '../../fuzz/run.js';
import { targets } from '../../fuzz/targets.js';

// A small sample of `npm run fuzz` (which runs 10^6 inputs per target): mutations of real
// captures through every target; each input either decodes to a value without garbage or
// fails with a NetlinkError (DecodeError included), and nothing escapes a subscriber.
describe('fuzz targets (sample)', () => {
  it.each(targets.map((target) => ({ name: target.name, target })))(
    '$name: no untyped error, no garbage',
    async ({ target }) => {
      const counts = await fuzzTarget(target, target.count === undefined ? 1500 : 300, 4242);
      expect(counts.examples).toEqual([]);
      expect(counts.untyped + counts.garbage).toBe(0);
      // The sample reaches both outcomes, so it tests something.
      expect(counts.returned).toBeGreaterThan(0);
      expect(counts.typed).toBeGreaterThan(0);
    },
  );
});
