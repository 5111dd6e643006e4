import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DocumentView } from "@/services/documentTypes";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import DraftPage from "./DraftPage.vue";

const DRAFT: DocumentView = {
  id: 9,
  identifier: "5c20",
  unit_id: 2,
  drafter_id: 31,
  state: "draft",
  version: 3,
  doc_number: null,
  content: {
    doc_type: "通知",
    title: "关于做好冬季森林防火工作的通知",
    issuer_mark: "象山县人民政府办公室文件",
    issuer_names: ["象山县人民政府办公室"],
    daizi: "象政办发",
    main_recipients: [{ unit_code: null, name: "各乡镇人民政府" }],
    body: [{ level: 1, text: "提高认识" }, { level: 0, text: "现将有关事项通知如下。" }],
  },
  tasks: [],
  signoff: null,
  allowed_actions: ["submit", "edit"],
  attachments: [],
  attachment_notes: [],
  created_at: "2026-11-25T08:00:00Z",
  updated_at: "2026-11-25T08:10:00Z",
};

const COMMON = {
  "GET /api/units": { status: 200, body: { items: [], total: 0 } },
  "GET /api/templates": { status: 200, body: { items: [] } },
  "GET /api/documents/9/versions": { status: 200, body: { items: [] } },
  "GET /api/documents/9/preview.pdf": { status: 404, body: { title: "Not Found", status: 404 } },
};

async function mountAt(path: string, extra: Parameters<typeof fakeServer>[0] = {}) {
  const server = fakeServer({ ...COMMON, ...extra });
  const { plugins, router } = testPlugins(path);
  useSessionStore().me = { ...ME_DRAFTER, roles: ["drafter"] };
  await router.isReady();
  const wrapper = mount(DraftPage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server, router };
}

const sent = (server: ReturnType<typeof fakeServer>, method: string) => server.requests.filter((r) => r.method === method);

