import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/cli/output.js';

describe('formatTable', () => {
  it.each([
    {
      name: 'pads every column to its widest cell, two spaces apart',
      header: ['NAME', 'KIND'],
      rows: [
        ['lo', 'loopback'],
        ['eth0', 'ether'],
      ],
      numeric: [],
      text: 'NAME  KIND\nlo    loopback\neth0  ether\n',
    },
    {
      name: 'right-aligns numeric columns, header included',
      header: ['NAME', 'MTU'],
      rows: [
        ['lo', '65536'],
        ['eth0', '1500'],
      ],
      numeric: ['MTU'],
      text: 'NAME    MTU\nlo    65536\neth0   1500\n',
    },
    {
      name: 'prints an empty or missing cell as -',
      header: ['DST', 'GATEWAY', 'DEV'],
      rows: [['default', '', 'eth0'], ['10.0.0.0/8']],
      numeric: [],
      text: 'DST         GATEWAY  DEV\ndefault     -        eth0\n10.0.0.0/8  -        -\n',
    },
    {
      name: 'prints the header alone when there are no rows',
      header: ['A', 'B'],
      rows: [],
      numeric: [],
      text: 'A  B\n',
    },
    {
      name: 'measures cells in characters, not UTF-16 units',
      header: ['X', 'Y'],
      rows: [['😀', 'a']],
      numeric: [],
      text: 'X  Y\n😀  a\n',
    },
  ])('$name', ({ header, rows, numeric, text }) => {
    expect(formatTable(header, rows, numeric)).toBe(text);
  });
});
