/**
 * Shapes of the 委托 (delegation) and per-unit workflow-settings APIs, and the
 * pure rules the pages apply to them: whether someone is acting for a
 * colleague now, and a step list ready to PUT back.
 * Compared with the server's OpenAPI by `npm run check:api`.
 */
import type { StepKind } from "./documentTypes";

export interface Delegation {
  id: number;
  person_id: number;
  person_name: string;
  delegate_id: number;
  delegate_name: string;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_at: string;
  revoked_at: string | null;
  /** In force now (started, not ended, not revoked), as the server judges it. */
  active: boolean;
}

export interface DelegationList {
  given: Delegation[];
  received: Delegation[];
}

export interface NewDelegation {
  delegate_id: number;
  starts_at: string;
  ends_at: string;
  reason?: string;
}

export const POLICY_KINDS = ["all", "any", "quorum"] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export interface Policy {
  kind?: PolicyKind;
  quorum?: number;
}

export interface WorkflowStep {
  kind: StepKind;
  role: string | null;
  people: number[];
  optional: boolean;
  deadline_hours: number | null;
  policy: Policy;
  drafter_may_countersign: boolean;
}

export interface Workflow {
  unit_id: number;
  unit_code: string;
  name: string;
  steps: WorkflowStep[];
  /** False: the unit uses the standard workflow (nothing set of its own). */
  customised: boolean;
  updated_at: string | null;
}

export interface WorkflowChanges {
  name?: string;
  steps: WorkflowStep[];
}

/** The people someone acts for now: the givers of the delegations received and in force. */
export function actingFor(list: DelegationList): string[] {
  return [...new Set(list.received.filter((d) => d.active).map((d) => d.person_name))];
}

/** A period is usable when both ends are set and it ends after it starts. */
export function periodProblem(startsAt: string | null, endsAt: string | null): "required" | "endsBeforeStart" | null {
  if (startsAt === null || endsAt === null || startsAt === "" || endsAt === "") return "required";
  return new Date(endsAt).getTime() <= new Date(startsAt).getTime() ? "endsBeforeStart" : null;
}

/** A 会签 step needs its policy's quorum to be between 1 and the number of people named. */
export function stepProblem(step: WorkflowStep): "quorum" | null {
  if (step.policy.kind !== "quorum") return null;
  const quorum = step.policy.quorum ?? 0;
  return quorum < 1 || (step.people.length > 0 && quorum > step.people.length) ? "quorum" : null;
}

export function blankStep(kind: StepKind): WorkflowStep {
  return { kind, role: null, people: [], optional: false, deadline_hours: null, policy: { kind: "all", quorum: 0 }, drafter_may_countersign: false };
}

/** Move a step up or down; the order of steps is the order the document takes. */
export function moveStep(steps: readonly WorkflowStep[], index: number, by: -1 | 1): WorkflowStep[] {
  const target = index + by;
  if (target < 0 || target >= steps.length) return [...steps];
  const next = [...steps];
  const [taken] = next.splice(index, 1);
  if (taken !== undefined) next.splice(target, 0, taken);
  return next;
}
