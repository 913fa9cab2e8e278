import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapabilities } from '../../src/cli/readCapabilities.js';

describe('readCapabilities', () => {
  it.each([
    {
      name: 'root: every capability',
      status: 'Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n',
      effective: '000001ffffffffff',
      netAdmin: true,
      sysAdmin: true,
    },
    {
      name: 'an unprivileged process: none',
      status: 'CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n',
      effective: '0000000000000000',
      netAdmin: false,
      sysAdmin: false,
    },
    {
      name: 'CAP_NET_ADMIN only (bit 12)',
      status: 'CapEff:\t0000000000001000\n',
      effective: '0000000000001000',
      netAdmin: true,
      sysAdmin: false,
    },
    {
      name: 'CAP_SYS_ADMIN only (bit 21)',
      status: 'CapEff:\t0000000000200000\n',
      effective: '0000000000200000',
      netAdmin: false,
      sysAdmin: true,
    },
    {
      name: 'no CapEff line',
      status: 'Name:\tnode\n',
      effective: null,
      netAdmin: false,
      sysAdmin: false,
    },
  ])('$name', ({ status, effective, netAdmin, sysAdmin }) => {
    expect(readCapabilities(status)).toEqual({
      effective,
      held: { CAP_NET_ADMIN: netAdmin, CAP_SYS_ADMIN: sysAdmin },
    });
  });

  it("reads this process's /proc/self/status by default", () => {
    const status = readFileSync('/proc/self/status', 'utf8');
    expect(readCapabilities()).toEqual(readCapabilities(status));
    expect(readCapabilities().effective).toMatch(/^[0-9a-f]{16}$/);
  });
});
