// `nlring ynl` in process, against this kernel's generic netlink controller.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const status = await main(argv, { stdout, stderr });
  return { status, out, err };
}

describe('nlring ynl', () => {
  it('--list names the families with their operations', async () => {
    const { status, out } = await run(['ynl', '--list']);
    expect(status).toBe(0);
    expect(out).toMatch(/^nlctrl \(genetlink-legacy\): getfamily\*/m);
    expect(out).toMatch(/^netdev \(genetlink\): .*dev-get\*/m);
  });

  it('--dump getfamily of nlctrl lists the controller itself, with id 16', async () => {
    const { status, out } = await run([
      'ynl',
      '--family',
      'nlctrl',
      '--dump',
      'getfamily',
      '--json',
    ]);
    expect(status).toBe(0);
    const families = JSON.parse(out) as { 'family-name': string; 'family-id': number }[];
    expect(families.find((f) => f['family-name'] === 'nlctrl')?.['family-id']).toBe(16);
  });

  it('an unknown option is a usage error (status 2)', async () => {
    const { status, err } = await run(['ynl', '--famliy', 'x']);
    expect(status).toBe(2);
    expect(err).toContain('--family');
  });
});
