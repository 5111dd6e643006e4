import { describe, expect, it } from "vitest";
import { ApiError, fieldName, parseProblem } from "./problem";

describe("fieldName", () => {
  it.each([
    ["username", "username"],
    ["body.username", "username"],
    ["#/username", "username"],
    ["/body/unit_id", "unit_id"],
    ["body.offices.0.code", "offices.0.code"],
    ["body", "body"],
  ])("reduces %s to the form field %s", (location, expected) => {
    expect(fieldName(location)).toBe(expected);
  });
});

describe("parseProblem", () => {
  it("reads every member of a problem details body", () => {
    const parsed = parseProblem(423, "Locked", {
      type: "https://oa.example/problems/locked",
      title: "账号已锁定",
      status: 423,
      detail: "账号锁定至 18:30",
    });
    expect(parsed).toEqual({
      type: "https://oa.example/problems/locked",
      title: "账号已锁定",
      status: 423,
      detail: "账号锁定至 18:30",
      errors: [],
    });
  });

  it("accepts pydantic-style loc arrays and msg text in errors", () => {
    const parsed = parseProblem(422, "", { title: "校验失败", errors: [{ loc: ["body", "password"], msg: "太短" }] });
    expect(parsed.errors).toEqual([{ field: "password", message: "太短" }]);
  });

  it("ignores malformed error entries instead of failing", () => {
    const parsed = parseProblem(422, "Unprocessable", { errors: [null, 3, { field: 1 }, { field: "name", message: "必填" }] });
    expect(parsed.errors).toEqual([{ field: "name", message: "必填" }]);
  });

  it("falls back to the status text when the body is not a problem", () => {
    const error = new ApiError(parseProblem(500, "Internal Server Error", "oops"));
    expect(error.userMessage).toBe("Internal Server Error");
    expect(error.detail).toBeNull();
  });
});
