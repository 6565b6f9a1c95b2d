/**
 * `orderflow` command line: check, compile and draw workflow documents before
 * uploading them. Exit codes: 0 done, 1 the document cannot be used (unreadable, not JSON,
 * or invalid: every problem is printed as file:line:column, in document order), 2 usage error.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { locateJson, type SourcePosition } from '../shared/json-source.js';
import { Currency } from '../shared/orders/schema.js';
import { SimulateRequest } from '../shared/simulation/schema.js';
import { issuesToProblems, sentence } from '../shared/validation.js';
import { compileWorkflow } from '../shared/workflow/compile.js';
import { workflowToMermaid, workflowToSvg } from '../shared/workflow/diagram.js';
import { graphvizInProcess } from '../shared/workflow/diagram-svg.js';
import { type ValidationResult, validateWorkflow } from '../shared/workflow/validate.js';

/** Stand-ins for the deployed table and task function, for looking at the ASL offline. */
const PLACEHOLDER_TABLE = 'orderflow-table';
const PLACEHOLDER_TASK_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:orderflow-workflow-task';

const USAGE = `usage:
  orderflow --version
  orderflow workflow validate <file>
  orderflow workflow compile <file> [--table NAME] [--task-arn ARN]
      (defaults: --table ${PLACEHOLDER_TABLE} --task-arn ${PLACEHOLDER_TASK_ARN})
  orderflow workflow diagram <file> [-o out.svg] [--mermaid] [--currency GBP]
      (--currency: amounts in conditions read as £500.00 rather than 500.00)
  orderflow workflow simulate <file> --order <order.json> [--steps <steps.json>] [--role ROLE]
      (a dry run of one order: its path, actions, refused steps and cost; --role default owner)
`;

class UsageError extends Error {}
/** The input cannot be used; the message says why and where. */
class InputError extends Error {}

const version = () =>
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;

/** Errors and warnings together, in the order they stand in the document, each where it stands and why. */
function report(
  file: string,
  result: ValidationResult,
  positionOf: (pointer: string) => SourcePosition | undefined,
): string[] {
  const labelled = [
    ...result.errors.map((problem) => ({ problem, label: '' })),
    ...result.warnings.map((problem) => ({ problem, label: 'warning: ' })),
  ];
  return labelled
    .map((entry) => ({ ...entry, at: positionOf(entry.problem.path) ?? { line: 1, column: 1 } }))
    .sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column)
    .map(
      ({ problem, label, at }) =>
        `${file}:${at.line}:${at.column}: ${label}${sentence(problem.message)}${problem.path ? ` (${problem.path})` : ''}`,
    );
}

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
      currency: { type: 'string' },
      order: { type: 'string' },
      steps: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`orderflow ${version()}\n`);
    return 0;
  }
  const [group, command, file, ...extra] = positionals;
  if (group !== 'workflow' || !command || !file || extra.length > 0)
    throw new UsageError('expected a command and one file');
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}"`);

  const { result, positionOf } = await validateFile(file);
  for (const line of report(file, result, positionOf))
    process.stderr.write(`${line}
`);
  if (!result.workflow) return 1;
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
      if (values.currency !== undefined && !Currency.safeParse(values.currency).success) {
        throw new InputError(`--currency ${values.currency}: not an ISO-4217 code such as GBP.`);
      }
      const options = values.currency ? { currency: values.currency } : {};
      const picture = values.mermaid
        ? workflowToMermaid(result.workflow, options)
        : await workflowToSvg(result.workflow, options, graphvizInProcess);
      if (!values.output) {
        process.stdout.write(picture);
        return 0;
      }
      await writeFile(values.output, picture);
      process.stdout.write(`wrote ${values.output}\n`);
      return 0;
    }
    case 'simulate': {
      if (!values.order) throw new UsageError('simulate needs --order <order.json>');
      const request = SimulateRequest.safeParse({
        order: (await readJsonFile(values.order)).value,
        steps: values.steps ? (await readJsonFile(values.steps)).value : [],
        role: values.role ?? 'owner',
      });
      if (!request.success) {
        for (const issue of issuesToProblems(request.error.issues))
          process.stderr.write(`${issue.path || '/'}: ${sentence(issue.message)}\n`);
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

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'this user may not read it',
  EISDIR: 'it is a folder, not a file',
};

async function readJsonFile(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = String((error as { code?: unknown }).code);
    throw new InputError(`${file}: cannot be read: ${READ_FAILURES[code] ?? (error as Error).message}.`);
  }
  const located = locateJson(text);
  if (!located.ok) {
    const { line, column, message } = located.error;
    throw new InputError(`${file}:${line}:${column}: this is not valid JSON: ${message}.`);
  }
  return located;
}

async function validateFile(file: string) {
  const located = await readJsonFile(file);
  return { result: validateWorkflow(located.value), positionOf: located.positionOf };
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof InputError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    // parseArgs rejects unknown options with a TypeError carrying an ERR_PARSE_ARGS_* code.
    const isUsage =
      error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    if (!isUsage) throw error;
    process.stderr.write(`orderflow: ${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
  }
}
