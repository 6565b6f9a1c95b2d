import { SFNClient } from '@aws-sdk/client-sfn';
import {
  StepFunctionsEngine,
  type StepFunctionsEngineConfig,
} from '../shared/adapters/aws/step-functions-engine.js';
import { env } from './runtime.js';

/** The Step Functions engine of a deployed function, addressed by the environment CDK gives it. */
export function stepFunctionsEngineFromEnv(
  extra: Pick<StepFunctionsEngineConfig, 'executionLogGroupArn'> = {},
): StepFunctionsEngine {
  return new StepFunctionsEngine(new SFNClient({}), {
    stateMachineArnPrefix: env('STATE_MACHINE_ARN_PREFIX'),
    stateMachineNamePrefix: env('STATE_MACHINE_NAME_PREFIX'),
    executionRoleArn: env('STATE_MACHINE_ROLE_ARN'),
    defaultStateMachineArn: env('DEFAULT_STATE_MACHINE_ARN'),
    legacyDefaultStateMachineArn: env('LEGACY_DEFAULT_STATE_MACHINE_ARN'),
    ...extra,
  });
}
