/**
 * The one way an order changes: read it and its pinned workflow, let a pure planner decide the
 * change, write it conditionally, re-read and re-plan when another write got in first, and only
 * once it has committed run what it owes the order's execution (a signal, a new execution).
 *
 * A new operation is a planner (see plans.ts) and one `run` call with its conflict policy.
 */
import { ConflictError } from '../errors.js';
import type { Workflow } from '../workflow/schema.js';
import type { OrderChange, OrderRecord, OrderStore, PendingSignal } from './order-store.js';
import { startOwedExecution } from './owed-start.js';
import type { Order } from './schema.js';
import { resumeIfStranded } from './stranded.js';
import { executionState } from './transitions.js';
import type { WorkflowEngine } from './workflow-engine.js';
import { type PinnedWorkflow, type WorkflowSource, workflowRefOf } from './workflow-source.js';

/** What a planner decides from one read of the order. */
export interface PlannedChange {
  change: OrderChange;
  /** Done after the change commits, in this order: stop the replaced execution, start the next. */
  effects?: AfterCommit;
}

export interface AfterCommit {
  /** The execution of this attempt is replaced (a migration). */
  stop?: {
    attempt: number;
    executionTarget?: string;
    executionArn?: string;
    workflowRevision?: number;
  };
  /** A new execution takes the changed order over at this stage entry. */
  start?: { entry: number; attempt: number };
}

export interface PlanInput {
  record: OrderRecord;
  pinned: PinnedWorkflow<Workflow>;
  now: Date;
}

/** Decides one change from one read; throws a problem to refuse it, answers undefined for "nothing to do". */
export type Planner = (input: PlanInput) => PlannedChange | undefined;

/** What a lost race (another write committed between this read and this write) means for a caller. */
export interface ConflictPolicy {
  /** Writes tried in all; each retry reads and plans again. */
  attempts: number;
  /** The error once no attempt is left. */
  exhausted: (conflict: ConflictError) => Error;
  /** The pause before the next attempt; none by default. */
  backoffMs?: (attempt: number) => number;
}

