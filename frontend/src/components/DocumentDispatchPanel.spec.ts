import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DocumentView } from "@/services/documentTypes";
import { eventually, fakeServer, testPlugins } from "@/testing/fakeServer";
import DocumentDispatchPanel from "./DocumentDispatchPanel.vue";

const BASE: DocumentView = {
  id: 7, identifier: "x", unit_id: 2, drafter_id: 31, state: "dispatched", version: 5, doc_number: "象政办发〔2026〕12号",
  content: { title: "关于…的通知" }, tasks: [], signoff: null, allowed_actions: [], attachments: [], attachment_notes: [],
  created_at: "2026-11-25T08:00:00Z", updated_at: "2026-11-25T09:00:00Z",
};

const delivery = (id: number, status: string, label: string, reasons: string[] = []) => ({
  id, position: id, copy_to: false, recipient_code: "DXZ", recipient_name: `单位${id}`, status, status_label: label, reasons, note: "",
  message_id: null, attempts: 1, last_error: null, next_attempt_at: null, delivered_at: null, signed_for_at: null, returned_at: null,
  closed_at: null, updated_at: "2026-11-25T09:00:00Z",
});

describe("DocumentDispatchPanel", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the seal verdict, the final copy and each recipient's status on a dispatched document", async () => {
    fakeServer({
      "GET /api/documents/7/seal/verify": { status: 200, body: { valid: false, reason: "正文在用印后被改动", sealed_by: "象山县人民政府办公室", unit_code: "ZFB", sealed_at: null, key_id: null, digest: null } },
      "GET /api/documents/7/deliveries": { status: 200, body: { items: [delivery(1, "signed_for", "已签收"), delivery(2, "returned", "被退回", ["非本单位职责"])] } },
    });
    const { plugins } = testPlugins();
    const wrapper = mount(DocumentDispatchPanel, { props: { document: BASE }, global: { plugins } });

    await eventually(() => expect(wrapper.get('[data-test="seal-verdict"]').text()).toContain("印章无效"));
    expect(wrapper.get('[data-test="seal-verdict"]').text()).toContain("正文在用印后被改动");
    expect(wrapper.get('[data-test="document-final-copy"]').attributes("href")).toBe("/api/documents/7/rendered.pdf");
    await eventually(() => expect(wrapper.get('[data-test="delivery-2"]').text()).toBe("被退回"));
    expect(wrapper.text()).toContain("非本单位职责");
  });

  it("shows nothing and asks nothing before the document is sealed", async () => {
    const server = fakeServer();
    const { plugins } = testPlugins();
    const wrapper = mount(DocumentDispatchPanel, { props: { document: { ...BASE, state: "in_review" } }, global: { plugins } });
    await eventually(() => expect(wrapper.find('[data-test="document-dispatch"]').exists()).toBe(false));
    expect(server.requests.filter((r) => r.url.startsWith("/api/documents"))).toEqual([]);
  });
});
