import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Attachment } from "@/services/documentTypes";
import { eventually, fakeServer, settle, testPlugins } from "@/testing/fakeServer";
import AttachmentUploader from "./AttachmentUploader.vue";

const attachment = (id: number, filename: string): Attachment => ({
  id, document_id: 9, title: filename.split(".")[0] ?? filename, filename, media_type: "application/pdf", size: 2048,
  sha256: "a".repeat(64), sm3: "b".repeat(64), uploaded_by_id: 31, uploaded_at: "2026-11-25T08:00:00Z",
});

const PROBLEM = "普通 PDF（不是 PDF/A）不在档案馆接收的格式内（JPEG、OFD、PDF/A、PNG、TIFF、TXT、XML），归档时可用性检测不会通过；请另存为 PDF/A、OFD 后重新上传";

describe("AttachmentUploader", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("marks each stored attachment with the archive's verdict and says what to do with a refused one", async () => {
    const server = fakeServer({
      "GET /api/documents/9/archive-precheck": { status: 200, body: {
        document_id: 9, accepted_formats: ["JPEG", "OFD", "PDF/A", "PNG", "TIFF", "TXT", "XML"], ready: false,
        attachments: [
          { attachment_id: 1, title: "实施方案", filename: "实施方案.pdf", format: "PDF/A", format_label: "PDF/A", accepted: true, problems: [] },
          { attachment_id: 2, title: "报价单", filename: "报价单.pdf", format: "PDF", format_label: "普通 PDF（不是 PDF/A）", accepted: false, problems: [PROBLEM] },
        ] } },
    });
    const { plugins } = testPlugins();
    const wrapper = mount(AttachmentUploader, {
      props: { documentId: 9, attachments: [attachment(1, "实施方案.pdf"), attachment(2, "报价单.pdf")] }, global: { plugins },
    });

    await eventually(() => expect(wrapper.get('[data-test="attachment-archivable-2"]').text()).toBe("归档时将被退回"));
    expect(wrapper.get('[data-test="attachment-archivable-1"]').text()).toBe("可归档");
    expect(wrapper.get('[data-test="attachment-archive-problem-2"]').text()).toBe(PROBLEM);
    expect(wrapper.find('[data-test="attachment-archive-problem-1"]').exists()).toBe(false);

    // Removing the refused file asks again, for the list as it now is.
    server.answer("GET /api/documents/9/archive-precheck", { status: 200, body: {
      document_id: 9, accepted_formats: [], ready: true,
      attachments: [{ attachment_id: 1, title: "实施方案", filename: "实施方案.pdf", format: "PDF/A", format_label: "PDF/A", accepted: true, problems: [] }] } });
    await wrapper.setProps({ attachments: [attachment(1, "实施方案.pdf")] });
    await eventually(() => expect(server.requests.filter((r) => r.url.endsWith("/archive-precheck"))).toHaveLength(2));
    await eventually(() => expect(wrapper.find('[data-test="attachment-archive-problem-2"]').exists()).toBe(false));
  });

  it("asks nothing while there is nothing attached", async () => {
    const server = fakeServer();
    const { plugins } = testPlugins();
    mount(AttachmentUploader, { props: { documentId: 9, attachments: [] }, global: { plugins } });
    mount(AttachmentUploader, { props: { documentId: null, attachments: [] }, global: { plugins } });
    await settle();
    expect(server.requests.filter((r) => r.url.includes("/api/documents/"))).toEqual([]);
  });
});
