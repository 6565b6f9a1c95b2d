import { Arn, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { nagResource } from '../nag.js';

/**
 * Email actions send through SES v2 from one verified identity, named at deploy time
 * (`--parameters EmailSender=orders@example.com`), through a configuration set that keeps
 * reputation metrics and suppresses addresses that bounced or complained.
 */
export class Email extends Construct {
  readonly sender: CfnParameter;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.sender = new CfnParameter(Stack.of(this), 'EmailSender', {
      type: 'String',
      default: '',
      description:
        'The SES-verified address email actions send from (empty: email actions fail until it is set).',
    });
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
  }

  /** The task function may send, only from the deployed sender and only through this configuration set. */
  grantSend(fn: IFunction): void {
    const identities = Arn.format(
      { service: 'ses', resource: 'identity', resourceName: '*' },
      Stack.of(this),
    );
    const configurationSet = Arn.format(
      {
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.configurationSet.configurationSetName,
      },
      Stack.of(this),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'SendOrderEmail',
        actions: ['ses:SendEmail'],
        resources: [identities, configurationSet],
        conditions: { StringEquals: { 'ses:FromAddress': this.sender.valueAsString } },
      }),
    );
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(this, identities)}]`,
        reason:
          'The sender may be verified as an address or as its domain, so the identity is not known at synth time; the ses:FromAddress condition pins the one sender.',
      });
    }
  }

  environment(): Record<string, string> {
    return {
      EMAIL_SENDER: this.sender.valueAsString,
      EMAIL_CONFIGURATION_SET: this.configurationSet.configurationSetName,
    };
  }
}
