import { describe, expect, it } from "vitest";
import { firstProblem, isRequired, officeChecks, personChecks, unitChecks } from "./validation";

describe("person checks", () => {
  it.each([
    ["", "errors.required"],
    ["ab", "errors.tooShort"],
    ["Zhang", "errors.usernamePattern"],
    [".abc", "errors.usernamePattern"],
    ["zfb.drafter", null],
    ["007agent", null],
    ["li_si-2", null],
  ])("username %j gives %s", (value, expected) => {
    expect(firstProblem(value, personChecks.username)?.key ?? null).toBe(expected);
  });

  it.each([
    ["", "errors.required"],
    ["abc123", "errors.tooShort"],
    ["demo12345", null],
  ])("password %j gives %s", (value, expected) => {
    expect(firstProblem(value, personChecks.password)?.key ?? null).toBe(expected);
  });

  it("asks for a name of at least two characters, as the server does", () => {
    expect(firstProblem("王", personChecks.name)?.key).toBe("errors.tooShort");
  });

  it("counts a Chinese name by characters, not bytes", () => {
    expect(firstProblem("王".repeat(64), personChecks.name)).toBeNull();
    expect(firstProblem("王".repeat(65), personChecks.name)).toEqual({
      key: "errors.tooLong",
      params: { field: "people.name", n: 64 },
    });
  });

  it("treats an empty position as fine because it is optional", () => {
    expect(firstProblem("", personChecks.position)).toBeNull();
  });
});

describe("unit and office checks", () => {
  it("rejects a unit code with spaces or Chinese", () => {
    expect(firstProblem("ZF B", unitChecks.code)?.key).toBe("errors.codePattern");
    expect(firstProblem("政府办", unitChecks.code)?.key).toBe("errors.codePattern");
    expect(firstProblem("XSZF-01", unitChecks.code)).toBeNull();
    expect(firstProblem("zfb_2.a", unitChecks.code)).toBeNull();
  });

  it("requires the short name and the office name", () => {
    expect(firstProblem("  ", unitChecks.short_name)?.key).toBe("errors.required");
    expect(firstProblem("", officeChecks.name)?.key).toBe("errors.required");
  });
});

describe("isRequired", () => {
  it("knows which fields must be filled in", () => {
    expect(isRequired(personChecks.username)).toBe(true);
    expect(isRequired(personChecks.position)).toBe(false);
  });
});
