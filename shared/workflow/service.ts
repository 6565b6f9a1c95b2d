import { createHash } from 'node:crypto';
import type { Principal } from '../auth/api-keys.js';
import { VersionLimitError } from '../errors.js';
import { type ConflictPolicy, retryOnConflict } from '../orders/change-runner.js';
import { actorOf } from '../orders/plans.js';
import type { WorkflowEngine } from '../orders/workflow-engine.js';
import { ProblemError, problems } from '../problem.js';
import { type AslDefinition, type CompileTargets, compileWorkflow } from './compile.js';
import type { Workflow } from './schema.js';
import { type ValidateOptions, type ValidationResult, validateWorkflow } from './validate.js';
import type { VersionRetirement, WorkflowStore, WorkflowVersion } from './workflow-store.js';

/** The longest publisher a stored version names, so validating errs on the safe side of the size limit. */
const SIZE_CHECK_ACTOR: WorkflowVersion['publishedBy'] = {
  type: 'key',
  keyId: 'k'.repeat(64),
  role: 'workflow-admin-with-a-long-role-name',
};

/** Another publish reserved the number or is updating the state machine: the client decides again. */
const publishConflicts: ConflictPolicy = {
  attempts: 1,
  exhausted: () => problems.concurrentChange('Another workflow was published at the same time; retry.'),
};

/**
 * Orders are created on the active version without touching its item (a hot item would
 * serialize creations), so a version is pruned only this long after it was superseded: longer
 * than any function runs, so no creation that read it as active is still to commit.
 */
const CREATION_GRACE_MS = 15 * 60 * 1000;

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
    private readonly store: WorkflowStore<Workflow> & VersionRetirement,
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

  /** The document's problems, including a version too large to store, which publish would refuse too. */
  validate(document: unknown, tenantId = ''): ValidationResult {
    return this.check(document, tenantId, SIZE_CHECK_ACTOR).result;
  }

  private check(
    document: unknown,
    tenantId: string,
    publishedBy: WorkflowVersion['publishedBy'],
  ): { result: ValidationResult; draft?: Omit<WorkflowVersion<Workflow>, 'version'> } {
    const result = validateWorkflow(document, this.validateOptions);
    if (!result.valid || !result.workflow) return { result };
    const asl = JSON.stringify(compileWorkflow(result.workflow, this.targets));
    const draft = {
      workflow: result.workflow,
      document,
      asl,
      aslSha256: createHash('sha256').update(asl).digest('hex'),
      publishedBy,
      publishedAt: this.clock().toISOString(),
    };
    const tooLarge = this.store.storageProblem(tenantId, draft);
    if (!tooLarge) return { result, draft };
    const { workflow: _workflow, ...rest } = result;
    return { result: { ...rest, valid: false, errors: [{ path: '', message: tooLarge }] } };
  }

  async publish(
    principal: Principal,
    document: unknown,
  ): Promise<{ version: number; warnings: ValidationResult['warnings'] }> {
    const { result, draft } = this.check(document, principal.tenantId, actorOf(principal));
    if (!result.valid || !draft) {
      throw new ProblemError(422, 'invalid-workflow', 'The workflow document is not valid.', {
        errors: result.errors,
        extensions: { warnings: result.warnings },
      });
    }
    // The record comes first: a failed publish leaves no state machine version without one.
    const reserved = await retryOnConflict(publishConflicts, () =>
      this.store.reserve(principal.tenantId, draft),
    );
    let executionTarget: string | undefined;
    try {
      ({ executionTarget } = await this.deployMakingRoom(principal.tenantId, reserved.version, draft.asl));
    } catch (error) {
      await this.store.release(principal.tenantId, reserved.version).catch(() => undefined);
      return retryOnConflict(publishConflicts, () => Promise.reject(error));
    }
    await retryOnConflict(publishConflicts, () =>
      this.store.activate(principal.tenantId, {
        ...reserved,
        ...(executionTarget ? { executionTarget } : {}),
      }),
    );
    return { version: reserved.version, warnings: result.warnings };
  }

  /** Deploys; when the engine holds as many versions as it allows, prunes and tries once more. */
  private async deployMakingRoom(
    tenantId: string,
    version: number,
    asl: string,
  ): Promise<{ executionTarget?: string }> {
    try {
      return await this.engine.deploy(tenantId, version, asl);
    } catch (error) {
      if (!(error instanceof VersionLimitError)) throw error;
    }
    const pruned = await this.prune(tenantId);
    if (pruned.length === 0) {
      throw new ProblemError(
        409,
        'workflow-versions-exhausted',
        'Every published workflow version is still in use: the active one, or one an open order runs. ' +
          'Migrate open orders to the active version (POST /v1/orders/{id}/migrate) or let them finish, then publish again.',
      );
    }
    return this.engine.deploy(tenantId, version, asl);
  }

  /**
   * Deletes the engine versions of superseded workflow versions no order pins, and answers
   * which. Each is retired before its pins are read, so a migration racing the prune either
   * pinned it first (and it stays) or is refused.
   */
  async prune(tenantId: string): Promise<number[]> {
    const now = this.clock();
    const candidates = await this.store.superseded(tenantId, new Date(now.getTime() - CREATION_GRACE_MS));
    const pruned: number[] = [];
    for (const candidate of candidates) {
      if (!candidate.retired) {
        await this.store.retire(tenantId, candidate.version, now);
        if (await this.store.isPinned(tenantId, candidate.version)) {
          await this.store.restore(tenantId, candidate.version);
          continue;
        }
      }
      await this.engine.removeVersion(candidate.executionTarget);
      await this.store.removed(tenantId, candidate.version, now);
      pruned.push(candidate.version);
    }
    return pruned;
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
