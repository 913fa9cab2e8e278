import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../../src/cli/commandLine.js';
import { describeError } from '../../src/cli/describeError.js';
import { DumpInterruptedError, errnos, NetlinkError } from '../../src/index.js';

describe('describeError', () => {
  it.each([
    {
      name: 'a usage error with the synopsis',
      error: new UsageError("unknown option '--x'", 'links'),
      context: { command: 'links', synopsis: 'nlring links [--json]' },
      message: "nlring links: unknown option '--x' (usage: nlring links [--json])",
      status: 2,
    },
    {
      name: 'a usage error of a command without its synopsis',
      error: new UsageError("unknown option '--x'", 'links'),
      context: { command: 'links' },
      message: "nlring links: unknown option '--x' (nlring help links)",
      status: 2,
    },
    {
      name: 'a usage error of nlring itself',
      error: new UsageError("unknown command 'frobnicate'"),
      context: {},
      message: "nlring: unknown command 'frobnicate' (nlring --help)",
      status: 2,
    },
    {
      name: 'an error already worded',
      error: new CliError('the benchmarks are not built'),
      context: { command: 'bench' },
      message: 'nlring bench: the benchmarks are not built',
      status: 1,
    },
    {
      name: 'an unknown namespace',
      error: new NetlinkError({ op: 'netns', errno: errnos.ENOENT, detail: 'opening …' }),
      context: { command: 'routes', netns: 'blue' },
      message: "nlring routes: no network namespace 'blue' (ip netns list)",
      status: 1,
    },
    {
      name: 'a namespace this user may not enter',
      error: new NetlinkError({ op: 'netns', errno: errnos.EPERM }),
      context: { command: 'links', netns: 'blue' },
      message:
        "nlring links: entering network namespace 'blue' needs CAP_SYS_ADMIN (run it with sudo)",
      status: 1,
    },
    {
      name: 'EPERM from the kernel: the command’s privilege',
      error: new NetlinkError({ op: 'request', errno: errnos.EPERM }),
      context: { command: 'nflog', privilege: 'CAP_NET_ADMIN' },
      message:
        'nlring nflog: permission denied (EPERM from request): needs CAP_NET_ADMIN: run it with sudo, give node the capability (sudo setcap cap_net_admin+ep "$(command -v node)"), or work in a network namespace of your own (unshare -rn)',
      status: 1,
    },
    {
      name: 'EPERM with the privilege held: the kernel’s words',
      error: new NetlinkError({ op: 'request', errno: errnos.EPERM, detail: 'binding group 7' }),
      context: { command: 'nflog', held: ['CAP_NET_ADMIN', 'CAP_SYS_ADMIN'] },
      message: `nlring nflog: ${new NetlinkError({ op: 'request', errno: errnos.EPERM, detail: 'binding group 7' }).message} (refused although CAP_NET_ADMIN is held)`,
      status: 1,
    },
    {
      name: 'EPERM with another privilege held',
      error: new NetlinkError({ op: 'request', errno: errnos.EPERM }),
      context: { command: 'nflog', held: ['CAP_SYS_ADMIN'] },
      message:
        'nlring nflog: permission denied (EPERM from request): needs CAP_NET_ADMIN: run it with sudo, give node the capability (sudo setcap cap_net_admin+ep "$(command -v node)"), or work in a network namespace of your own (unshare -rn)',
      status: 1,
    },
    {
      name: 'EACCES defaults to CAP_NET_ADMIN',
      error: new NetlinkError({ op: 'bind', errno: errnos.EACCES }),
      context: { command: 'monitor' },
      message:
        'nlring monitor: permission denied (EACCES from bind): needs CAP_NET_ADMIN: run it with sudo, give node the capability (sudo setcap cap_net_admin+ep "$(command -v node)"), or work in a network namespace of your own (unshare -rn)',
      status: 1,
    },
    {
      name: 'a missing netlink protocol',
      error: new NetlinkError({
        op: 'socket',
        errno: errnos.EPROTONOSUPPORT,
        detail: 'protocol 12',
      }),
      context: { command: 'conntrack' },
      message:
        'nlring conntrack: this kernel lacks the netlink protocol (protocol 12): is its module loaded?',
      status: 1,
    },
    {
      name: 'another NetlinkError keeps its errno and meaning',
      error: new DumpInterruptedError(3, 2),
      context: { command: 'routes' },
      message: `nlring routes: ${new DumpInterruptedError(3, 2).message}`,
      status: 1,
    },
    {
      name: 'a plain error',
      error: new Error('boom'),
      context: { command: 'info' },
      message: 'nlring info: boom',
      status: 1,
    },
    {
      name: 'a thrown string',
      error: 'odd',
      context: {},
      message: 'nlring: odd',
      status: 1,
    },
  ])('$name', ({ error, context, message, status }) => {
    expect(describeError(error, context)).toEqual({ message, status });
  });

  it('keeps the kernel’s extended-ack text', () => {
    const error = new NetlinkError({ op: 'request', errno: errnos.EINVAL, extack: 'bad table' });
    expect(describeError(error, { command: 'routes' }).message).toContain('kernel says: bad table');
  });
});
