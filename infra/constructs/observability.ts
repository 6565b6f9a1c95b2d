import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IWidget,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

const FIVE_MINUTES = Duration.minutes(5);

/** Share of API requests answered 5xx, in percent, above which the API alarm fires. */
export const API_5XX_RATE_THRESHOLD_PERCENT = 1;

/**
 * The alarms and the one dashboard. Each `monitor…` call adds a component's alarms and its
 * dashboard row, so a new function or queue is one line in the stack.
 */
export interface ObservabilityProps {
  /** Who is told when an alarm fires (the `alarmEmail` context value); nobody when unset. */
  alarmEmail?: string;
}

export class Observability extends Construct {
  readonly dashboard: Dashboard;
  /** Every alarm notifies this topic, going into alarm and back to OK. */
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: ObservabilityProps = {}) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    // Encrypted with a key of its own: CloudWatch may use it to publish, which the AWS-managed
    // SNS key would not allow.
    const key = new Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: 'Orderflow alarm notifications',
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    if (props.alarmEmail !== undefined) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail)) {
        throw new Error(`The alarmEmail context value "${props.alarmEmail}" is not an email address.`);
      }
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    }
  }

  /** An alarm that notifies the topic. */
  private alarm(id: string, props: AlarmProps): Alarm {
    const alarm = new Alarm(this, id, props);
    const action = new SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    return alarm;
  }

  monitorApi(api: HttpApi): void {
    const requests = api.metricCount({ period: FIVE_MINUTES });
    const serverErrors = api.metricServerError({ period: FIVE_MINUTES });
    const serverErrorRate = new MathExpression({
      label: '5xx rate (%)',
      expression: '100 * FILL(serverErrors, 0) / requests',
      usingMetrics: { serverErrors, requests },
      period: FIVE_MINUTES,
    });
    this.alarm('Api5xxRate', {
      alarmDescription: `More than ${API_5XX_RATE_THRESHOLD_PERCENT}% of API requests answered 5xx in two of three 5-minute periods.`,
      metric: serverErrorRate,
      threshold: API_5XX_RATE_THRESHOLD_PERCENT,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.addRow(
      new GraphWidget({ title: 'API requests', left: [requests], right: [serverErrorRate] }),
      new GraphWidget({
        title: 'API latency',
        left: [api.metricLatency({ statistic: 'p50' }), api.metricLatency({ statistic: 'p99' })],
      }),
    );
  }

  monitorFunction(name: string, fn: IFunction): void {
    this.alarm(`${name}Errors`, {
      alarmDescription: `The ${name} function failed (unhandled error or timeout).`,
      metric: fn.metricErrors({ period: FIVE_MINUTES }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm(`${name}Throttles`, {
      alarmDescription: `The ${name} function was throttled: concurrency is exhausted.`,
      metric: fn.metricThrottles({ period: FIVE_MINUTES }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.addRow(
      new GraphWidget({
        title: `${name}: invocations, errors, throttles`,
        left: [fn.metricInvocations(), fn.metricErrors(), fn.metricThrottles()],
      }),
      new GraphWidget({
        title: `${name}: duration`,
        left: [fn.metricDuration({ statistic: 'p50' }), fn.metricDuration({ statistic: 'p99' })],
      }),
    );
  }

  monitorStateMachine(name: string, stateMachine: IStateMachine): void {
    this.alarm(`${name}ExecutionsFailed`, {
      // Not aborted ones: a migration stops the order's old execution on purpose, every time.
      alarmDescription: `An execution of the ${name} state machine failed or timed out.`,
      metric: new MathExpression({
        label: 'failed + timed out',
        expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
        usingMetrics: {
          failed: stateMachine.metricFailed(),
          timedOut: stateMachine.metricTimedOut(),
        },
        period: FIVE_MINUTES,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.addRow(
      new GraphWidget({
        title: `${name}: executions`,
        left: [stateMachine.metricStarted(), stateMachine.metricSucceeded(), stateMachine.metricFailed()],
      }),
    );
  }

  monitorDeadLetterQueue(name: string, queue: IQueue): void {
    const depth = queue.metricApproximateNumberOfMessagesVisible({
      period: FIVE_MINUTES,
      statistic: 'Maximum',
    });
    this.alarm(`${name}Depth`, {
      alarmDescription: `Messages are waiting in the ${name} dead-letter queue: something could not be processed.`,
      metric: depth,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.addRow(new GraphWidget({ title: `${name}: messages waiting`, left: [depth] }));
  }

  private addRow(...widgets: IWidget[]): void {
    this.dashboard.addWidgets(...widgets);
  }
}
