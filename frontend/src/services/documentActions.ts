/**
 * Which document actions this page can take, and what each asks of the person.
 *
 * Pure. The server lists the actions the person may take now
 * (`allowed_actions`); the page offers those it has a form for. Actions that
 * need people chosen (转交, 加签) or the body edited (修改) are not offered here.
 */
import type { Action, ActionRequest } from "./documentTypes";

export type ActionInput = "none" | "opinion" | "reason" | "message";

const INPUT_OF: Partial<Record<Action, ActionInput>> = {
  submit: "none",
  resubmit: "opinion",
  approve: "opinion",
  return: "reason",
  withdraw: "reason",
  urge: "message",
  cancel: "reason",
  assign_number: "none",
  seal: "none",
  dispatch: "none",
};

// Moving work forward may need the next step's holders named (e.g. who countersigns);
// the server says so in a 422/409 detail when they are missing.
const NAMES_NEXT_HOLDERS: ReadonlySet<Action> = new Set(["submit", "resubmit", "approve"]);

// Going back or throwing work away needs a stated reason; the history shows it to the drafter.
const REASON_REQUIRED: ReadonlySet<Action> = new Set(["return", "cancel"]);

export function offeredActions(allowed: readonly Action[]): Action[] {
  return allowed.filter((action) => INPUT_OF[action] !== undefined);
}

export function inputOf(action: Action): ActionInput {
  return INPUT_OF[action] ?? "none";
}

export function namesNextHolders(action: Action): boolean {
  return NAMES_NEXT_HOLDERS.has(action);
}

export function needsReason(action: Action): boolean {
  return REASON_REQUIRED.has(action);
}

/** The request body: the text goes in the field the server reads for that action. */
export function actionRequest(action: Action, text: string, nextHolders: readonly number[] = []): ActionRequest {
  const value = text.trim();
  const request: ActionRequest = { action };
  const input = inputOf(action);
  if (input === "opinion") request.opinion = value;
  if (input === "reason") request.reason = value;
  if (input === "message") request.message = value;
  if (namesNextHolders(action) && nextHolders.length > 0) request.next_holders = [...nextHolders];
  return request;
}
