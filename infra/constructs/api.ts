import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type RouteAuth, routes } from '../../shared/http/routes.js';

export interface OrderflowApiProps {
  /** The api function: every route goes to it. */
  handler: IFunction;
  /** Resolves a tenant API key to its tenant; see functions/authorizer/handler.ts. */
  authorizer: IFunction;
}

/**
 * How long API Gateway reuses an authorizer answer for the same Authorization header: a
 * revoked key keeps working for at most this long, in exchange for one DynamoDB read per
 * key per minute instead of one per request.
 */
export const AUTHORIZER_CACHE_TTL = Duration.minutes(1);

/** Why a route without the authorizer is still safe to expose. */
const unauthorizedRouteReasons: Record<Exclude<RouteAuth, 'tenant'>, string> = {
  admin:
    'Admin route: the api function checks the admin bearer key against the hash of the Secrets Manager key; tenant API keys must not reach it through the tenant authorizer.',
  none: 'Public by design: liveness check and the OpenAPI document carry no tenant data.',
};

/** The HTTP API: one route per entry of the shared route table, all integrated with the api function. */
export class OrderflowApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: OrderflowApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Orderflow orders API',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            tenantId: '$context.authorizer.tenantId',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
      // A ceiling per account-region stage against runaway clients; raise with real traffic.
      throttle: { rateLimit: 500, burstLimit: 1000 },
    });

    const tenantAuthorizer = new HttpLambdaAuthorizer('TenantApiKey', props.authorizer, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
    const integration = new HttpLambdaIntegration('Api', props.handler);
    // Everything no route matches goes to the api function too, which answers 405 with Allow
    // or 404 as problem+json instead of API Gateway's own {"message":"Not Found"}.
    const defaultRoute = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration,
    });
    Validations.of(defaultRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Catch-all route: the api function answers it only with 404 or 405 problem+json; no operation runs and no data is read.',
    });
    for (const route of routes) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(route.auth === 'tenant' ? { authorizer: tenantAuthorizer } : {}),
      });
      if (httpRoute && route.auth !== 'tenant') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: unauthorizedRouteReasons[route.auth],
        });
      }
    }
  }

  /** The API's base URL (the $default stage). */
  get url(): string {
    return this.stage.url;
  }
}
