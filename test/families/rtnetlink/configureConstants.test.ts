import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as constants from '../../../src/families/rtnetlink/configureConstants.js';

// Every constant must be what the installed uapi headers say: a C program prints each one
// (the struct sizes as sizeof) and the values are compared. Needs a C compiler.

/** nlring's names for struct sizes → the C expression. */
const SIZES: Record<string, string> = {
  FIB_RULE_HDR_SIZE: 'sizeof(struct fib_rule_hdr)',
  NHMSG_SIZE: 'sizeof(struct nhmsg)',
  NEXTHOP_GRP_SIZE: 'sizeof(struct nexthop_grp)',
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
if (!compiler) console.warn('configureConstants.test.ts skipped: no C compiler (cc, gcc, clang)');

describe.skipIf(compiler === undefined)('configure constants', () => {
  it('match the uapi headers, value for value', () => {
    const entries = Object.entries(constants) as Array<[string, number]>;
    expect(entries.length).toBeGreaterThan(70);
    const lines = entries.map(
      ([name]) => `  printf("%s %lld\\n", "${name}", (long long)(${SIZES[name] ?? name}));`,
    );
    const source = [
      '#include <stdio.h>',
      '#include <sys/socket.h>',
      '#include <linux/rtnetlink.h>',
      '#include <linux/fib_rules.h>',
      '#include <linux/nexthop.h>',
      '#include <linux/veth.h>',
      '#include <linux/if_link.h>',
      '#include <linux/netconf.h>',
      '#include <linux/net_namespace.h>',
      '#include <linux/lwtunnel.h>',
      '#include <linux/seg6_iptunnel.h>',
      '#include <linux/ipv6.h>',
      'int main(void) {',
      ...lines,
      '  return 0;',
      '}',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'nlring-configure-constants-'));
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
