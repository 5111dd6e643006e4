/**
 * Shapes of the 收文 (incoming) detail API and, pure, what each incoming
 * action asks of the person and how its request is built: 签收, 登记, 初审
 * (accept / 退文 with reasons), 拟办, 批示, 交办 (主办 and 协办 with a
 * deadline), 传阅, 阅知, 催办, 答复, 办结. Compared with the OpenAPI by `check:api`.
 */
import type { BodyBlock } from "./documentTypes";
import type { ContentIn } from "./drafting";

export const INCOMING_ACTIONS = [
  "sign_for",
  "register",
  "accept",
  "return",
  "circulate",
  "read",
  "propose",
  "instruct",
  "assign",
  "urge",
  "reply",
  "close",
] as const;
export type IncomingAction = (typeof INCOMING_ACTIONS)[number];

export interface IncomingReader {
  person_id: number;
  name: string;
  sent_at: string;
  read_at: string | null;
}

export interface IncomingAttachment {
  position: number;
  filename: string;
  media_type: string;
  size: number;
  sha256: string;
}

export interface IncomingHistory {
  action: string;
  actor_id: number | null;
  from_state: string;
  to_state: string;
  note: string;
  at: string;
}

export interface IncomingView {
  id: number;
  state: string;
  state_label: string;
  title: string;
  doc_type: string;
  doc_number: string | null;
  urgency: string | null;
  sender_name: string;
  register_number: string | null;
  received_at: string;
  deadline: string | null;
  source: string;
  sender_unit_code: string | null;
  elements: Record<string, unknown>;
  body: BodyBlock[];
  seal: Record<string, unknown> | null;
  signed_for_at: string | null;
  registered_at: string | null;
  return_reasons: string[];
  proposal: string;
  leader_id: number | null;
  instruction: string;
  lead_office_id: number | null;
  helper_office_ids: number[];
  reply_document_id: number | null;
  closed_at: string | null;
  readers: IncomingReader[];
  attachments: IncomingAttachment[];
  history: IncomingHistory[];
  actions: IncomingAction[];
}

export interface IncomingActionRequest {
  action: IncomingAction;
  reasons?: string[];
  readers?: number[];
  text?: string;
  leader_id?: number | null;
  lead_office_id?: number | null;
  helper_office_ids?: number[];
  deadline?: string | null;
  title?: string | null;
  doc_number?: string | null;
}

export interface ScannedFile {
  filename: string;
  media_type?: string;
  content_base64: string;
}

export interface ManualRegistration {
  sender_name: string;
  title: string;
  doc_type: string;
  doc_number?: string | null;
  urgency?: string | null;
  received_via?: string;
  summary?: string;
  files?: ScannedFile[];
}

export const RECEIVED_VIA = ["纸质", "电子邮件", "传真", "其他"] as const;

export interface ReplyCreated {
  incoming_id: number;
  document_id: number;
}

export interface ReplyRequest {
  content: ContentIn;
}

/** Everything the action dialog can gather; each action reads its own part. */
export interface IncomingActionForm {
  text: string;
  reasons: string[];
  readers: number[];
  leaderId: number | null;
  leadOfficeId: number | null;
  helperOfficeIds: number[];
  /** ISO date-time with zone, as the date picker gives it. */
  deadline: string | null;
  title: string;
  docNumber: string;
}

export function emptyIncomingForm(): IncomingActionForm {
  return { text: "", reasons: [], readers: [], leaderId: null, leadOfficeId: null, helperOfficeIds: [], deadline: null, title: "", docNumber: "" };
}

/** The parts of the form an action shows. */
export type IncomingField = "text" | "reasons" | "readers" | "leader" | "offices" | "deadline" | "corrections";

const FIELDS: Record<IncomingAction, readonly IncomingField[]> = {
  sign_for: [],
  register: ["corrections"],
  accept: [],
  return: ["reasons"],
  circulate: ["readers"],
  read: [],
  propose: ["text", "leader"],
  instruct: ["text"],
  assign: ["offices", "deadline"],
  urge: ["text"],
  // 答复 opens the drafting form instead of this dialog.
  reply: [],
  close: ["text"],
};

export function fieldsOf(action: IncomingAction): readonly IncomingField[] {
  return FIELDS[action];
}

/** Actions the page offers as buttons, in the server's order; 阅知 is the reader's own button. */
export function offeredIncomingActions(allowed: readonly IncomingAction[]): IncomingAction[] {
  return allowed.filter((action) => (INCOMING_ACTIONS as readonly string[]).includes(action));
}

/** What must be filled before the action can be sent (mirrors the server's refusals). */
export function incomingMissing(action: IncomingAction, form: IncomingActionForm): string | null {
  if (action === "return" && form.reasons.every((r) => r.trim() === "")) return "reasons";
  if (action === "circulate" && form.readers.length === 0) return "readers";
  if ((action === "propose" || action === "instruct") && form.text.trim() === "") return "text";
  if (action === "assign" && form.leadOfficeId === null) return "offices";
  if (action === "assign" && form.helperOfficeIds.includes(form.leadOfficeId ?? -1)) return "helperIsLead";
  return null;
}

export function incomingActionRequest(action: IncomingAction, form: IncomingActionForm): IncomingActionRequest {
  const request: IncomingActionRequest = { action };
  const fields = fieldsOf(action);
  if (fields.includes("text") && form.text.trim() !== "") request.text = form.text.trim();
  if (fields.includes("reasons")) request.reasons = form.reasons.map((r) => r.trim()).filter((r) => r !== "");
  if (fields.includes("readers")) request.readers = [...form.readers];
  if (fields.includes("leader") && form.leaderId !== null) request.leader_id = form.leaderId;
  if (fields.includes("offices")) {
    request.lead_office_id = form.leadOfficeId;
    request.helper_office_ids = [...form.helperOfficeIds];
  }
  if (fields.includes("deadline") && form.deadline !== null && form.deadline !== "") request.deadline = form.deadline;
  if (fields.includes("corrections")) {
    // Only a change is sent: an unchanged field must not overwrite what the sender wrote.
    if (form.title.trim() !== "") request.title = form.title.trim();
    if (form.docNumber.trim() !== "") request.doc_number = form.docNumber.trim();
  }
  return request;
}

/** Readers who have not opened a circulated document yet, for the 传阅 status line. */
export function unreadCount(readers: readonly IncomingReader[]): number {
  return readers.filter((reader) => reader.read_at === null).length;
}
