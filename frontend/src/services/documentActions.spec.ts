import { describe, expect, it } from "vitest";
import { actionRequest, namesNextHolders, needsReason, offeredActions } from "./documentActions";

describe("document actions", () => {
  it("offers only the allowed actions it has a form for", () => {
    expect(offeredActions(["approve", "transfer", "return", "add_countersigner"])).toEqual(["approve", "return"]);
  });

  it.each([
    ["approve", " 同意。 ", { action: "approve", opinion: "同意。" }],
    ["return", "标题有误", { action: "return", reason: "标题有误" }],
    ["urge", "请今日办结", { action: "urge", message: "请今日办结" }],
    ["seal", "ignored", { action: "seal" }],
  ] as const)("puts the text of %s where the server reads it", (action, text, expected) => {
    expect(actionRequest(action, text)).toEqual(expected);
  });

  it("names the next holders when moving work forward, and only then", () => {
    expect(actionRequest("approve", "同意", [139, 141])).toEqual({ action: "approve", opinion: "同意", next_holders: [139, 141] });
    expect(actionRequest("submit", "", [])).toEqual({ action: "submit" });
    expect(actionRequest("return", "退", [139])).toEqual({ action: "return", reason: "退" });
    expect(namesNextHolders("return")).toBe(false);
  });

  it("asks for a reason before returning or cancelling, not before approving", () => {
    expect(needsReason("return")).toBe(true);
    expect(needsReason("cancel")).toBe(true);
    expect(needsReason("approve")).toBe(false);
  });
});
