import { describe, expect, it } from "vitest";
import { formatDateTime } from "./useDateTime";

describe("formatDateTime", () => {
  it("writes a Chinese date with a 24-hour clock on a Chinese page", () => {
    const shown = formatDateTime("2026-11-25T18:20:00", "zh-CN");
    expect(shown).toContain("2026");
    expect(shown).toContain("18:20");
    expect(shown).not.toMatch(/PM|下午/);
  });

  it("shows nothing for a missing time and the raw text for a garbled one", () => {
    expect(formatDateTime(null, "zh-CN")).toBe("");
    expect(formatDateTime("not a date", "zh-CN")).toBe("not a date");
  });
});
