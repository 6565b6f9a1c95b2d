import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type IndexName, tableDefinition } from '../../shared/table.js';

export interface OrdersDataProps {
  /** Protects the table from deletion and keeps it when the stack is deleted. */
  deletionProtection: boolean;
}

/** The one table, built from the same definition the local stack creates it from. */
export class OrdersData extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: OrdersDataProps) {
    super(scope, id);
    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      partitionKey: stringKey(tableDefinition.partitionKey),
      sortKey: stringKey(tableDefinition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[tableDefinition.streamView],
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: ProjectionType[tableDefinition.indexProjection],
      });
    }
  }

  /**
   * Item reads and writes (transactions included) on the table, and queries on its indexes:
   * what the stores in shared/adapters/dynamodb issue. No Scan, no table management.
   */
  grantItemReadWrite(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:Query',
      ],
      resourceArns: [this.table.tableArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: tableDefinition.globalSecondaryIndexes.map(
        (index) => `${this.table.tableArn}/index/${index.indexName}`,
      ),
    });
  }

  /** Reading an order and updating it in place (a new execution attempt): no puts, deletes or queries. */
  grantOrderUpdates(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      resourceArns: [this.table.tableArn],
    });
  }

  /** Reading the keys of the orders whose execution start is owed (the stranded-orders sweep). */
  grantOwedStartsQuery(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [`${this.table.tableArn}/index/${'owedStarts' satisfies IndexName}`],
    });
  }

  /** Single-item reads only: enough to resolve an API key by its hash. */
  grantGetItem(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem'], resourceArns: [this.table.tableArn] });
  }
}
