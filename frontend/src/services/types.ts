/**
 * Shapes of the foundation API's JSON bodies, as the server sends them.
 *
 * Kept in one module so that when the server's OpenAPI document is published the
 * comparison (style.md practice 13) has a single place to look.
 */

export const ROLES = [
  "drafter",
  "reviewer",
  "signer",
  "registrar",
  "archivist",
  "sysadmin",
  "secadmin",
  "auditadmin",
] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_KINDS = ["county", "town", "township", "subdistrict", "department"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface Office {
  id: number;
  code: string;
  name: string;
}

export interface UnitRef {
  id: number;
  code: string;
  name: string;
  short_name: string;
  kind: UnitKind;
}

export interface Unit extends UnitRef {
  parent_id: number | null;
  offices: Office[];
}

export interface Me {
  id: number;
  username: string;
  name: string;
  unit: UnitRef;
  office: Office | null;
  position: string | null;
  roles: Role[];
}

/** GET /api/auth/session: answered 200 whether or not anyone is signed in. */
export interface SessionState {
  signed_in: boolean;
  me?: Me | null;
}

export interface Person {
  id: number;
  username: string;
  name: string;
  unit_id: number;
  office_id: number | null;
  position: string | null;
  roles: Role[];
  active: boolean;
  locked_until: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type AuditOutcome = "success" | "denied" | "failed";

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  /** Set when the actor acted as a delegate for this person. */
  acting_for_id: number | null;
  unit_id: number | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
  hash: string;
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  first_bad_id: number | null;
  reason: string | null;
}

/**
 * Badge counts of the 工作台 by badge name (GET /api/workbench/counts and the
 * WebSocket's `badges` frame). The cards show `todo` 待办, `to_read` 待阅,
 * `unsigned` 未签收 and `overdue` 超期; a name the server does not send is
 * unknown and shows as "—".
 */
export type WorkbenchCounts = Record<string, number>;

export interface NewUnit {
  code: string;
  name: string;
  short_name: string;
  kind: UnitKind;
  parent_id?: number | null;
}

export interface UnitChanges {
  name?: string;
  short_name?: string;
}

export interface NewOffice {
  code: string;
  name: string;
}

export interface NewPerson {
  username: string;
  name: string;
  unit_id: number;
  office_id?: number | null;
  position?: string | null;
  password: string;
}

export interface PersonChanges {
  name?: string;
  office_id?: number | null;
  position?: string | null;
  active?: boolean;
}

export interface AuditQuery {
  actor_id?: number | null;
  action?: string;
  unit_id?: number | null;
  since?: string | null;
  until?: string | null;
  page: number;
  page_size: number;
}
