import { createHash } from 'node:crypto';
import type { Principal } from '../auth/api-keys.js';
import { type ConflictPolicy, retryOnConflict } from '../orders/change-runner.js';
import { actorOf } from '../orders/plans.js';
import type { WorkflowEngine } from '../orders/workflow-engine.js';
import { ProblemError, problems } from '../problem.js';
import { type AslDefinition, type CompileTargets, compileWorkflow } from './compile.js';
import type { Workflow } from './schema.js';
import { type ValidateOptions, type ValidationResult, validateWorkflow } from './validate.js';
import type { WorkflowStore, WorkflowVersion } from './workflow-store.js';

/** The version was deployed for the next number; another publish took it, so the client decides again. */
const publishConflicts: ConflictPolicy = {
  attempts: 1,
  exhausted: () => problems.conflict('Another workflow was published at the same time; retry.'),
};

/** The built-in default workflow as a version every tenant has (it is not stored). */
export interface BuiltInVersion {
  workflow: Workflow;
  document: unknown;
}

/** The built-in default's revisions: the current one for new orders, older ones for orders pinned to them. */
export interface BuiltInVersions {
  current: number;
  of(revision: number): BuiltInVersion;
}

/**
 * Tenants' workflows: validated, compiled once to ASL, published as immutable versions on
 * the engine, and the active one used for new orders.
 */
export class WorkflowService {
  private readonly builtInAsl = new Map<number, string>();

  constructor(
    private readonly store: WorkflowStore<Workflow>,
    private readonly engine: WorkflowEngine,
    private readonly targets: CompileTargets,
    private readonly builtIn: BuiltInVersions,
    private readonly validateOptions: ValidateOptions = {},
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private builtInAslOf(revision: number): string {
    let asl = this.builtInAsl.get(revision);
    if (asl === undefined) {
      asl = JSON.stringify(compileWorkflow(this.builtIn.of(revision).workflow, this.targets));
      this.builtInAsl.set(revision, asl);
    }
    return asl;
  }

  validate(document: unknown): ValidationResult {
    return validateWorkflow(document, this.validateOptions);
  }

  async publish(
    principal: Principal,
    document: unknown,
  ): Promise<{ version: number; warnings: ValidationResult['warnings'] }> {
    const result = this.validate(document);
    if (!result.valid || !result.workflow) {
      throw new ProblemError(422, 'invalid-workflow', 'The workflow document is not valid.', {
        errors: result.errors,
        extensions: { warnings: result.warnings },
      });
    }
    const asl = JSON.stringify(compileWorkflow(result.workflow, this.targets));
    const { version: active } = await this.store.active(principal.tenantId);
    const { executionTarget } = await this.engine.deploy(principal.tenantId, active + 1, asl);
    const published = await retryOnConflict(publishConflicts, () =>
      this.store.publish(principal.tenantId, {
        workflow: result.workflow as Workflow,
        document,
        asl,
        aslSha256: createHash('sha256').update(asl).digest('hex'),
        publishedBy: actorOf(principal),
        publishedAt: this.clock().toISOString(),
        ...(executionTarget ? { executionTarget } : {}),
      }),
    );
    return { version: published.version, warnings: result.warnings };
  }

  async active(tenantId: string): Promise<{ version: number; document: unknown }> {
    const { version } = await this.store.active(tenantId);
    const stored = await this.version(tenantId, version);
    return { version, document: stored.document };
  }

  /**
   * One version with its document and compiled definition; version 0 is the built-in default,
   * in its current revision unless `revision` names an older one.
   */
  async version(
    tenantId: string,
    version: number,
    revision = this.builtIn.current,
  ): Promise<
    Omit<WorkflowVersion<Workflow>, 'publishedBy'> & { publishedBy?: WorkflowVersion['publishedBy'] }
  > {
    if (version === 0) {
      const builtIn = this.builtIn.of(revision);
      const asl = this.builtInAslOf(revision);
      return {
        version: 0,
        revision,
        workflow: builtIn.workflow,
        document: builtIn.document,
        asl,
        aslSha256: createHash('sha256').update(asl).digest('hex'),
        publishedAt: new Date(0).toISOString(),
      };
    }
    const stored = await this.store.get(tenantId, version);
    if (!stored) throw problems.notFound(`Workflow version ${version}`);
    return stored;
  }

  async definition(tenantId: string, version: number, revision?: number): Promise<AslDefinition> {
    return JSON.parse((await this.version(tenantId, version, revision)).asl) as AslDefinition;
  }

  /**
   * Versions newest first, `limit` at a time; the built-in default is every tenant's
   * version 0 and comes last. `next` is the version to continue before, when there is more.
   */
  async summaries(
    tenantId: string,
    limit: number,
    beforeVersion?: number,
  ): Promise<{ versions: VersionSummary[]; next?: number }> {
    const page = await this.store.list(tenantId, limit, beforeVersion);
    const versions: VersionSummary[] = page.versions.map(summaryOf);
    const last = page.versions.at(-1);
    if (page.hasMore && last) return { versions, next: last.version };
    if (versions.length === limit && last) return { versions, next: last.version };
    return { versions: [...versions, summaryOf(await this.version(tenantId, 0))] };
  }
}

export interface VersionSummary {
  version: number;
  name: string;
  aslSha256: string;
  publishedAt: string;
  publishedBy?: WorkflowVersion['publishedBy'];
}

function summaryOf(
  version: Pick<WorkflowVersion<Workflow>, 'version' | 'workflow' | 'aslSha256' | 'publishedAt'> & {
    publishedBy?: WorkflowVersion['publishedBy'];
  },
): VersionSummary {
  return {
    version: version.version,
    name: version.workflow.name,
    aslSha256: version.aslSha256,
    publishedAt: version.publishedAt,
    ...(version.publishedBy ? { publishedBy: version.publishedBy } : {}),
  };
}
