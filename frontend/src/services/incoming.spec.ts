import { describe, expect, it } from "vitest";
import { emptyIncomingForm, fieldsOf, incomingActionRequest, incomingMissing, offeredIncomingActions, unreadCount } from "./incoming";

describe("incoming actions", () => {
  it("asks for reasons before 退文 and sends only the non-empty ones", () => {
    const form = { ...emptyIncomingForm(), reasons: [" 非本单位职责 ", ""] };
    expect(incomingMissing("return", emptyIncomingForm())).toBe("reasons");
    expect(incomingMissing("return", form)).toBeNull();
    expect(incomingActionRequest("return", form)).toEqual({ action: "return", reasons: ["非本单位职责"] });
  });

  it("assigns to a lead office and assisting offices with a deadline, never the lead office twice", () => {
    const form = { ...emptyIncomingForm(), leadOfficeId: 7, helperOfficeIds: [8], deadline: "2026-12-01T17:00:00+08:00" };
    expect(incomingActionRequest("assign", form)).toEqual({ action: "assign", lead_office_id: 7, helper_office_ids: [8], deadline: "2026-12-01T17:00:00+08:00" });
    expect(incomingMissing("assign", { ...form, leadOfficeId: null })).toBe("offices");
    expect(incomingMissing("assign", { ...form, helperOfficeIds: [7] })).toBe("helperIsLead");
  });

  it("proposes with an opinion and the leader asked to instruct", () => {
    const form = { ...emptyIncomingForm(), text: "拟请王县长阅示", leaderId: 12 };
    expect(incomingActionRequest("propose", form)).toEqual({ action: "propose", text: "拟请王县长阅示", leader_id: 12 });
    expect(incomingMissing("propose", { ...form, text: " " })).toBe("text");
  });

  it("circulates to chosen readers only", () => {
    expect(incomingMissing("circulate", emptyIncomingForm())).toBe("readers");
    expect(incomingActionRequest("circulate", { ...emptyIncomingForm(), readers: [3, 4], text: "ignored" })).toEqual({ action: "circulate", readers: [3, 4] });
  });

  it("sends 登记 corrections only for fields the registrar changed", () => {
    expect(incomingActionRequest("register", emptyIncomingForm())).toEqual({ action: "register" });
    expect(incomingActionRequest("register", { ...emptyIncomingForm(), docNumber: "甬政办发〔2026〕3号" })).toEqual({ action: "register", doc_number: "甬政办发〔2026〕3号" });
  });

  it("needs nothing more for 签收, 阅知 and 初审通过", () => {
    for (const action of ["sign_for", "read", "accept"] as const) {
      expect(fieldsOf(action)).toEqual([]);
      expect(incomingActionRequest(action, { ...emptyIncomingForm(), text: "x" })).toEqual({ action });
    }
  });

  it("keeps the server's order of actions and counts who has not read yet", () => {
    expect(offeredIncomingActions(["propose", "circulate", "close"])).toEqual(["propose", "circulate", "close"]);
    const readers = [
      { person_id: 1, name: "甲", sent_at: "2026-11-25T08:00:00Z", read_at: null },
      { person_id: 2, name: "乙", sent_at: "2026-11-25T08:00:00Z", read_at: "2026-11-25T09:00:00Z" },
    ];
    expect(unreadCount(readers)).toBe(1);
  });
});
