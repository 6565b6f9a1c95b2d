import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { satisfies, unsupportedNodeMessage } from '../../bin/node-version.js';

const run = promisify(execFile);
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const checkNode = new URL('../../bin/check-node.js', import.meta.url).pathname;

/** Runs bin/check-node.js as if this Node.js were `version`. */
async function checkAs(version: string) {
  const script = `Object.defineProperty(process, 'version', { value: ${JSON.stringify(version)} }); await import(${JSON.stringify(checkNode)});`;
  try {
    const { stderr } = await run(process.execPath, ['--input-type=module', '--eval', script]);
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('the Node.js requirement', () => {
  it('accepts the 20 line from 20.20 and every release from 22 on, the Lambda runtime included', () => {
    for (const version of ['v20.20.0', 'v20.21.3', 'v22.0.0', 'v22.12.0', 'v24.1.0']) {
      expect(satisfies(version), version).toBe(true);
    }
  });

  it('refuses older 20s, 21 and anything before 20', () => {
    for (const version of ['v18.19.0', 'v20.0.0', 'v20.19.5', 'v21.7.3']) {
      expect(satisfies(version), version).toBe(false);
    }
  });

  it('stops npm start and npm test with one line naming the requirement and the version found', async () => {
    expect(packageJson.scripts.prestart).toBe('node bin/check-node.js');
    expect(packageJson.scripts.pretest).toBe('node bin/check-node.js');
    const refused = await checkAs('v18.19.0');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([unsupportedNodeMessage('v18.19.0')]);
    expect(refused.stderr).toContain('v18.19.0');
    expect(refused.stderr).toContain('>=22.0.0');
    expect(await checkAs('v22.12.0')).toEqual({ code: 0, stderr: '' });
  });
});
