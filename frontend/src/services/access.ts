/**
 * Who sees which part of the application, as pure data.
 *
 * The server enforces every permission; this table only decides which menu
 * entries and buttons to show, so that people are not offered actions that
 * would be refused. The three administrators (三员) are kept apart: the system
 * administrator manages units and people, the security administrator assigns
 * roles and unlocks accounts, the audit administrator reads the audit log.
 */
import type { Role } from "./types";

export type Area =
  | "workbench"
  | "outgoing"
  | "incoming"
  | "archive"
  | "admin.units"
  | "admin.people"
  | "admin.audit"
  | "delegations"
  | "admin.workflow"
  | "admin.exchange";

const DOCUMENT_ROLES: readonly Role[] = ["drafter", "reviewer", "signer", "registrar"];
// Roles that handle documents and so have 待办/待阅 counts; the three administrators never do (三员分立).
const BUSINESS_ROLES: readonly Role[] = [...DOCUMENT_ROLES, "archivist"];

const AREA_ROLES: Record<Area, readonly Role[] | "everyone"> = {
  workbench: "everyone",
  outgoing: DOCUMENT_ROLES,
  incoming: DOCUMENT_ROLES,
  archive: ["archivist"],
  "admin.units": ["sysadmin"],
  "admin.people": ["sysadmin", "secadmin"],
  "admin.audit": ["auditadmin"],
  // Whoever holds document work may hand it to a colleague for a period (委托).
  delegations: DOCUMENT_ROLES,
  "admin.workflow": ["sysadmin"],
  "admin.exchange": ["sysadmin"],
};

export function canSee(roles: readonly Role[], area: Area): boolean {
  const allowed = AREA_ROLES[area];
  return allowed === "everyone" || allowed.some((role) => roles.includes(role));
}

export function visibleAreas(roles: readonly Role[]): Area[] {
  return (Object.keys(AREA_ROLES) as Area[]).filter((area) => canSee(roles, area));
}

const ADMIN_ROLES: readonly Role[] = ["sysadmin", "secadmin", "auditadmin"];

/** Why a role set breaks the separation of duties (三员分立), as the server's check_role_set does; null when fine. */
export type RoleConflict = { kind: "twoAdmins"; roles: Role[] } | { kind: "adminWithBusiness"; admin: Role };

export function roleConflict(roles: readonly Role[]): RoleConflict | null {
  const admins = ADMIN_ROLES.filter((role) => roles.includes(role));
  if (admins.length > 1) return { kind: "twoAdmins", roles: admins };
  const admin = admins[0];
  if (admin !== undefined && roles.some((role) => BUSINESS_ROLES.includes(role))) return { kind: "adminWithBusiness", admin };
  return null;
}

export function handlesDocuments(roles: readonly Role[]): boolean {
  return BUSINESS_ROLES.some((role) => roles.includes(role));
}

/** Actions on a person in the people list, by role. */
export interface PersonPermissions {
  create: boolean;
  edit: boolean;
  editRoles: boolean;
  unlock: boolean;
}

export function personPermissions(roles: readonly Role[]): PersonPermissions {
  const sysadmin = roles.includes("sysadmin");
  const secadmin = roles.includes("secadmin");
  return { create: sysadmin, edit: sysadmin, editRoles: secadmin, unlock: secadmin };
}