describe("DraftPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("refuses to create a draft with its required elements empty, and marks each of them", async () => {
    const { wrapper, server } = await mountAt("/outgoing/new");
    await wrapper.get('[data-test="draft-save"]').trigger("click");
    await settle();

    expect(sent(server, "POST")).toEqual([]);
    await eventually(() => expect(wrapper.findAll(".el-form-item__error").map((e) => e.text())).toEqual(["必填", "必填", "必填", "必填"]));
    // Attachments wait for the draft to exist.
    expect(wrapper.find('[data-test="attachments-save-first"]').exists()).toBe(true);
  });

  it("numbers the body's headings as the drafter chooses levels", async () => {
    const { wrapper } = await mountAt("/documents/9/edit", { "GET /api/documents/9": { status: 200, body: DRAFT } });
    expect(wrapper.get('[data-test="body-number-0"]').text()).toBe("一、");
    expect(wrapper.get('[data-test="body-number-1"]').text()).toBe("");
  });

  it("saves an edit with the version it started from and the change note", async () => {
    const { wrapper, server } = await mountAt("/documents/9/edit", {
      "GET /api/documents/9": { status: 200, body: DRAFT },
      "PUT /api/documents/9/content": { status: 200, body: { ...DRAFT, version: 4 } },
    });
    await wrapper.get('input[data-test="draft-title"]').setValue("关于做好冬季防火工作的通知");
    await wrapper.get('input[data-test="draft-summary"]').setValue("改标题");
    await wrapper.get('[data-test="draft-save"]').trigger("click");
    await settle();

    const [put] = sent(server, "PUT");
    const body = put?.body as { base_version: number; summary: string; content: { title: string; body: unknown[] } };
    expect(body.base_version).toBe(3);
    expect(body.summary).toBe("改标题");
    expect(body.content.title).toBe("关于做好冬季防火工作的通知");
    expect(body.content.body).toEqual(DRAFT.content.body);
  });

  it("puts the server's element errors under the matching fields", async () => {
    const { wrapper } = await mountAt("/documents/9/edit", {
      "GET /api/documents/9": { status: 200, body: DRAFT },
      "PUT /api/documents/9/content": {
        status: 422,
        body: { title: "输入有误", status: 422, detail: "公文要素不符合规定", errors: [{ field: "content.daizi", message: "代字未在本单位登记" }] },
      },
    });
    await wrapper.get('[data-test="draft-save"]').trigger("click");
    await eventually(() => expect(wrapper.text()).toContain("代字未在本单位登记"));
  });

  it("offers to reload when someone else saved first, and reloads on request", async () => {
    const { wrapper, server } = await mountAt("/documents/9/edit", {
      "GET /api/documents/9": { status: 200, body: DRAFT },
      "PUT /api/documents/9/content": { status: 409, body: { title: "Conflict", status: 409, detail: "版本已过期，请重新载入" } },
    });
    await wrapper.get('[data-test="draft-save"]').trigger("click");
    await eventually(() => expect(document.body.textContent).toContain("文稿已被他人修改"));
    const reload = [...document.querySelectorAll<HTMLButtonElement>(".el-message-box button")].find((b) => b.textContent?.includes("重新载入"));
    reload?.click();
    await eventually(() => expect(server.requests.filter((r) => r.url === "/api/documents/9").length).toBe(2));
  });

  it("creates a new draft from filled elements and moves to its edit address", async () => {
    const { wrapper, server, router } = await mountAt("/outgoing/new", {
      "POST /api/documents": { status: 201, body: DRAFT },
      "GET /api/documents/9": { status: 200, body: DRAFT },
    });
    await wrapper.get('input[data-test="draft-title"]').setValue("关于做好冬季森林防火工作的通知");
    await wrapper.get('input[data-test="draft-issuer-mark"]').setValue("象山县人民政府办公室文件");
    await wrapper.get('input[data-test="draft-daizi"]').setValue("象政办发");
    const names = wrapper.get('input[data-test="draft-issuer-names"]');
    await names.setValue("象山县人民政府办公室");
    await names.trigger("keydown", { key: "Enter", code: "Enter" });
    await wrapper.get('[data-test="draft-save"]').trigger("click");
    await settle();

    const [post] = sent(server, "POST");
    const content = (post?.body as { content: { issuer_names: string[]; daizi: string } }).content;
    expect(content.issuer_names).toEqual(["象山县人民政府办公室"]);
    expect(content.daizi).toBe("象政办发");
    await eventually(() => expect(router.currentRoute.value.fullPath).toBe("/documents/9/edit"));
  });
});

describe("DraftPage as a reply", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("starts a 函 to the sender and creates it through the reply call, which links it to the 收文", async () => {
    const { wrapper, server } = await mountAt("/outgoing/new?reply_to=5", {
      "GET /api/incoming/5": { status: 200, body: { id: 5, title: "关于开展安全生产大检查的通知", sender_name: "宁波市人民政府办公厅", sender_unit_code: null } },
      "POST /api/incoming/5/reply": { status: 201, body: { incoming_id: 5, document_id: 9 } },
      "GET /api/documents/9": { status: 200, body: DRAFT },
    });
    expect((wrapper.get('input[data-test="draft-title"]').element as HTMLInputElement).value).toBe("关于《关于开展安全生产大检查的通知》的复函");
    await wrapper.get('input[data-test="draft-issuer-mark"]').setValue("象山县人民政府办公室");
    await wrapper.get('input[data-test="draft-daizi"]').setValue("象政办函");
    const names = wrapper.get('input[data-test="draft-issuer-names"]');
    await names.setValue("象山县人民政府办公室");
    await names.trigger("keydown", { key: "Enter", code: "Enter" });
    await wrapper.get('[data-test="draft-save"]').trigger("click");

    await eventually(() => expect(server.requests.some((r) => r.method === "POST" && r.url === "/api/incoming/5/reply")).toBe(true));
    const reply = server.requests.find((r) => r.url === "/api/incoming/5/reply")?.body as { content: { doc_type: string; main_recipients: unknown[] } };
    expect(reply.content.doc_type).toBe("函");
    expect(reply.content.main_recipients).toEqual([{ unit_code: null, name: "宁波市人民政府办公厅" }]);
    expect(server.requests.some((r) => r.url === "/api/documents")).toBe(false);
  });
});
