import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createOrderflowApp, featureFlags } from '../../infra/orderflow-app.js';

const recommended = createRequire(import.meta.url)('aws-cdk-lib/recommended-feature-flags.json') as Record<
  string,
  unknown
>;
const deployGuide = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
/** The flags docs/deploy.md lists as set against the recommendation, each with its reason. */
const documentedExceptions = [...deployGuide.matchAll(/^\| `(@aws-cdk[^`]+)` \| `([^`]+)` \| .+ \|$/gm)].map(
  ([, flag, value]) => ({ flag: flag as string, value: JSON.parse(value as string) as unknown }),
);

describe('the CDK feature flags', () => {
  it('set every flag aws-cdk-lib recommends, to its recommended value unless the deploy guide says why not', () => {
    const flags = featureFlags();
    const exceptions = new Map(documentedExceptions.map(({ flag, value }) => [flag, value]));
    const unset = Object.keys(recommended).filter((flag) => !(flag in flags));
    const different = Object.entries(recommended)
      .filter(
        ([flag, value]) =>
          flag in flags && JSON.stringify(flags[flag]) !== JSON.stringify(value) && !exceptions.has(flag),
      )
      .map(([flag]) => flag);
    expect(unset).toEqual([]);
    expect(different).toEqual([]);
    for (const [flag, value] of exceptions) expect(flags[flag]).toEqual(value);
    expect(exceptions.size).toBeGreaterThan(0);
  });

  it('reach the app the template tests build, not only the command line', () => {
    const { app } = createOrderflowApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    for (const [flag, value] of Object.entries(featureFlags())) {
      expect(app.node.tryGetContext(flag)).toEqual(value);
    }
  });
});
