import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/orderflow.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/print-shop.workflow.json', import.meta.url));

function orderflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orderflow-cli-'));
});

// Each test mostly waits for child processes, so they run side by side.
describe.concurrent('orderflow workflow validate', () => {
  it('exits 0 for the print shop example', async () => {
    const result = await orderflow('workflow', 'validate', example);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('valid');
  });

  it('exits 1 and prints each error as path: message', async () => {
    const file = join(dir, 'broken.json');
    const doc = JSON.parse(await readFile(example, 'utf8'));
    doc.stages[0].transitions[0].to = 'nowhere';
    doc.stages[1].timeout.after = 'P2Y';
    await writeFile(file, JSON.stringify(doc));
    const result = await orderflow('workflow', 'validate', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/stages/0/transitions/0/to: no stage has the id "nowhere"');
    expect(result.stderr).toContain('/stages/1/timeout/after: ');
  });

  it('prints warnings but still exits 0 for a valid document', async () => {
    const file = join(dir, 'orphan.json');
    const doc = JSON.parse(await readFile(example, 'utf8'));
    doc.stages.push({ id: 'orphan', transitions: [{ to: 'shipped' }] });
    await writeFile(file, JSON.stringify(doc));
    const result = await orderflow('workflow', 'validate', file);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning /stages/8: "orphan" cannot be reached from the initial stage "quote"',
    );
  });

  it('exits 2 for a missing file, a file that is not JSON, and bad usage', async () => {
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{ "format": ');
    const [missing, bad, unknownCommand, unknownOption] = await Promise.all([
      orderflow('workflow', 'validate', join(dir, 'missing.json')),
      orderflow('workflow', 'validate', notJson),
      orderflow('workflow', 'frobnicate', example),
      orderflow('workflow', 'validate', example, '--colour'),
    ]);
    expect(missing.stderr).toContain('cannot read');
    expect(bad.stderr).toContain('is not JSON');
    expect(unknownCommand.stderr).toContain('unknown command "frobnicate"\nusage:');
    expect(unknownOption.stderr).toContain("Unknown option '--colour'");
    expect([missing.code, bad.code, unknownCommand.code, unknownOption.code]).toEqual([2, 2, 2, 2]);
  });
});

describe.concurrent('orderflow workflow compile', () => {
  it('prints valid ASL using the given table and task function', async () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:task';
    const result = await orderflow(
      'workflow',
      'compile',
      example,
      '--table',
      'orders-prod',
      '--task-arn',
      arn,
    );
    expect(result.code).toBe(0);
    const asl = JSON.parse(result.stdout);
    expect(aslValidator(asl).isValid).toBe(true);
    expect(asl.States['proofing: wait'].Parameters.TableName).toBe('orders-prod');
    expect(asl.States['approved: run actions'].Resource).toBe(arn);
    expect(asl.States['approved: auto'].Default).toBe('approved: wait');
  });
});

describe.concurrent('orderflow workflow diagram', () => {
  it('writes an SVG file with -o and prints Mermaid with --mermaid', async () => {
    const out = join(dir, 'print-shop.svg');
    const [written, mermaid] = await Promise.all([
      orderflow('workflow', 'diagram', example, '-o', out),
      orderflow('workflow', 'diagram', example, '--mermaid'),
    ]);
    expect(written).toMatchObject({ code: 0, stdout: '' });
    const svg = await readFile(out, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('In production');
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid.stdout).toContain('approved -.->|"auto, if condition"| production');
  });
});

describe('orderflow workflow simulate', () => {
  it('prints the path, actions and refusals of a sample order, offline', async () => {
    const order = join(dir, 'order.json');
    const steps = join(dir, 'steps.json');
    await writeFile(
      order,
      JSON.stringify({
        currency: 'GBP',
        customer: { name: 'Ada', email: 'ada@example.com' },
        items: [{ sku: 'A', quantity: 1, unitPrice: 100 }],
      }),
    );
    await writeFile(steps, JSON.stringify([{ to: 'proofing' }, { to: 'approved' }, { wait: 'P14D' }]));
    const result = await orderflow('workflow', 'simulate', example, '--order', order, '--steps', steps);
    expect(result.code).toBe(0);
    const simulation = JSON.parse(result.stdout);
    expect(simulation.path.map((visit: { stage: string }) => visit.stage)).toEqual([
      'quote',
      'proofing',
      'cancelled',
    ]);
    expect(simulation.refused).toMatchObject([{ step: 1, status: 422 }]);
  });

  it('exits 1 naming every problem of a malformed order or step, and 2 without --order', async () => {
    const order = join(dir, 'bad-order.json');
    await writeFile(order, JSON.stringify({ items: 'none' }));
    const steps = join(dir, 'bad-steps.json');
    await writeFile(steps, JSON.stringify([{ go: 'x' }]));
    const result = await orderflow('workflow', 'simulate', example, '--order', order, '--steps', steps);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/order/currency');
    expect(result.stderr).toContain('/steps/0');
    expect((await orderflow('workflow', 'simulate', example)).code).toBe(2);
  });
});
