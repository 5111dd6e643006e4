import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ArchiveItemSummary, ArchiveItemView } from "@/services/archive";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import IntakePage from "./IntakePage.vue";

const queued: ArchiveItemSummary = {
  id: 7,
  unit_id: 1,
  unit_code: "XSX",
  status: "transferred",
  title: "关于做好2026年防汛防台工作的通知",
  doc_number: "象政发〔2026〕1号",
  responsible: "象山县人民政府",
  doc_type: "通知",
  year: 2026,
  written_date: "2026-11-25",
  retention: "D30",
  public: false,
  archival_code: null,
  checks_passed: false,
  reject_reasons: [],
  transferred_at: "2026-11-25T10:00:00Z",
  decided_at: null,
};

const view: ArchiveItemView = {
  ...queued,
  file_number: "",
  fonds: "Z001",
  organisation: "象山县人民政府",
  item_number: null,
  package_sha256: "ab",
  package_size: 10,
  description: {},
  transfer_entry: {},
  check_report: {
    passed: false,
    findings: [
      { code: "GD-3-2", group: "可用性", title: "格式在归档格式清单内", result: "fail", explanation: "文档 D-2 的格式 PDF 不在归档格式清单内" },
      { code: "GD-1-1", group: "真实性", title: "电子签名有效", result: "pass", explanation: "签名有效" },
    ],
  },
  packages: [],
  history: [],
};

async function mountIntake() {
  const server = fakeServer({
    "GET /api/archive/items": { status: 200, body: { items: [queued], total: 1 } },
    "GET /api/archive/items/7": { status: 200, body: view },
  });
  const { plugins, router } = testPlugins("/archive");
  useSessionStore().me = { ...ME_DRAFTER, roles: ["archivist"] };
  await router.isReady();
  const wrapper = mount(IntakePage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server };
}

describe("IntakePage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("lists only packages waiting for intake and shows the report by group with codes and explanations", async () => {
    const { wrapper, server } = await mountIntake();
    expect(server.requests.find((r) => r.url.startsWith("/api/archive/items"))?.url).toContain("status=transferred");
    expect(wrapper.find('[data-test="intake-checks-7"]').text()).toBe("未通过");
    await wrapper.find('[data-test="intake-open-7"]').trigger("click");
    await eventually(() => expect(document.querySelector('[data-test="check-group-可用性"]')).not.toBeNull());
    const groups = [...document.querySelectorAll('[data-test^="check-group-"]')].map((el) => el.getAttribute("data-test"));
    expect(groups).toEqual(["check-group-真实性", "check-group-可用性"]);
    expect(document.body.textContent).toContain("文档 D-2 的格式 PDF 不在归档格式清单内");
  });

  it("shows the server's refusal beside the report when accepting fails", async () => {
    const { wrapper, server } = await mountIntake();
    server.answer("POST /api/archive/items/7/accept", {
      status: 409,
      body: { title: "与当前状态冲突", status: 409, detail: "四性检测未通过，不能接收" },
    });
    await wrapper.find('[data-test="intake-open-7"]').trigger("click");
    await eventually(() => expect(document.querySelector('[data-test="intake-accept"]')).not.toBeNull());
    (document.querySelector('[data-test="intake-accept"]') as HTMLElement).click();
    await eventually(() => expect(document.querySelector('[data-test="intake-error"]')?.textContent).toContain("四性检测未通过，不能接收"));
  });

  it("returns a package with one reason per line", async () => {
    const { wrapper, server } = await mountIntake();
    server.answer("POST /api/archive/items/7/reject", { status: 200, body: { ...queued, status: "rejected" } });
    await wrapper.find('[data-test="intake-open-7"]').trigger("click");
    await eventually(() => expect(document.querySelector('[data-test="intake-reasons"]')).not.toBeNull());
    const reasons = document.querySelector('[data-test="intake-reasons"] textarea, textarea[data-test="intake-reasons"]') as HTMLTextAreaElement;
    reasons.value = "附件格式不符\n\n请转为 PDF/A";
    reasons.dispatchEvent(new Event("input"));
    await settle();
    (document.querySelector('[data-test="intake-reject"]') as HTMLElement).click();
    await eventually(() => expect(server.requests.some((r) => r.method === "POST" && r.url.endsWith("/reject"))).toBe(true));
    const sent = server.requests.find((r) => r.url.endsWith("/reject"));
    expect(sent?.body).toEqual({ reasons: ["附件格式不符", "请转为 PDF/A"] });
  });
});
