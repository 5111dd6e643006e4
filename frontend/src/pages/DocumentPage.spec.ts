import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DocumentView } from "@/services/documentTypes";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import DocumentPage from "./DocumentPage.vue";

const DOCUMENT: DocumentView = {
  id: 7,
  identifier: "4b10b13c",
  unit_id: 20,
  drafter_id: 140,
  state: "in_review",
  version: 2,
  doc_number: null,
  content: {
    doc_type: "通知",
    title: "关于做好冬季森林防火工作的通知",
    issuer_names: ["象山县人民政府办公室"],
    main_recipients: [{ unit_code: null, name: "各乡镇人民政府" }],
    body: [
      { level: 0, text: "现将有关事项通知如下。" },
      { level: 1, text: "一、提高认识" },
    ],
  },
  tasks: [
    { task_no: 1, step: "拟稿", holder_id: 140, holder_name: "秦超", round: 1, status: "done", outcome: "submitted", opinion: "", acted_by_id: 140, created_at: "2026-11-25T08:00:00Z", due_at: null, closed_at: "2026-11-25T08:10:00Z" },
    { task_no: 2, step: "核稿", holder_id: 139, holder_name: "夏敏", round: 1, status: "open", outcome: null, opinion: "", acted_by_id: null, created_at: "2026-11-25T08:10:00Z", due_at: null, closed_at: null },
  ],
  signoff: null,
  allowed_actions: ["approve", "return", "transfer"],
  attachments: [
    { id: 4, document_id: 7, title: "实施方案", filename: "方案.pdf", media_type: "application/pdf", size: 204800, sha256: "a", sm3: "b", uploaded_by_id: 140, uploaded_at: "2026-11-25T08:05:00Z" },
  ],
  attachment_notes: ["1. 实施方案"],
  created_at: "2026-11-25T08:00:00Z",
  updated_at: "2026-11-25T08:10:00Z",
};

const PLAIN_PDF = "普通 PDF（不是 PDF/A）不在档案馆接收的格式内（JPEG、OFD、PDF/A、PNG、TIFF、TXT、XML），归档时可用性检测不会通过；请另存为 PDF/A、OFD 后重新上传";
const PRECHECK = {
  document_id: 7, accepted_formats: ["JPEG", "OFD", "PDF/A", "PNG", "TIFF", "TXT", "XML"], ready: false,
  attachments: [{ attachment_id: 4, title: "实施方案", filename: "方案.pdf", format: "PDF", format_label: "普通 PDF（不是 PDF/A）", accepted: false, problems: [PLAIN_PDF] }],
};

const HISTORY = { items: [{ action: "submit", actor_id: 140, actor_name: "秦超", acting_for_id: null, from_state: "draft", to_state: "in_review", note: "请审核", at: "2026-11-25T08:10:00Z" }] };

async function mountDocument() {
  const server = fakeServer({
    "GET /api/documents/7": { status: 200, body: DOCUMENT },
    "GET /api/documents/7/history": { status: 200, body: HISTORY },
    "GET /api/documents/7/archive-precheck": { status: 200, body: PRECHECK },
  });
  const { plugins, router } = testPlugins("/documents/7");
  useSessionStore().me = { ...ME_DRAFTER, roles: ["reviewer"] };
  await router.isReady();
  const wrapper = mount(DocumentPage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server };
}

describe("DocumentPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("shows where the document is, who holds it, its body and its history", async () => {
    const { wrapper } = await mountDocument();

    expect(wrapper.find('[data-test="document-title"]').text()).toBe("关于做好冬季森林防火工作的通知");
    expect(wrapper.find('[data-test="document-state"]').text()).toBe("核稿中");
    expect(wrapper.find('[data-test="document-workflow"]').text()).toContain("夏敏");
    expect(wrapper.find('[data-test="document-workflow"]').text()).not.toContain("秦超");
    expect(wrapper.find('[data-test="document-body"] h3[data-level="1"]').text()).toBe("一、提高认识");
    expect(wrapper.find('[data-test="document-history"]').text()).toContain("送审");
    expect(wrapper.find('[data-test="document-history"]').text()).toContain("请审核");
  });

  it("lists the attachment notes in the body and links each file for download", async () => {
    const { wrapper } = await mountDocument();

    expect(wrapper.find('[data-test="document-attachment-notes"]').text()).toContain("实施方案");
    const link = wrapper.find('[data-test="attachment-4"]');
    expect(link.attributes("href")).toBe("/api/documents/7/attachments/4");
    expect(wrapper.find('[data-test="document-attachments"]').text()).toContain("200 KB");
    // The 归档预检, for the handlers who can still send the file back before 用印.
    await eventually(() => expect(wrapper.get('[data-test="attachment-archivable-4"]').text()).toBe("归档时将被退回"));
    expect(wrapper.get('[data-test="attachment-archive-problem-4"]').text()).toBe(PLAIN_PDF);
  });

  it("offers only the allowed actions it can take", async () => {
    const { wrapper } = await mountDocument();

    expect(wrapper.find('[data-test="action-approve"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="action-return"]').exists()).toBe(true);
    // 转交 names a colleague in the dialog; withdraw is not in allowed_actions.
    expect(wrapper.find('[data-test="action-transfer"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="action-withdraw"]').exists()).toBe(false);
  });

  it("approves with an opinion and shows the document as the server returns it", async () => {
    const { wrapper, server } = await mountDocument();
    server.answer("POST /api/documents/7/actions", { status: 200, body: { ...DOCUMENT, state: "awaiting_signoff", allowed_actions: [] } });

    await wrapper.find('[data-test="action-approve"]').trigger("click");
    await settle();
    await wrapper.find('[data-test="action-text"]').setValue("同意，请签发。");
    await wrapper.find('[data-test="action-confirm"]').trigger("click");
    await settle(10);

    expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ action: "approve", opinion: "同意，请签发。" });
    expect(wrapper.find('[data-test="document-state"]').text()).toBe("待签发");
    expect(wrapper.find('[data-test="action-approve"]').exists()).toBe(false);
  });

  it("will not return the document without a reason, and shows the server's refusal in words", async () => {
    const { wrapper, server } = await mountDocument();
    server.answer("POST /api/documents/7/actions", { status: 409, body: { title: "冲突", status: 409, detail: "该公文已被他人办理，请刷新后重试" } });

    await wrapper.find('[data-test="action-return"]').trigger("click");
    await settle();
    expect(wrapper.find('[data-test="action-confirm"]').attributes("disabled")).toBeDefined();

    await wrapper.find('[data-test="action-text"]').setValue("标题有误");
    await wrapper.find('[data-test="action-confirm"]').trigger("click");
    await settle(10);

    expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ action: "return", reason: "标题有误", target: "previous" });
    expect(wrapper.find('[data-test="action-error"]').text()).toContain("该公文已被他人办理");
  });
});