/** Full jitter on an exponential step, so writers racing on one order do not collide again in step. */
export function jitteredBackoff(baseMs: number, capMs: number): (attempt: number) => number {
  return (attempt) => Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

/** Runs `attempt` until it does not lose a race, as the policy allows. */
export async function retryOnConflict<T>(
  policy: ConflictPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (attemptNumber >= policy.attempts) throw policy.exhausted(error);
      const pause = policy.backoffMs?.(attemptNumber) ?? 0;
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

export interface ChangeRunnerOptions {
  /** The error for an order that does not exist (a 404 for the API, OrderGone for a task). */
  missing: (orderId: string) => Error;
  clock?: () => Date;
  /** Runs the effects; a runner without one refuses plans that have effects. */
  engine?: WorkflowEngine;
  /** Told when a signal could not be sent at once (the stream sends it again). */
  onSignalError?: (error: unknown) => void;
  /** Told when an execution could not be started at once (it stays owed; the sweep starts it). */
  onStartError?: (error: unknown) => void;
}

const SIGNAL_ATTEMPTS = 3;

export class OrderChangeRunner {
  private readonly clock: () => Date;
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: OrderStore,
    private readonly workflows: WorkflowSource<Workflow>,
    private readonly options: ChangeRunnerOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Changes of one order made through this runner queue behind each other: in one process
   * they would only make each other lose the race and read again. Other processes' changes
   * still race, and the conflict policy covers those.
   */
  private async oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.writing.get(key) ?? Promise.resolve();
    const current = before.then(work);
    const done = current.then(
      () => undefined,
      () => undefined,
    );
    this.writing.set(key, done);
    try {
      return await current;
    } finally {
      if (this.writing.get(key) === done) this.writing.delete(key);
    }
  }

  now(): Date {
    return this.clock();
  }

  /** The workflow version the order is pinned to; its absence is a broken invariant, not a client error. */
  async pinned(tenantId: string, order: Order): Promise<PinnedWorkflow<Workflow>> {
    const { version, revision } = workflowRefOf(order);
    const pinned = await this.workflows.version(tenantId, version, revision);
    if (!pinned)
      throw new Error(`Workflow version ${order.workflow.version} of tenant ${tenantId} is missing.`);
    return pinned;
  }

  /** The order with its pinned workflow, as one planner input. */
  async read(tenantId: string, orderId: string): Promise<Omit<PlanInput, 'now'>> {
    const record = await this.store.get(tenantId, orderId);
    if (!record) throw this.options.missing(orderId);
    return { record, pinned: await this.pinned(tenantId, record.order) };
  }

  /**
   * Reads (unless `known` is the read just made), plans, writes, retries as `policy` says and
   * then runs the committed change's effects. Answers the read the change applied to and the
   * change, or no change when the planner found nothing to do.
   */
  async run(
    tenantId: string,
    orderId: string,
    plan: Planner,
    policy: ConflictPolicy,
    known?: Omit<PlanInput, 'now'>,
  ): Promise<{ record: OrderRecord; change?: OrderChange }> {
    const { record, planned } = await this.oneAtATime(`${tenantId}/${orderId}`, () =>
      retryOnConflict(policy, async (attempt) => {
        const read = attempt === 1 && known ? known : await this.read(tenantId, orderId);
        const planned = plan({ ...read, now: this.clock() });
        if (planned) await this.store.update(tenantId, read.record, planned.change);
        return { record: read.record, planned };
      }),
    );
    if (!planned) return { record };
    const { change, effects } = planned;
    if (change.signal) await this.deliverSignal(change.signal);
    if (effects?.stop) await this.requireEngine().stop({ tenantId, orderId, ...effects.stop });
    if (effects?.start) await this.start(tenantId, change.order, effects.start.entry, effects.start.attempt);
    return { record, change };
  }

  /**
   * Starts an execution of the order at a stage entry, on the version it is pinned to, once
   * the change that owes it has committed. Should the start fail, the order keeps it owed
   * (`startOwedSince`) and the owed-starts sweep makes it (stranded.ts): the change stands.
   */
  async start(
    tenantId: string,
    order: Order,
    entry: number,
    attempt: number,
    pinned?: PinnedWorkflow<Workflow>,
  ): Promise<void> {
    const engine = this.requireEngine();
    try {
      const version = pinned ?? (await this.pinned(tenantId, order));
      await startOwedExecution(this.store, engine, {
        tenantId,
        orderId: order.id,
        workflowVersion: version.version,
        ...(version.revision !== undefined ? { workflowRevision: version.revision } : {}),
        ...(version.executionTarget ? { executionTarget: version.executionTarget } : {}),
        attempt,
        state: executionState(tenantId, order, entry),
      });
    } catch (error) {
      this.options.onStartError?.(error);
    }
  }

  /**
   * Sends the signal the committed change stored, at once so the order moves on without
   * delay. Should every attempt fail, the stored signal is sent again from the table's stream
   * (the events function), so it is still delivered at least once. A token no wait holds any
   * more may mean the execution that parked it ended (outlived its year, was stopped): then
   * the order gets a new execution, which finds the changed stage through Reload and Route.
   */
  private async deliverSignal(signal: PendingSignal): Promise<void> {
    const engine = this.requireEngine();
    for (let attempt = 1; attempt <= SIGNAL_ATTEMPTS; attempt++) {
      try {
        if ((await engine.signal(signal.token, signal.output)) === 'expired')
          await this.restartIfEnded(signal);
        return;
      } catch (error) {
        if (attempt === SIGNAL_ATTEMPTS) this.options.onSignalError?.(error);
        else await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  /** A failure here is not the signal's: it is reported, and the stranded-orders paths still cover the order. */
  private async restartIfEnded(signal: PendingSignal): Promise<void> {
    const { tenantId, orderId } = signal.output;
    const deps = { store: this.store, workflows: this.workflows, engine: this.requireEngine() };
    await resumeIfStranded(deps, tenantId, orderId).catch((error: unknown) =>
      this.options.onSignalError?.(error),
    );
  }

  private requireEngine(): WorkflowEngine {
    if (!this.options.engine) throw new Error('This change runner has no workflow engine for effects.');
    return this.options.engine;
  }
}
