import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The api function's secrets, generated at deploy time and never in the template. */
export class ApiSecrets extends Construct {
  /** The admin bearer key for /v1/admin routes; operators read it with the AWS CLI. */
  readonly adminKey: Secret;
  /** Signs pagination cursors. */
  readonly cursorSecret: Secret;

  /** Signs the requests of workflow `http` actions; tenants fetch it to verify them. */
  readonly actionSigningKey: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.adminKey = new Secret(this, 'AdminKey', {
      description: 'Orderflow admin bearer key (Authorization: Bearer <value>) for /v1/admin routes',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.adminKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the admin key means handing the new key to operators; it is rotated by hand (put-secret-value), and the api reads it on each cold start.',
    });
    this.cursorSecret = new Secret(this, 'CursorSecret', {
      description: 'Orderflow pagination cursor signing secret',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation would only invalidate the page cursors clients hold; it protects no stored data, so it is rotated by hand if ever exposed.',
    });
    this.actionSigningKey = new Secret(this, 'ActionSigningKey', {
      description: 'Orderflow signing key for workflow http action requests',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.actionSigningKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Receivers verify action requests with this key, so a rotation must be announced to them first; it is rotated by hand.',
    });
  }

  grantRead(grantee: iam.IGrantable): void {
    this.adminKey.grantRead(grantee);
    this.cursorSecret.grantRead(grantee);
    this.actionSigningKey.grantRead(grantee);
  }
}
