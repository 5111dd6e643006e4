/**
 * Shapes of the outgoing-document (发文) API: worklists, a document with its
 * tasks and allowed actions, its history, and an action request.
 * Compared with the server's OpenAPI by `npm run check:api`.
 */

export const DOC_STATES = [
  "draft",
  "in_review",
  "countersigning",
  "awaiting_signoff",
  "recheck",
  "registering",
  "sealing",
  "dispatching",
  "dispatched",
  "withdrawn",
] as const;
export type DocState = (typeof DOC_STATES)[number];

export const ACTIONS = [
  "submit",
  "approve",
  "return",
  "resubmit",
  "withdraw",
  "transfer",
  "add_countersigner",
  "urge",
  "edit",
  "substantive_change",
  "assign_number",
  "seal",
  "dispatch",
  "cancel",
] as const;
export type Action = (typeof ACTIONS)[number];

/** Workflow steps; the server names them in Chinese, which is also how they are shown. */
export const STEP_KINDS = ["拟稿", "核稿", "会签", "签发", "复核", "登记", "用印", "核发"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const WORKLISTS = ["todo", "drafts", "done", "sent"] as const;
export type Worklist = (typeof WORKLISTS)[number];

export interface WorklistQuery {
  q?: string;
  doc_type?: string;
  overdue?: boolean | null;
  page: number;
  page_size: number;
}

export interface ListItem {
  id: number;
  title: string;
  doc_type: string;
  state: DocState;
  doc_number: string | null;
  urgency: string | null;
  updated_at: string;
  task_no: number | null;
  step: StepKind | null;
  due_at: string | null;
  overdue: boolean;
}

export interface Recipient {
  unit_code: string | null;
  name: string;
}

export interface BodyBlock {
  /** 0 is a paragraph; 1–4 are the heading levels 一、（一）1.（1）. */
  level: number;
  text: string;
}

/** The elements (要素) of a document as stored; the server may add more, shown as they come. */
export interface DocumentContent {
  doc_type?: string;
  title?: string;
  urgency?: string | null;
  classification?: string | null;
  secrecy_period?: string | null;
  publication_level?: string;
  issuer_names?: string[];
  daizi?: string;
  main_recipients?: Recipient[];
  copy_recipients?: Recipient[];
  body?: BodyBlock[];
  signers?: string[];
  written_date?: string | null;
  notes?: string;
  printing_organ?: string;
  [element: string]: unknown;
}

export interface Task {
  task_no: number;
  step: StepKind;
  holder_id: number;
  holder_name: string;
  round: number;
  status: "open" | "done" | "cancelled";
  outcome: string | null;
  opinion: string;
  acted_by_id: number | null;
  created_at: string;
  due_at: string | null;
  closed_at: string | null;
}

export interface Attachment {
  id: number;
  document_id: number;
  title: string;
  filename: string;
  media_type: string;
  size: number;
  sha256: string;
  sm3: string;
  uploaded_by_id: number;
  uploaded_at: string;
}

export interface DocumentView {
  id: number;
  identifier: string;
  unit_id: number;
  drafter_id: number;
  state: DocState;
  version: number;
  doc_number: string | null;
  content: DocumentContent;
  tasks: Task[];
  signoff: Record<string, unknown> | null;
  allowed_actions: Action[];
  /** In the order of the attachment notes (附件说明). */
  attachments: Attachment[];
  attachment_notes: string[];
  created_at: string;
  updated_at: string;
}

export interface HistoryEntry {
  action: string;
  actor_id: number;
  actor_name: string;
  acting_for_id: number | null;
  from_state: string;
  to_state: string;
  note: string;
  at: string;
}

export interface ActionRequest {
  action: Action;
  opinion?: string;
  reason?: string;
  next_holders?: number[];
  skip?: StepKind[];
  target?: "previous" | "drafter" | "step" | null;
  step?: StepKind | null;
  task_no?: number | null;
  to?: number | null;
  people?: number[];
  message?: string;
}

/** 收文 boxes: 未签收, 待办, 待阅, 全部. */
export const INCOMING_BOXES = ["unsigned", "todo", "toread", "all"] as const;
export type IncomingBox = (typeof INCOMING_BOXES)[number];

export interface IncomingSummary {
  id: number;
  state: string;
  /** The server's own words for the state (待签收, 承办中…). */
  state_label: string;
  title: string;
  doc_type: string;
  doc_number: string | null;
  urgency: string | null;
  sender_name: string;
  register_number: string | null;
  received_at: string;
  deadline: string | null;
}

/** One attachment in GET /api/documents/{id}/archive-precheck: would the archive's 可用性 check take it? */
export interface AttachmentPrecheck {
  attachment_id: number;
  title: string;
  filename: string;
  /** As the intake names it: "PDF/A", "PDF", "OOXML", … */
  format: string;
  format_label: string;
  accepted: boolean;
  /** Why not, and what to do, in words to show as they are; empty when accepted. */
  problems: string[];
}

/** GET /api/documents/{id}/archive-precheck: the 归档预检 of a document's attachments. */
export interface ArchivePrecheck {
  document_id: number;
  accepted_formats: string[];
  ready: boolean;
  attachments: AttachmentPrecheck[];
}

/** GET /api/documents/{id}/seal/verify: whether the seal still matches the text. */
export interface SealVerification {
  valid: boolean;
  /** Why it is valid or not, in words to show as they are. */
  reason: string;
  sealed_by: string | null;
  unit_code: string | null;
  sealed_at: string | null;
  key_id: string | null;
  digest: string | null;
}

export const DELIVERY_STATUSES = ["offline", "unroutable", "sent", "failed", "delivered", "signed_for", "returned", "closed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One recipient's copy of a dispatched document, as the sender sees it. */
export interface Delivery {
  id: number;
  position: number;
  copy_to: boolean;
  recipient_code: string | null;
  recipient_name: string;
  status: DeliveryStatus;
  /** The server's words for the status (已签收, 被退回…). */
  status_label: string;
  reasons: string[];
  note: string;
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  signed_for_at: string | null;
  returned_at: string | null;
  closed_at: string | null;
  updated_at: string;
}
