import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { IncomingView } from "@/services/incoming";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import IncomingDetailPage from "./IncomingDetailPage.vue";

const INCOMING: IncomingView = {
  id: 5, state: "accepted", state_label: "已初审", title: "关于开展安全生产大检查的通知", doc_type: "通知",
  doc_number: "甬政办发〔2026〕88号", urgency: null, sender_name: "宁波市人民政府办公厅", register_number: "收2026-015",
  received_at: "2026-11-25T08:00:00Z", deadline: null, source: "exchange", sender_unit_code: "NBSZF", elements: {},
  body: [{ level: 0, text: "各区县（市）人民政府：" }, { level: 1, text: "一、检查范围" }], seal: null,
  signed_for_at: "2026-11-25T08:05:00Z", registered_at: "2026-11-25T08:10:00Z", return_reasons: [], proposal: "", leader_id: null,
  instruction: "", lead_office_id: null, helper_office_ids: [], reply_document_id: null, closed_at: null,
  readers: [
    { person_id: 41, name: "王芳", sent_at: "2026-11-25T08:20:00Z", read_at: "2026-11-25T08:30:00Z" },
    { person_id: 42, name: "李强", sent_at: "2026-11-25T08:20:00Z", read_at: null },
  ],
  attachments: [{ position: 1, filename: "检查表.pdf", media_type: "application/pdf", size: 1000, sha256: "x" }],
  history: [{ action: "sign_for", actor_id: 31, from_state: "received", to_state: "signed_for", note: "", at: "2026-11-25T08:05:00Z" }],
  actions: ["propose", "return", "reply"],
};

async function mountDetail(extra: Parameters<typeof fakeServer>[0] = {}) {
  const server = fakeServer({
    "GET /api/incoming/5": { status: 200, body: INCOMING },
    "GET /api/units": { status: 200, body: { items: [], total: 0 } },
    ...extra,
  });
  const { plugins, router } = testPlugins("/incoming/5");
  useSessionStore().me = { ...ME_DRAFTER, roles: ["registrar"] };
  await router.isReady();
  const wrapper = mount(IncomingDetailPage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server, router };
}

describe("IncomingDetailPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("shows the elements, the scans, who has read it and only the actions the server allows", async () => {
    const { wrapper } = await mountDetail();
    await eventually(() => expect(wrapper.get('[data-test="incoming-title"]').text()).toBe(INCOMING.title));
    expect(wrapper.get('[data-test="incoming-elements"]').text()).toContain("甬政办发〔2026〕88号");
    expect(wrapper.get('[data-test="incoming-attachment-1"]').attributes("href")).toBe("/api/incoming/5/attachments/1");
    expect(wrapper.get('[data-test="incoming-reader-42"]').text()).toContain("未阅");
    expect(wrapper.get('[data-test="incoming-readers"]').text()).toContain("1 人未阅");
    expect(wrapper.findAll('[data-test^="incoming-action-"]').map((b) => b.text())).toEqual(["拟办", "退文", "答复"]);
  });

  it("returns the document with the reasons given, and shows it as the server answers", async () => {
    const { wrapper, server } = await mountDetail({
      "POST /api/incoming/5/actions": { status: 200, body: { ...INCOMING, state: "returned", state_label: "已退文", actions: [] } },
    });
    await wrapper.get('[data-test="incoming-action-return"]').trigger("click");
    await eventually(() => expect(document.querySelector('[data-test="incoming-action-confirm"]')).not.toBeNull());
    const confirm = () => document.querySelector<HTMLButtonElement>('[data-test="incoming-action-confirm"]');
    expect(confirm()?.disabled).toBe(true);

    const reasons = document.querySelector<HTMLInputElement>('input[data-test="incoming-field-reasons"]');
    if (reasons === null) throw new Error("no reasons input");
    reasons.value = "非本单位职责";
    reasons.dispatchEvent(new Event("input"));
    reasons.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", code: "Enter" }));
    await eventually(() => expect(confirm()?.disabled).toBe(false));
    confirm()?.click();

    await eventually(() => expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ action: "return", reasons: ["非本单位职责"] }));
    await eventually(() => expect(wrapper.get('[data-test="incoming-state"]').text()).toBe("已退文"));
  });

  it("opens the drafting form for 答复, naming the document it answers", async () => {
    const { wrapper, router } = await mountDetail();
    await wrapper.get('[data-test="incoming-action-reply"]').trigger("click");
    await eventually(() => expect(router.currentRoute.value.fullPath).toBe("/outgoing/new?reply_to=5"));
  });
});
