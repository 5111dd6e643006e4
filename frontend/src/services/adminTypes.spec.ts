import { describe, expect, it } from "vitest";
import { actingFor, blankStep, moveStep, periodProblem, stepProblem, type Delegation } from "./adminTypes";

const delegation = (id: number, person: string, active: boolean): Delegation => ({
  id, person_id: id, person_name: person, delegate_id: 31, delegate_name: "秦超", starts_at: "2026-11-20T00:00:00Z",
  ends_at: "2026-11-30T00:00:00Z", reason: "出差", created_at: "2026-11-19T00:00:00Z", revoked_at: null, active,
});

describe("delegations", () => {
  it("acts for the givers of delegations in force, each named once", () => {
    const list = { given: [], received: [delegation(1, "王县长", true), delegation(2, "王县长", true), delegation(3, "李主任", false)] };
    expect(actingFor(list)).toEqual(["王县长"]);
  });

  it.each([
    [null, "2026-11-30T00:00:00+08:00", "required"],
    ["2026-11-30T00:00:00+08:00", "2026-11-29T00:00:00+08:00", "endsBeforeStart"],
    ["2026-11-29T00:00:00+08:00", "2026-11-30T00:00:00+08:00", null],
  ] as const)("judges the period %s – %s as %s", (startsAt, endsAt, expected) => {
    expect(periodProblem(startsAt, endsAt)).toBe(expected);
  });
});

describe("workflow steps", () => {
  it("wants a 会签 quorum between one and the number of named holders", () => {
    const step = { ...blankStep("会签"), people: [1, 2, 3] };
    expect(stepProblem({ ...step, policy: { kind: "quorum", quorum: 2 } })).toBeNull();
    expect(stepProblem({ ...step, policy: { kind: "quorum", quorum: 0 } })).toBe("quorum");
    expect(stepProblem({ ...step, policy: { kind: "quorum", quorum: 4 } })).toBe("quorum");
    expect(stepProblem({ ...step, policy: { kind: "all", quorum: 0 } })).toBeNull();
  });

  it("moves a step within the list and never past its ends", () => {
    const steps = [blankStep("拟稿"), blankStep("核稿"), blankStep("签发")];
    expect(moveStep(steps, 2, -1).map((s) => s.kind)).toEqual(["拟稿", "签发", "核稿"]);
    expect(moveStep(steps, 0, -1).map((s) => s.kind)).toEqual(["拟稿", "核稿", "签发"]);
  });
});
