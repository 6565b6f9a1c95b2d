import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IWidget,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
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
export class Observability extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
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
    new Alarm(this, 'Api5xxRate', {
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
    new Alarm(this, `${name}Errors`, {
      alarmDescription: `The ${name} function failed (unhandled error or timeout).`,
      metric: fn.metricErrors({ period: FIVE_MINUTES }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    new Alarm(this, `${name}Throttles`, {
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
    new Alarm(this, `${name}ExecutionsFailed`, {
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
    new Alarm(this, `${name}Depth`, {
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
