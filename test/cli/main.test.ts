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

  it('exits 1 and prints every error where it stands (file:line:column), in document order', async () => {
    const file = join(dir, 'broken.json');
    const doc = JSON.parse(await readFile(example, 'utf8'));
    doc.stages[1].timeout.after = 'P2Y';
    doc.stages[0].transitions[0].to = 'nowhere';
    doc.stages[0].editable = 'yes';
    await writeFile(file, JSON.stringify(doc, null, 2));
    const result = await orderflow('workflow', 'validate', file);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    const positions = lines.map((line) => {
      const [, lineNo, column] = /^[^:]+:(\d+):(\d+): /.exec(line) ?? [];
      return Number(lineNo) * 10_000 + Number(column);
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const text = await readFile(file, 'utf8');
    const lineOf = (needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
    expect(lines).toContain(
      `${file}:${lineOf('"editable": "yes"')}:19: editable must be true or false. (/stages/0/editable)`,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${file}:${lineOf('"nowhere"')}:\\d+: no stage has the id "nowhere". \\(/stages/0/transitions/0/to\\)$`,
        ),
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/: .*\(\/stages\/1\/timeout\/after\)$/));
    expect(result.stderr).not.toMatch(/Invalid (input|option)/);
  });

  it('prints warnings but still exits 0 for a valid document', async () => {
    const file = join(dir, 'orphan.json');
    const doc = JSON.parse(await readFile(example, 'utf8'));
    doc.stages.push({ id: 'orphan', transitions: [{ to: 'shipped' }] });
    await writeFile(file, JSON.stringify(doc));
    const result = await orderflow('workflow', 'validate', file);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /: warning: "orphan" cannot be reached from the initial stage "quote"\. \(\/stages\/8\)\n$/,
    );
  });

  it('exits 1 with one clear line for a missing file and for a file that is not JSON', async () => {
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{\n  "format": "orderflow.workflow/v1",,\n}');
    const [missing, bad] = await Promise.all([
      orderflow('workflow', 'validate', join(dir, 'missing.json')),
      orderflow('workflow', 'validate', notJson),
    ]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(`${join(dir, 'missing.json')}: cannot be read: there is no such file.\n`);
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toBe(
      `${notJson}:2:37: this is not valid JSON: expected a field name in double quotes but found ",".\n`,
    );
  });

  it('exits 2 with the usage for bad usage, and answers --version', async () => {
    const [unknownCommand, unknownOption, version] = await Promise.all([
      orderflow('workflow', 'frobnicate', example),
      orderflow('workflow', 'validate', example, '--colour'),
      orderflow('--version'),
    ]);
    expect(unknownCommand.stderr).toContain('unknown command "frobnicate"\nusage:');
    expect(unknownOption.stderr).toContain("Unknown option '--colour'");
    expect([unknownCommand.code, unknownOption.code]).toEqual([2, 2]);
    const { version: packageVersion } = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    );
    expect(version).toEqual({ code: 0, stdout: `orderflow ${packageVersion}\n`, stderr: '' });
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
    const [written, mermaid, inEuros, badCurrency] = await Promise.all([
      orderflow('workflow', 'diagram', example, '-o', out),
      orderflow('workflow', 'diagram', example, '--mermaid'),
      orderflow('workflow', 'diagram', example, '--mermaid', '--currency', 'EUR'),
      orderflow('workflow', 'diagram', example, '--currency', 'euro'),
    ]);
    expect(written).toMatchObject({ code: 0, stdout: `wrote ${out}\n` });
    const svg = await readFile(out, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('In production');
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^---\ntitle: "Print shop"\n---\nflowchart LR\n/);
    expect(mermaid.stdout).toContain(
      'approved -.->|"auto if total under 500.00 and backordered lines is 0"| production',
    );
    expect(inEuros.stdout).toContain('"auto if total under €500.00 and backordered lines is 0"');
    expect(badCurrency).toMatchObject({ code: 1, stdout: '' });
    expect(badCurrency.stderr).toContain('--currency euro: not an ISO-4217 code such as GBP.');
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
