import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag spells a resource in a finding id (`AwsSolutions-IAM5[Resource::…]`):
 * references flattened to `<LogicalId.Attr>` and `<AWS::Region>`. Acknowledging the exact
 * finding keeps any other wildcard on the same policy reported.
 */
export function nagResource(scope: IConstruct, value: string): string {
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const reference = node as Record<string, unknown>;
    if (reference['Fn::Join']) {
      const [delimiter, items] = reference['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (reference['Fn::GetAtt']) {
      const [logicalId, attribute] = reference['Fn::GetAtt'] as [string, string];
      return `<${logicalId}.${attribute}>`;
    }
    if (reference.Ref) return `<${reference.Ref as string}>`;
    return JSON.stringify(node);
  };
  return flatten(Stack.of(scope).resolve(value));
}
