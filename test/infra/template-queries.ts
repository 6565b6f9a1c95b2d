/** Questions the infra tests ask a synthesized template: who may do what to which resource. */
import type { Template } from 'aws-cdk-lib/assertions';

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** True when an IAM action pattern (`dynamodb:*`, `*`) covers `action`. */
function covers(pattern: string, action: string): boolean {
  const expression = new RegExp(
    `^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
    'i',
  );
  return expression.test(action);
}

/** Whether a policy resource points at the resource with this logical id (by Ref, GetAtt or inside a Join). */
function mentions(resource: unknown, logicalId: string): boolean {
  return resource === '*' || JSON.stringify(resource).includes(`"${logicalId}"`);
}

/** Every Allow statement of every IAM policy, with the logical ids of the roles it is attached to. */
export function allowStatements(template: Template): { roles: string[]; statement: Statement }[] {
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        roles: (policy.Properties.Roles as { Ref: string }[]).map((role) => role.Ref),
        statement,
      })),
  );
}

/** Logical ids of the roles allowed `action` on the resource with `logicalId` (or on `*`), sorted. */
export function rolesAllowed(template: Template, action: string, logicalId: string): string[] {
  const roles = allowStatements(template)
    .filter(({ statement }) => asList(statement.Action).some((pattern) => covers(pattern, action)))
    .filter(({ statement }) => asList(statement.Resource).some((resource) => mentions(resource, logicalId)))
    .flatMap(({ roles }) => roles);
  return [...new Set(roles)].sort();
}

/** The only resource of a type in the template, with its logical id. */
export function onlyResource(template: Template, type: string): { logicalId: string; properties: any } {
  const found = Object.entries(template.findResources(type) as Resources);
  if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}`);
  const [[logicalId, resource]] = found as [[string, Resources[string]]];
  return { logicalId, properties: resource.Properties };
}
