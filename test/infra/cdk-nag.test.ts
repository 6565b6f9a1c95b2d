import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOrderflowApp } from '../../infra/orderflow-app.js';

/** Bundling and CDK's own CloudFormation schema check (~11 s here) are not what these tests are about. */
const skipBundling = { builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } };

/** Every acknowledgement in the app: the rule id and the path of the construct it sits on. */
function acknowledgements(app: ReturnType<typeof createOrderflowApp>['app']) {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.keys(entry.data as object).map((id) => ({
          id: id.replace(/^annotation::/i, ''),
          path: construct.node.path,
        })),
      ),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cdk-nag AwsSolutions on the Orderflow app', () => {
  it('reports no finding that is not acknowledged next to its resource', () => {
    const { app } = createOrderflowApp(skipBundling);
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(
      report.violations.map((violation) => ({
        rule: violation.ruleName,
        at: violation.violatingResources.map((resource) => resource.constructPath),
      })),
    ).toEqual([]);
  });

  it('has no acknowledgement left over: each one answers a finding that would otherwise fail synthesis', () => {
    const acknowledged = acknowledgements(createOrderflowApp(skipBundling).app);
    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => {});
    const { app: unacknowledged } = createOrderflowApp(skipBundling);
    const findings = new AwsSolutionsChecks().validateScope(unacknowledged).violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        rule: violation.ruleName,
        at: resource.constructPath,
      })),
    );

    for (const { id, path } of acknowledged) {
      expect(
        findings.some((finding) => finding.rule === id && String(finding.at).startsWith(`${path}/`)),
        `${id} on ${path}`,
      ).toBe(true);
    }
    expect(acknowledged.length).toBeGreaterThan(0);
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    const { app, stack } = createOrderflowApp(skipBundling);
    new Queue(stack, 'QueueWithoutEncryptionPolicyOrDeadLetterQueue');

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
