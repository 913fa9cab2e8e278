// Argument checks of the generic netlink sources and of `nlring ynl`, at call time, with no
// socket opened; the kernel paths run in test/e2e/genl*.test.ts.
import { describe, expect, it } from 'vitest';
import { spec as netdevSpec } from '../../src/families/ynl/netdev.js';
import { spec as rtLinkSpec } from '../../src/families/ynl/rt-link.js';
import { genlDump, genlMonitor, genlRequest, resolveGenlFamily } from '../../src/sources/genl.js';
import { ynl } from '../../src/sources/ynl.js';
import { ynlCommand } from '../../src/sources/ynlCommand.js';

describe('generic netlink sources check their arguments at call time', () => {
  it.each([
    {
      name: 'no family',
      call: () => genlRequest({ family: '', command: 1 }),
      message: /genlRequest: options\.family/,
    },
    {
      name: 'long family',
      call: () => genlDump({ family: 'x'.repeat(16), command: 1 }),
      message: /genlDump: options\.family/,
    },
    {
      name: 'bad command',
      call: () => genlRequest({ family: 'nlctrl', command: 256 }),
      message: /options\.command/,
    },
    {
      name: 'no groups',
      call: () => genlMonitor({ family: 'nlctrl', groups: [] }),
      message: /genlMonitor: options\.groups/,
    },
    { name: 'bad name', call: () => resolveGenlFamily(''), message: /resolveGenlFamily: name/ },
    {
      name: 'monitor of a raw family',
      call: () => ynl(rtLinkSpec).monitor(['rtnlgrp-link']),
      message: /ynl: spec must be a generic netlink spec for monitor/,
    },
    {
      name: 'raw family of another protocol',
      call: () => ynl({ ...rtLinkSpec, protonum: 4 }),
      message: /ynl: spec must be a netlink-raw spec of NETLINK_ROUTE \(0\) or NETLINK_NETFILTER/,
    },
    {
      name: 'unknown op',
      call: () => ynl(netdevSpec).dump('nope'),
      message: /ynl\.dump: operation must be one of dev-get/,
    },
    {
      name: 'unknown attribute',
      call: () => ynl(netdevSpec).do('dev-get', { nope: 1 }),
      message: /ynl\.do: args\.nope/,
    },
  ])('$name', ({ call, message }) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});

describe('nlring ynl', () => {
  it.each([
    {
      name: '--list',
      argv: ['--list'],
      code: 0,
      text: /^nlctrl \(genetlink-legacy\): getfamily\* getpolicy\*$/m,
    },
    { name: '--list --json', argv: ['--list', '--json'], code: 0, text: /"name": "wireguard"/ },
    { name: 'usage', argv: ['--family', 'netdev'], code: 2, text: /^usage: nlring ynl/ },
    {
      name: 'unknown family',
      argv: ['--family', 'nope', '--do', 'x'],
      code: 1,
      text: /no family nope/,
    },
  ])('$name', async ({ argv, code, text }) => {
    let written = '';
    expect(await ynlCommand(argv, { write: (t) => (written += t) })).toBe(code);
    expect(written).toMatch(text);
  });
});
