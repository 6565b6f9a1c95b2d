import * as z from 'zod';
import { Role } from '../auth/role.js';
import { CreateOrderRequest, ItemProgressRequest, TransitionRequest } from '../orders/schema.js';
import { durationSchema } from '../workflow/schema.js';

/** The most steps one simulation takes; each is at most one API call's worth of work. */
export const MAX_SIMULATION_STEPS = 200;

export const ProgressStep = z.strictObject({
  progress: ItemProgressRequest.extend({
    sku: z.string().min(1).max(100).optional(),
    code: z.string().min(1).max(100).optional(),
  }).refine((line) => (line.sku === undefined) !== (line.code === undefined), {
    error: 'name the line by exactly one of `sku` (an item) or `code` (a service)',
  }),
});
export const WaitStep = z.strictObject({
  wait: durationSchema.describe('Time passing, e.g. "P3D": the simulated clock moves on and timeouts fire.'),
});

const stepShapes = [TransitionRequest, ProgressStep, WaitStep] as const;
export const SimulationStep = z.union(stepShapes, {
  error:
    'a step is { "to", "note"?, "shipment"? }, { "progress": { "sku" | "code", "status" } } or { "wait": "P3D" }',
});
export type SimulationStep = z.output<typeof SimulationStep>;

export const SimulateRequest = z
  .strictObject({
    document: z.unknown().optional().describe('A workflow document to try; default: the active version.'),
    version: z.int().min(0).optional().describe('A published version to try instead of a document.'),
    order: CreateOrderRequest,
    steps: z.array(SimulationStep).max(MAX_SIMULATION_STEPS).default([]),
    role: Role.optional().describe("The role the steps are taken as; default: the calling key's role."),
  })
  .refine((request) => request.document === undefined || request.version === undefined, {
    error: 'give `document` or `version`, not both',
    path: ['version'],
  });
export type SimulateRequest = z.output<typeof SimulateRequest>;

const Cause = z.enum(['created', 'api', 'auto', 'timeout', 'action_error']);

export const SimulationResult = z.object({
  workflow: z.object({ name: z.string(), version: z.int().optional() }),
  path: z.array(z.object({ stage: z.string(), cause: Cause, at: z.string() })),
  actions: z.array(
    z.object({
      stage: z.string(),
      id: z.string(),
      type: z.string(),
      at: z.string(),
      params: z.record(z.string(), z.unknown()),
    }),
  ),
  refused: z.array(
    z.object({
      step: z.int().describe('Index of the refused step in `steps`.'),
      status: z.int(),
      problem: z.record(z.string(), z.unknown()),
    }),
  ),
  stateTransitions: z.int(),
  estimatedUsdPer1000Orders: z.number(),
  estimate: z.object({
    apiCalls: z.int(),
    taskInvocations: z.int(),
    usdPer1000Orders: z.record(z.string(), z.number()),
  }),
  finalStage: z.string(),
  /** The simulated time the last step ended at. */
  endedAt: z.string(),
  /** True when the simulation stopped at its bound on state transitions. */
  truncated: z.boolean(),
});
export type SimulationResult = z.output<typeof SimulationResult>;
