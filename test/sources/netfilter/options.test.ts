import { asapScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { conntrackDump } from '../../../src/sources/netfilter/conntrackDump.js';
import { conntrackEvents } from '../../../src/sources/netfilter/conntrackEvents.js';
import { nflog } from '../../../src/sources/netfilter/nflog.js';
import { nfqueue } from '../../../src/sources/netfilter/nfqueue.js';

// Every option is checked when the source is called, never later in a subscription.
const bad: { name: string; call: () => unknown; message: RegExp }[] = [
  {
    name: 'nflog without options',
    call: () => nflog(undefined as never),
    message: /^nflog: options must be an object/,
  },
  {
    name: 'nflog group missing',
    call: () => nflog({} as never),
    message: /^nflog: options.group must be/,
  },
  { name: 'nflog group 65536', call: () => nflog({ group: 65536 }), message: /options.group/ },
  {
    name: 'nflog bufferSize 0xffffffff',
    call: () => nflog({ group: 1, bufferSize: 0xffffffff }),
    message: /^nflog: options.bufferSize must be an integer in \[1, 131072\]/,
  },
  {
    name: 'nflog bufferSize NaN',
    call: () => nflog({ group: 1, bufferSize: Number.NaN }),
    message: /options.bufferSize/,
  },
  {
    name: 'nflog threshold -1',
    call: () => nflog({ group: 1, threshold: -1 }),
    message: /options.threshold/,
  },
  {
    name: 'nflog copyRange 1.5',
    call: () => nflog({ group: 1, copyRange: 1.5 }),
    message: /options.copyRange/,
  },
  {
    name: 'nflog receiveBufferSize 2^31',
    call: () => nflog({ group: 1, receiveBufferSize: 2 ** 31 }),
    message: /options.receiveBufferSize/,
  },
  {
    name: 'nflog bindFamilies [256]',
    call: () => nflog({ group: 1, bindFamilies: [256] }),
    message: /options.bindFamilies/,
  },
  {
    name: 'nflog open 5',
    call: () => nflog({ group: 1, open: 5 as never }),
    message: /^nflog: options.open must be a function, got 5$/,
  },
  {
    name: 'nfqueue queue missing',
    call: () => nfqueue({} as never),
    message: /^nfqueue: options.queue must be/,
  },
  {
    name: 'nfqueue scheduler {}',
    call: () => nfqueue({ queue: 1, scheduler: {} as never }),
    message: /^nfqueue: options.scheduler must be an rxjs scheduler/,
  },
  {
    name: 'nfqueue copyRange 65536',
    call: () => nfqueue({ queue: 1, copyRange: 65536 }),
    message: /options.copyRange/,
  },
  {
    name: 'nfqueue maxLength -1',
    call: () => nfqueue({ queue: 1, maxLength: -1 }),
    message: /options.maxLength/,
  },
  {
    name: 'nfqueue open null',
    call: () => nfqueue({ queue: 1, open: null as never }),
    message: /options.open/,
  },
  {
    name: 'conntrackDump family 256',
    call: () => conntrackDump({ family: 256 }),
    message: /^conntrackDump: options.family/,
  },
  {
    name: 'conntrackDump open "x"',
    call: () => conntrackDump({ open: 'x' as never }),
    message: /^conntrackDump: options.open/,
  },
  {
    name: 'conntrackEvents options 5',
    call: () => conntrackEvents(5 as never),
    message: /^conntrackEvents: options must be an object/,
  },
  {
    name: 'conntrackEvents receiveBufferSize -1',
    call: () => conntrackEvents({ receiveBufferSize: -1 }),
    message: /^conntrackEvents: options.receiveBufferSize/,
  },
];

describe('netfilter source options', () => {
  it.each(bad)('$name: TypeError at call time', ({ call, message }) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it.each([
    { name: 'nflog', call: () => nflog({ group: 1, bufferSize: 131072, threshold: 1 }) },
    { name: 'nfqueue', call: () => nfqueue({ queue: 1, scheduler: asapScheduler }) },
    { name: 'conntrackDump', call: () => conntrackDump({ family: 2 }) },
    { name: 'conntrackEvents', call: () => conntrackEvents({}) },
  ])('$name: good options build a cold source', ({ call }) => {
    expect(call()).toBeDefined();
  });
});
