import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "./api";
import { catalogueQuery, createArchiveEndpoints, exportYear, fileNameOf, groupFindings, packageUrl, parseReasons } from "./archive";
import { ApiError } from "./problem";

describe("catalogueQuery", () => {
  it("drops blank filters, trims text and keeps numbers", () => {
    expect(catalogueQuery({ q: "  防汛 ", title: "", year: 2026, retention: "", archival_code: " XSX-2026 ", page: 2 })).toEqual({
      q: "防汛",
      year: 2026,
      archival_code: "XSX-2026",
      page: 2,
    });
  });

  it("leaves out a cleared year", () => {
    expect(catalogueQuery({ year: null, unit_code: "ZFB" })).toEqual({ unit_code: "ZFB" });
  });
});

describe("groupFindings", () => {
  it("orders groups as the standard does and names the worst result of each", () => {
    const groups = groupFindings({
      findings: [
        { code: "GD-4-1", group: "安全性", title: "病毒", result: "pass", explanation: "无" },
        { code: "GD-1-2", group: "真实性", title: "签名", result: "fail", explanation: "签名不符" },
        { code: "GD-1-1", group: "真实性", title: "来源", result: "warn", explanation: "提示" },
        { code: "GD-2-1", group: "完整性", title: "数量", result: "pass", explanation: "齐全" },
      ],
    });
    expect(groups.map((g) => [g.group, g.worst])).toEqual([
      ["真实性", "fail"],
      ["完整性", "pass"],
      ["安全性", "pass"],
    ]);
    expect(groups[0]?.findings.map((f) => f.code)).toEqual(["GD-1-1", "GD-1-2"]);
  });

  it("gives no groups for a missing report", () => {
    expect(groupFindings(undefined)).toEqual([]);
  });
});

describe("parseReasons", () => {
  it("takes one reason per non-blank line", () => {
    expect(parseReasons("文号缺失\n\n  附件不全  \r\n")).toEqual(["文号缺失", "附件不全"]);
  });
});

describe("package downloads and file names", () => {
  it("points at the current package unless one is chosen", () => {
    expect(packageUrl(7)).toBe("/api/archive/items/7/package");
    expect(packageUrl(7, 3)).toBe("/api/archive/items/7/package?package_id=3");
  });

  it("reads the UTF-8 file name first", () => {
    expect(fileNameOf("attachment; filename*=UTF-8''%E6%A1%A3%E6%A1%88.zip")).toBe("档案.zip");
    expect(fileNameOf('attachment; filename="a.zip"')).toBe("a.zip");
    expect(fileNameOf(null)).toBeNull();
  });
});

describe("archive endpoints", () => {
  it("sends reject reasons and the chosen retention as the server reads them", async () => {
    const fetchFake = vi.fn(async () => new Response(JSON.stringify({ id: 1 }), { status: 200 }));
    const endpoints = createArchiveEndpoints(new ApiClient({ fetch: fetchFake }));
    await endpoints.reject(5, ["文号缺失"]);
    await endpoints.accept(5, null);
    const calls = fetchFake.mock.calls as unknown as [string, RequestInit][];
    expect(calls[0]?.[0]).toBe("/api/archive/items/5/reject");
    expect(JSON.parse(String(calls[0]?.[1].body))).toEqual({ reasons: ["文号缺失"] });
    expect(JSON.parse(String(calls[1]?.[1].body))).toEqual({ retention: null });
  });

  it("turns a refused export into the server's words", async () => {
    const fetchFake = vi.fn(
      async () =>
        new Response(JSON.stringify({ title: "Unprocessable", status: 422, detail: "该年度没有已接收的档案" }), {
          status: 422,
          headers: { "Content-Type": "application/problem+json" },
        }),
    );
    const failure = await exportYear(2020, ["eep"], undefined, fetchFake).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).detail).toBe("该年度没有已接收的档案");
  });
});
