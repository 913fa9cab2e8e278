import { describe, expect, it } from 'vitest';
import { AF_INET } from '../../../src/families/rtnetlink/constants.js';
import { routeDumpRequest } from '../../../src/families/rtnetlink/routeDumpRequest.js';

// biome-ignore format: byte literals four per line
const allTables = Uint8Array.from([
  0x1c, 0x00, 0x00, 0x00, // nlmsg_len 28
  0x1a, 0x00, 0x01, 0x03, // RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x00, // rtmsg: AF_UNSPEC, dst_len 0, src_len 0, tos 0
  0x00, 0x00, 0x00, 0x00, // table 0 (all), protocol 0 (all), scope 0, type 0
  0x00, 0x00, 0x00, 0x00, // rtm_flags
]);

// biome-ignore format: byte literals four per line
const mainStaticOfIfindex2 = Uint8Array.from([
  0x2c, 0x00, 0x00, 0x00, // nlmsg_len 44
  0x1a, 0x00, 0x01, 0x03, // RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP
  0x03, 0x00, 0x00, 0x00, // seq 3
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x00, 0x00, 0x00, // rtmsg: AF_INET
  0xfe, 0x04, 0x00, 0x00, // table main, protocol static, scope 0, type 0
  0x00, 0x00, 0x00, 0x00, // rtm_flags
  0x08, 0x00, 0x0f, 0x00, // RTA_TABLE
  0xfe, 0x00, 0x00, 0x00, // 254
  0x08, 0x00, 0x04, 0x00, // RTA_OIF
  0x02, 0x00, 0x00, 0x00, // 2
]);

// biome-ignore format: byte literals four per line
const table1000 = Uint8Array.from([
  0x24, 0x00, 0x00, 0x00, // nlmsg_len 36
  0x1a, 0x00, 0x01, 0x03, // RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x00, // rtmsg: AF_UNSPEC
  0x00, 0x00, 0x00, 0x00, // rtm_table 0: the id does not fit, RTA_TABLE carries it
  0x00, 0x00, 0x00, 0x00, // rtm_flags
  0x08, 0x00, 0x0f, 0x00, // RTA_TABLE
  0xe8, 0x03, 0x00, 0x00, // 1000
]);

describe('routeDumpRequest', () => {
  it.each([
    { name: 'a dump of every table', options: undefined, bytes: allTables },
    {
      name: 'a filtered dump (names)',
      options: { family: AF_INET, table: 'main', protocol: 'static', ifindex: 2, seq: 3 },
      bytes: mainStaticOfIfindex2,
    },
    {
      name: 'a filtered dump (numbers)',
      options: { family: AF_INET, table: 254, protocol: 4, ifindex: 2, seq: 3 },
      bytes: mainStaticOfIfindex2,
    },
    { name: 'a table id above 255', options: { table: 1000 }, bytes: table1000 },
    { name: 'a table id as a decimal string', options: { table: '1000' }, bytes: table1000 },
  ])('writes $name', ({ options, bytes }) => {
    expect(routeDumpRequest(options)).toEqual(bytes);
  });

  it.each([
    { name: 'options.table', options: { table: 'nope' } },
    { name: 'options.table', options: { table: 2 ** 32 } },
    { name: 'options.protocol', options: { protocol: 'ospf6' } },
    { name: 'options.ifindex', options: { ifindex: -2 } },
  ])('throws a TypeError naming $name', ({ name, options }) => {
    const build = () =>
      routeDumpRequest(options as unknown as Parameters<typeof routeDumpRequest>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(`routeDumpRequest: ${name} must be`);
  });
});
