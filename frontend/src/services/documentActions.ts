/**
 * Which document actions this page can take, and what each asks of the person.
 *
 * Pure. The server lists the actions the person may take now
 * (`allowed_actions`); the page offers those it has a form for. 修改 (the body
 * and elements) has its own page, the drafting form, so it is not offered here.
 */
import type { Action, ActionRequest, StepKind } from "./documentTypes";

export type ActionInput = "none" | "opinion" | "reason" | "message";

const INPUT_OF: Partial<Record<Action, ActionInput>> = {
  submit: "none",
  resubmit: "opinion",
  approve: "opinion",
  return: "reason",
  withdraw: "reason",
  transfer: "reason",
  // A change after 签发 goes back to the signer with its reason; the text itself is edited in the drafting form.
  substantive_change: "reason",
  add_countersigner: "none",
  urge: "message",
  cancel: "reason",
  assign_number: "none",
  seal: "none",
  dispatch: "opinion",
};

// Moving work forward may need the next step's holders named (e.g. who countersigns);
// the server says so in a 422/409 detail when they are missing.
const NAMES_NEXT_HOLDERS: ReadonlySet<Action> = new Set(["submit", "resubmit", "approve", "seal"]);

// Going back or throwing work away needs a stated reason; the history shows it to the drafter.
const REASON_REQUIRED: ReadonlySet<Action> = new Set(["return", "cancel"]);

/** Who the action names: nobody, one colleague (转交 `to`) or several (加签 `people`). */
export type PeopleInput = "none" | "one" | "many";

export function peopleOf(action: Action): PeopleInput {
  if (action === "transfer") return "one";
  if (action === "add_countersigner") return "many";
  return "none";
}

export type ReturnTargetChoice = "previous" | "drafter" | "step";

/** What the dialog gathered besides the text. */
export interface ActionChoices {
  nextHolders?: readonly number[];
  to?: number | null;
  people?: readonly number[];
  target?: ReturnTargetChoice;
  step?: StepKind | null;
}

/**
 * Steps a 退回 may name: those already done before the current one, each once,
 * in workflow order (returning to 拟稿 is "to the drafter", offered separately).
 */
export function earlierSteps(tasks: ReadonlyArray<{ step: StepKind; status: string }>): StepKind[] {
  const open = new Set(tasks.filter((task) => task.status === "open").map((task) => task.step));
  const done: StepKind[] = [];
  for (const task of tasks) {
    if (task.status === "done" && task.step !== "拟稿" && !open.has(task.step) && !done.includes(task.step)) done.push(task.step);
  }
  return done;
}

/** What keeps the confirm button off: a person to name, a step to choose. */
export function missingChoice(action: Action, choices: ActionChoices): boolean {
  const people = peopleOf(action);
  if (people === "one" && (choices.to === null || choices.to === undefined)) return true;
  if (people === "many" && (choices.people ?? []).length === 0) return true;
  if (action === "return" && choices.target === "step" && (choices.step === null || choices.step === undefined)) return true;
  return false;
}

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
export function actionRequest(action: Action, text: string, choices: ActionChoices = {}): ActionRequest {
  const value = text.trim();
  const request: ActionRequest = { action };
  const input = inputOf(action);
  if (input === "opinion") request.opinion = value;
  if (input === "reason") request.reason = value;
  if (input === "message") request.message = value;
  const nextHolders = choices.nextHolders ?? [];
  if (namesNextHolders(action) && nextHolders.length > 0) request.next_holders = [...nextHolders];
  if (peopleOf(action) === "one" && choices.to !== undefined && choices.to !== null) request.to = choices.to;
  if (peopleOf(action) === "many") request.people = [...(choices.people ?? [])];
  if (action === "return") {
    request.target = choices.target ?? "previous";
    if (request.target === "step") request.step = choices.step ?? null;
  }
  return request;
}
