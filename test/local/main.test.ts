import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { javaRunning, useNpmStart } from '../support/npm-start.js';

const start = useNpmStart();

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

/** Whether any process listens on this TCP port of the machine. */
const listening = (port: string) => {
  const hex = Number(port).toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .some(
        (line) => line.trim().split(/\s+/)[1]?.endsWith(`:${hex}`) && line.trim().split(/\s+/)[3] === '0A',
      ),
  );
};

/** A data folder with fixed keys: the stack started in it keeps the demo tenant and its orders. */
async function inDataFolder(
  run: (context: {
    dataDir: string;
    env: Record<string, string>;
    headers: Record<string, string>;
    createOrder: (url: string, body: unknown) => Promise<string>;
  }) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-data-'));
  const headers = { authorization: 'Bearer demo-key-1', 'content-type': 'application/json' };
  const createOrder = async (url: string, body: unknown) => {
    const created = await fetch(`${url}/v1/orders`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    return ((await created.json()) as { id: string }).id;
  };
  try {
    const env = {
      ORDERFLOW_DATA_DIR: dataDir,
      ORDERFLOW_ADMIN_KEY: 'admin-1',
      ORDERFLOW_DEMO_API_KEY: 'demo-key-1',
    };
    await run({ dataDir, env, headers, createOrder });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe('npm start', () => {
  it('prints the listening line and keys, serves the API, and stops everything on SIGTERM', async () => {
    const stack = await start(['--in-memory'], { ORDERFLOW_ADMIN_KEY: '', ORDERFLOW_DEMO_API_KEY: '' });
    expect(stack.output()).toMatch(/admin key \(ORDERFLOW_ADMIN_KEY\): \S+/);
    const demoKey = /demo tenant key \(ORDERFLOW_DEMO_API_KEY\): (\S+)/.exec(stack.output())?.[1];
    expect(demoKey).toBeDefined();
    const health = await fetch(`${stack.url}/health`);
    expect(health.status).toBe(200);
    const orders = await fetch(`${stack.url}/v1/orders`, { headers: { authorization: `Bearer ${demoKey}` } });
    expect(orders.status).toBe(200);
    expect(javaRunning(stack.dynamoPort)).toBe(true);

    stack.child.kill('SIGTERM');
    expect(await exited(stack.child)).toBe(0);
    expect(await eventually(() => !javaRunning(stack.dynamoPort))).toBe(true);
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops every process it started when ${signal} reaches the pid of npm start itself`, async () => {
      const stack = await start(['--in-memory'], {}, 'npm');
      expect(javaRunning(stack.dynamoPort)).toBe(true);
      const apiPort = new URL(stack.url).port;
      expect(listening(apiPort)).toBe(true);

      process.kill(stack.child.pid as number, signal);
      await exited(stack.child);
      expect(await eventually(() => !listening(apiPort) && !javaRunning(stack.dynamoPort))).toBe(true);
    }, 90_000);
  }

  it('stops every process it started when npm start itself is killed hard', async () => {
    const stack = await start(['--in-memory'], {}, 'npm');
    const apiPort = new URL(stack.url).port;
    stack.child.kill('SIGKILL');
    await exited(stack.child);
    expect(await eventually(() => !listening(apiPort) && !javaRunning(stack.dynamoPort))).toBe(true);
  }, 90_000);

  it('leaves no Java process behind when it is killed hard', async () => {
    const stack = await start(['--in-memory'], {});
    expect(javaRunning(stack.dynamoPort)).toBe(true);
    stack.child.kill('SIGKILL');
    await exited(stack.child);
    expect(await eventually(() => !javaRunning(stack.dynamoPort))).toBe(true);
  }, 60_000);

  it('keeps data in its data folder across a clean stop and across being killed outright, with the keys it was given', async () => {
    await inDataFolder(async ({ dataDir, env, headers, createOrder }) => {
      const first = await start([], env);
      const stopped = await createOrder(first.url, { currency: 'GBP', items: [{ sku: 'A', quantity: 1 }] });
      first.child.kill('SIGTERM');
      await exited(first.child);

      const second = await start([], env);
      expect((await fetch(`${second.url}/v1/orders/${stopped}`, { headers })).status).toBe(200);
      // Acknowledged just before the whole stack is killed outright.
      const killed = await createOrder(second.url, { currency: 'GBP' });
      second.child.kill('SIGKILL');
      await exited(second.child);
      expect(await eventually(() => !javaRunning(second.dynamoPort))).toBe(true);
      // DynamoDB Local keeps everything in one SQLite file (README, "What survives what").
      expect(readdirSync(join(dataDir, 'dynamodb'))).toContain('shared-local-instance.db');

      const third = await start([], env);
      for (const id of [stopped, killed]) {
        expect((await fetch(`${third.url}/v1/orders/${id}`, { headers })).status).toBe(200);
      }
      third.child.kill('SIGTERM');
      await exited(third.child);
    });
  }, 180_000);

  it('says clearly when Java is missing', () => {
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'local/main.ts', '--in-memory'], {
        env: { ...process.env, PORT: '0', PATH: '/nonexistent' },
        stdio: 'pipe',
        encoding: 'utf8',
      });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toMatch(/Java was not found/);
  });
});
