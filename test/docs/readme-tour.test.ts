import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The README's `sh tour` blocks, in order: the tour exactly as a reader runs it. */
function tourScript(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```sh tour\n([\s\S]*?)^```$/gm)].map((match) => match[1]).join('\n');
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('the README tour', () => {
  it('runs as written against a fresh stack, from the first order to its shipment', async () => {
    const script = tourScript();
    expect(script).toContain('npm start &');
    const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-tour-'));
    try {
      const port = await freePort();
      // Only the teardown is added: the stack the tour started stops with it.
      const child = spawn('bash', ['-euo', 'pipefail', '-c', `${script}\nkill %1\nwait`], {
        cwd: root,
        env: { ...process.env, PORT: String(port), ORDERFLOW_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, output).toBe(0);
      expect(output).toMatch(/^ord_[0-9A-Z]{26}$/m);
      expect(output).toContain('"supplier":"paperco"');
      expect(output).toContain('/requires/shipment');
      expect(output).toMatch(/"stage":"shipped"/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
