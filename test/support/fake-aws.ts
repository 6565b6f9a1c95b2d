import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request an AWS JSON-protocol client sent: `AWSStepFunctions.StartExecution` and its body. */
export interface AwsCall {
  target: string;
  body: Record<string, unknown>;
}

type Answer = (body: Record<string, unknown>) => Record<string, unknown>;

/**
 * Stands in, over real HTTP, for the AWS services that cannot run here and that the deployed
 * bundles call (Secrets Manager, Step Functions, KMS, SQS — all JSON protocol). The SDK reaches
 * it through `AWS_ENDPOINT_URL_<SERVICE>`; every call is recorded so a test pins exactly what was
 * sent. DynamoDB is not faked: bundles talk to DynamoDB Local.
 */
export async function startFakeAws(secrets: Record<string, string>) {
  const calls: AwsCall[] = [];
  const answers: Record<string, Answer> = {
    'secretsmanager.GetSecretValue': ({ SecretId }) => {
      const value = secrets[String(SecretId)];
      if (value === undefined) throw new Error(`no secret ${String(SecretId)}`);
      return { ARN: SecretId, SecretString: value };
    },
    'AWSStepFunctions.StartExecution': ({ stateMachineArn, name }) => ({
      executionArn: `${String(stateMachineArn).replace(':stateMachine:', ':execution:')}:${String(name)}`,
      startDate: Date.now() / 1000,
    }),
    'AWSStepFunctions.SendTaskSuccess': () => ({}),
    // Reversible, so what one bundle seals another opens; a real key is KMS's business.
    'TrentService.Encrypt': ({ Plaintext }) => ({ CiphertextBlob: Plaintext, KeyId: 'fake' }),
    'TrentService.Decrypt': ({ CiphertextBlob }) => ({ Plaintext: CiphertextBlob, KeyId: 'fake' }),
    // The SQS client checks the body's MD5 against the one answered.
    'AmazonSQS.SendMessage': ({ MessageBody }) => ({
      MessageId: `m-${calls.length}`,
      MD5OfMessageBody: createHash('md5').update(String(MessageBody)).digest('hex'),
    }),
  };
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      calls.push({ target, body });
      const answer = answers[target];
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      try {
        if (!answer) throw new Error(`unexpected call ${target}`);
        response.end(JSON.stringify(answer(body)));
      } catch (error) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'ValidationException', message: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    /** The environment that points every faked service's SDK client here. */
    endpoints: {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_ENDPOINT_URL_SFN: url,
      AWS_ENDPOINT_URL_KMS: url,
      AWS_ENDPOINT_URL_SQS: url,
    },
    callsTo: (target: string) => calls.filter((call) => call.target === target),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
