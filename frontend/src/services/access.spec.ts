import { describe, expect, it } from "vitest";
import { canSee, handlesDocuments, personPermissions, roleConflict, visibleAreas } from "./access";

describe("canSee", () => {
  it.each([
    [["drafter"], "outgoing", true],
    [["registrar"], "incoming", true],
    [["drafter"], "archive", false],
    [["archivist"], "archive", true],
    [["archivist"], "outgoing", false],
    [["sysadmin"], "admin.units", true],
    [["secadmin"], "admin.units", false],
    [["secadmin"], "admin.people", true],
    [["auditadmin"], "admin.people", false],
    [["auditadmin"], "admin.audit", true],
    [["sysadmin"], "admin.audit", false],
    [[], "workbench", true],
  ] as const)("with roles %j the area %s is visible: %s", (roles, area, expected) => {
    expect(canSee(roles, area)).toBe(expected);
  });
});

describe("visibleAreas", () => {
  it("gives a drafter only the workbench, the two document areas and their delegations", () => {
    expect(visibleAreas(["drafter"])).toEqual(["workbench", "outgoing", "incoming", "delegations"]);
  });

  it("gives the audit administrator only the workbench and the audit log", () => {
    expect(visibleAreas(["auditadmin"])).toEqual(["workbench", "admin.audit"]);
  });
});

describe("personPermissions", () => {
  it("lets the system administrator create and edit people but not assign roles", () => {
    expect(personPermissions(["sysadmin"])).toEqual({ create: true, edit: true, editRoles: false, unlock: false });
  });

  it("lets the security administrator assign roles and unlock but not edit", () => {
    expect(personPermissions(["secadmin"])).toEqual({ create: false, edit: false, editRoles: true, unlock: true });
  });
});

describe("handlesDocuments", () => {
  it.each([
    [["drafter"], true],
    [["archivist"], true],
    [["sysadmin"], false],
    [["secadmin"], false],
    [["auditadmin"], false],
  ] as const)("with roles %j has document counts: %s", (roles, expected) => {
    expect(handlesDocuments(roles)).toBe(expected);
  });
});

describe("roleConflict", () => {
  it("accepts several business roles together", () => {
    expect(roleConflict(["drafter", "reviewer", "registrar"])).toBeNull();
  });

  it("accepts one administrator role alone", () => {
    expect(roleConflict(["secadmin"])).toBeNull();
  });

  it("refuses two administrator roles for one person", () => {
    expect(roleConflict(["auditadmin", "sysadmin"])).toEqual({ kind: "twoAdmins", roles: ["sysadmin", "auditadmin"] });
  });

  it("refuses an administrator who also handles documents", () => {
    expect(roleConflict(["sysadmin", "archivist"])).toEqual({ kind: "adminWithBusiness", admin: "sysadmin" });
  });
});
