import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as constants from '../../../src/families/rtnetlink/constants.js';

// Every constant must be what the installed uapi headers say: a C program prints each one
// (the struct sizes as sizeof) and the values are compared. Needs a C compiler.

/** nlring's names for struct sizes → the C expression. */
const SIZES: Record<string, string> = {
  IFINFOMSG_SIZE: 'sizeof(struct ifinfomsg)',
  IFADDRMSG_SIZE: 'sizeof(struct ifaddrmsg)',
  RTMSG_SIZE: 'sizeof(struct rtmsg)',
  NDMSG_SIZE: 'sizeof(struct ndmsg)',
  RTNEXTHOP_SIZE: 'sizeof(struct rtnexthop)',
  RTA_CACHEINFO_SIZE: 'sizeof(struct rta_cacheinfo)',
  IFA_CACHEINFO_SIZE: 'sizeof(struct ifa_cacheinfo)',
  NDA_CACHEINFO_SIZE: 'sizeof(struct nda_cacheinfo)',
};

const compiler = (() => {
  for (const cc of ['cc', 'gcc', 'clang']) {
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return cc;
    } catch {
      // try the next one
    }
  }
  return undefined;
})();
if (!compiler) console.warn('constants.test.ts skipped: no C compiler (cc, gcc, clang)');

describe.skipIf(compiler === undefined)('rtnetlink constants', () => {
  it('match the uapi headers, value for value', () => {
    const entries = Object.entries(constants) as Array<[string, number]>;
    expect(entries.length).toBeGreaterThan(400);
    const lines = entries.map(
      ([name]) => `  printf("%s %lld\\n", "${name}", (long long)(${SIZES[name] ?? name}));`,
    );
    const source = [
      '#include <stdio.h>',
      '#include <sys/socket.h>',
      '#include <linux/rtnetlink.h>',
      '#include <linux/if_link.h>',
      '#include <linux/if_addr.h>',
      '#include <linux/neighbour.h>',
      '#include <linux/if_arp.h>',
      '#include <linux/icmpv6.h>',
      '#include <linux/if.h>',
      'int main(void) {',
      ...lines,
      '  return 0;',
      '}',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'nlring-rtnl-constants-'));
    try {
      writeFileSync(join(dir, 'c.c'), source);
      execFileSync(compiler as string, ['-o', join(dir, 'c'), join(dir, 'c.c')], { stdio: 'pipe' });
      const output = execFileSync(join(dir, 'c'), { encoding: 'utf8' });
      const fromHeaders = Object.fromEntries(
        output
          .trim()
          .split('\n')
          .map((line) => line.split(' '))
          .map(([name, value]) => [name, Number(value)]),
      );
      expect(Object.fromEntries(entries)).toEqual(fromHeaders);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
