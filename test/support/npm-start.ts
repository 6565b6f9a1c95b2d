import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { afterAll } from 'vitest';

export interface StartedProcess {
  child: ChildProcess;
  url: string;
  dynamoPort: number;
  output: () => string;
}

/**
 * Runs `npm start`'s entry point as a user would, in its own process, for the test file:
 * `start` waits for the listening line; every process still running is killed afterwards.
 */
export function useNpmStart(baseEnv: Record<string, string> = {}) {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  return function start(
    args: string[] = [],
    env: Record<string, string> = {},
    /** `npm`: through `npm start` itself, as the README says, rather than its entry point. */
    via: 'node' | 'npm' = 'node',
  ): Promise<StartedProcess> {
    const [command, commandArgs] =
      via === 'npm'
        ? ['npm', ['start', '--', ...args]]
        : [process.execPath, ['--import', 'tsx', 'local/main.ts', ...args]];
    const child = spawn(command, commandArgs, {
      env: { ...process.env, PORT: '0', ...baseEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /orderflow listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        const dynamo = /DynamoDB Local at http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (listening?.[1] && dynamo?.[1]) {
          resolve({ child, url: listening[1], dynamoPort: Number(dynamo[1]), output: () => output });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
    });
  };
}

/** Whether the DynamoDB Local started on this port still has a Java process. */
export function javaRunning(dynamoPort: number): boolean {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .some((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${dynamoPort}`));
}
