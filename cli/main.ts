/**
 * `orderflow` command line: check, compile and draw workflow documents before
 * uploading them. Exit codes: 0 done, 1 the document is invalid, 2 usage error or
 * unreadable input.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SimulateRequest } from '../shared/simulation/schema.js';
import { issuesToProblems } from '../shared/validation.js';
import { compileWorkflow } from '../shared/workflow/compile.js';
import { workflowToMermaid, workflowToSvg } from '../shared/workflow/diagram.js';
import { type ValidationResult, validateWorkflow } from '../shared/workflow/validate.js';

/** Stand-ins for the deployed table and task function, for looking at the ASL offline. */
const PLACEHOLDER_TABLE = 'orderflow-table';
const PLACEHOLDER_TASK_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:orderflow-workflow-task';

const USAGE = `usage:
  orderflow workflow validate <file>
  orderflow workflow compile <file> [--table NAME] [--task-arn ARN]
      (defaults: --table ${PLACEHOLDER_TABLE} --task-arn ${PLACEHOLDER_TASK_ARN})
  orderflow workflow diagram <file> [-o out.svg] [--mermaid]
  orderflow workflow simulate <file> --order <order.json> [--steps <steps.json>] [--role ROLE]
      (a dry run of one order: its path, actions, refused steps and cost; --role default owner)
`;

class UsageError extends Error {}

const COMMANDS = ['validate', 'compile', 'diagram', 'simulate'] as const;
const isCommand = (value: string): value is (typeof COMMANDS)[number] =>
  (COMMANDS as readonly string[]).includes(value);

async function main(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      table: { type: 'string' },
      'task-arn': { type: 'string' },
      output: { type: 'string', short: 'o' },
      mermaid: { type: 'boolean' },
      order: { type: 'string' },
      steps: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [group, command, file, ...extra] = positionals;
  if (group !== 'workflow' || !command || !file || extra.length > 0)
    throw new UsageError('expected a command and one file');
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}"`);

  const result = await validateFile(file);
  for (const warning of result.warnings)
    process.stderr.write(`warning ${warning.path || '/'}: ${warning.message}\n`);
  if (!result.workflow) {
    for (const error of result.errors) process.stderr.write(`${error.path || '/'}: ${error.message}\n`);
    return 1;
  }
  switch (command) {
    case 'validate':
      process.stdout.write(`${file}: valid\n`);
      return 0;
    case 'compile': {
      const targets = {
        tableName: values.table ?? PLACEHOLDER_TABLE,
        taskFunctionArn: values['task-arn'] ?? PLACEHOLDER_TASK_ARN,
      };
      process.stdout.write(`${JSON.stringify(compileWorkflow(result.workflow, targets), null, 2)}\n`);
      return 0;
    }
    case 'diagram': {
      const picture = values.mermaid
        ? workflowToMermaid(result.workflow)
        : await workflowToSvg(result.workflow);
      if (values.output) await writeFile(values.output, picture);
      else process.stdout.write(picture);
      return 0;
    }
    case 'simulate': {
      if (!values.order) throw new UsageError('simulate needs --order <order.json>');
      const request = SimulateRequest.safeParse({
        order: await readJson(values.order),
        steps: values.steps ? await readJson(values.steps) : [],
        role: values.role ?? 'owner',
      });
      if (!request.success) {
        for (const issue of issuesToProblems(request.error.issues))
          process.stderr.write(`${issue.path || '/'}: ${issue.message}\n`);
        return 1;
      }
      const { order, steps, role } = request.data;
      // The ASL interpreter is loaded only by the command that needs it.
      await import('../shared/adapters/node/promise-with-resolvers.js');
      const { simulate } = await import('../shared/simulation/simulate.js');
      const simulation = await simulate({
        workflow: result.workflow,
        order,
        steps,
        role: role ?? 'owner',
        startAt: new Date().toISOString(),
      });
      process.stdout.write(`${JSON.stringify(simulation, null, 2)}\n`);
      return 0;
    }
  }
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

async function validateFile(file: string): Promise<ValidationResult> {
  return validateWorkflow(await readJson(file));
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // parseArgs rejects unknown options with a TypeError carrying an ERR_PARSE_ARGS_* code.
  const isUsage =
    error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
  if (!isUsage) throw error;
  process.stderr.write(`orderflow: ${(error as Error).message}\n${USAGE}`);
  process.exitCode = 2;
}
