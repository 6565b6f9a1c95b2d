import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of docs/architecture.md, checked on every source file: a rule names the
 * files it governs and what they may not import (a folder of the repository or a package).
 */
const root = join(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of a file, as a repository path (relative imports) or a package name. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    ([, specifier]) => specifier as string,
  );
  const dynamic = [...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map(([, s]) => s as string);
  return [...specifiers, ...dynamic].map((specifier) =>
    specifier.startsWith('.') ? normalize(join(dirname(file), specifier)) : specifier,
  );
}

const domainAreas = ['actions', 'auth', 'events', 'http', 'orders', 'webhooks', 'workflow'];
const domain = (file: string) =>
  domainAreas.some((area) => file.startsWith(`shared/${area}/`)) ||
  (file.startsWith('shared/') &&
    !file.slice('shared/'.length).includes('/') &&
    file !== 'shared/table-records.ts');

const rules: { name: string; governs: (file: string) => boolean; forbids: (target: string) => boolean }[] = [
  {
    name: 'the domain imports no AWS SDK, no Lambda runtime and no adapter',
    governs: domain,
    forbids: (target) =>
      target.startsWith('@aws-sdk/') ||
      target.startsWith('@aws-lambda-powertools/') ||
      target.startsWith('@middy/') ||
      target.startsWith('shared/adapters/'),
  },
  {
    name: 'shared code imports no function, runtime, infrastructure, benchmark or test',
    governs: (file) => file.startsWith('shared/'),
    forbids: (target) => /^(functions|local|infra|bench|test|cli)\//.test(target),
  },
  {
    name: 'functions import no local runtime, infrastructure, benchmark or test',
    governs: (file) => file.startsWith('functions/'),
    forbids: (target) => /^(local|infra|bench|test|cli)\//.test(target),
  },
  {
    name: 'the local runtime and the infrastructure import no benchmark or test',
    governs: (file) => file.startsWith('local/') || file.startsWith('infra/'),
    forbids: (target) => /^(bench|test)\//.test(target),
  },
  {
    name: 'benchmarks import no test',
    governs: (file) => file.startsWith('bench/'),
    forbids: (target) => target.startsWith('test/'),
  },
];

const sources = ['shared', 'functions', 'local', 'infra', 'bench', 'cli'].flatMap(filesUnder);

describe('the import rules', () => {
  for (const rule of rules.filter(
    (candidate) => candidate.name !== 'an adapter imports no adapter of another technology',
  )) {
    it(rule.name, () => {
      const broken = sources.filter(rule.governs).flatMap((file) =>
        importsOf(file)
          .filter(rule.forbids)
          .map((target) => `${file} → ${target}`),
      );
      expect(broken).toEqual([]);
    });
  }

  it('an adapter imports no adapter of another technology', () => {
    const technologyOf = (path: string) => /^shared\/adapters\/([^/]+)\//.exec(path)?.[1];
    const broken = sources
      .filter((file) => technologyOf(file))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => technologyOf(target) && technologyOf(target) !== technologyOf(file))
          .map((target) => `${file} → ${target}`),
      );
    expect(broken).toEqual([]);
  });

  it('sees the imports it checks, as repository paths and package names', () => {
    expect(importsOf('shared/orders/service.ts')).toContain('shared/orders/change-runner.js');
    expect(importsOf('shared/adapters/dynamodb/order-store.ts')).toContain('@aws-sdk/lib-dynamodb');
  });
});
