import { describe, expect, it } from "vitest";
import { actionRequest, earlierSteps, missingChoice, namesNextHolders, needsReason, offeredActions, peopleOf } from "./documentActions";

describe("document actions", () => {
  it("offers the allowed actions it has a form for, leaving 修改 to the drafting page", () => {
    expect(offeredActions(["approve", "transfer", "return", "add_countersigner", "edit"])).toEqual(["approve", "transfer", "return", "add_countersigner"]);
  });

  it.each([
    ["approve", " 同意。 ", { action: "approve", opinion: "同意。" }],
    ["return", "标题有误", { action: "return", reason: "标题有误", target: "previous" }],
    ["urge", "请今日办结", { action: "urge", message: "请今日办结" }],
    ["seal", "ignored", { action: "seal" }],
  ] as const)("puts the text of %s where the server reads it", (action, text, expected) => {
    expect(actionRequest(action, text)).toEqual(expected);
  });

  it("names the next holders when moving work forward, and only then", () => {
    expect(actionRequest("approve", "同意", { nextHolders: [139, 141] })).toEqual({ action: "approve", opinion: "同意", next_holders: [139, 141] });
    expect(actionRequest("submit", "", { nextHolders: [] })).toEqual({ action: "submit" });
    expect(actionRequest("return", "退", { nextHolders: [139] })).toEqual({ action: "return", reason: "退", target: "previous" });
    expect(namesNextHolders("return")).toBe(false);
  });

  it("sends 转交 to one colleague and 加签 to several", () => {
    expect(peopleOf("transfer")).toBe("one");
    expect(actionRequest("transfer", "出差", { to: 140 })).toEqual({ action: "transfer", reason: "出差", to: 140 });
    expect(actionRequest("add_countersigner", "", { people: [150, 151] })).toEqual({ action: "add_countersigner", people: [150, 151] });
    expect(missingChoice("transfer", {})).toBe(true);
    expect(missingChoice("add_countersigner", { people: [] })).toBe(true);
    expect(missingChoice("add_countersigner", { people: [150] })).toBe(false);
  });

  it("returns to a named earlier step only with that step chosen", () => {
    expect(actionRequest("return", "请重核", { target: "step", step: "核稿" })).toEqual({ action: "return", reason: "请重核", target: "step", step: "核稿" });
    expect(actionRequest("return", "退", { target: "drafter", step: "核稿" })).toEqual({ action: "return", reason: "退", target: "drafter" });
    expect(missingChoice("return", { target: "step" })).toBe(true);
  });

  it("lists the steps done before the open one, once each, without 拟稿", () => {
    const tasks = [
      { step: "拟稿", status: "done" },
      { step: "核稿", status: "done" },
      { step: "会签", status: "done" },
      { step: "会签", status: "done" },
      { step: "签发", status: "open" },
    ] as const;
    expect(earlierSteps(tasks)).toEqual(["核稿", "会签"]);
  });

  it("asks for a reason before returning or cancelling, not before approving", () => {
    expect(needsReason("return")).toBe(true);
    expect(needsReason("cancel")).toBe(true);
    expect(needsReason("approve")).toBe(false);
  });
});
