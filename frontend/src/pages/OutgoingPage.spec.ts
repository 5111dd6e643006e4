import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ListItem } from "@/services/documentTypes";
import { useSessionStore } from "@/stores/session";
import { fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import OutgoingPage from "./OutgoingPage.vue";

const item = (id: number, extra: Partial<ListItem> = {}): ListItem => ({
  id,
  title: `关于冬季森林防火的通知 ${id}`,
  doc_type: "通知",
  state: "in_review",
  doc_number: null,
  urgency: null,
  updated_at: "2026-11-25T09:00:00Z",
  task_no: 2,
  step: "核稿",
  due_at: "2026-11-26T09:00:00Z",
  overdue: false,
  ...extra,
});

async function mountAt(path: string) {
  const server = fakeServer({
    "GET /api/worklist/todo": { status: 200, body: { items: [item(1, { overdue: true }), item(2)], total: 2 } },
    "GET /api/worklist/drafts": { status: 200, body: { items: [item(3, { state: "draft", step: null })], total: 1 } },
  });
  const { plugins, router } = testPlugins(path);
  useSessionStore().me = { ...ME_DRAFTER, roles: ["drafter"] };
  await router.isReady();
  const wrapper = mount(OutgoingPage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server, router };
}

describe("OutgoingPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("opens on 待办 and marks overdue work", async () => {
    const { wrapper, server } = await mountAt("/outgoing");

    expect(server.requests.map((r) => r.url)).toContain("/api/worklist/todo?page=1&page_size=20");
    const table = wrapper.find('[data-test="worklist-table"]').text();
    expect(table).toContain("关于冬季森林防火的通知 1");
    expect(table).toContain("核稿中");
    expect(wrapper.find('[data-test="worklist-overdue-1"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="worklist-overdue-2"]').exists()).toBe(false);
  });

  it("shows the list named in the address", async () => {
    const { wrapper, server } = await mountAt("/outgoing?list=drafts");

    expect(server.requests.map((r) => r.url)).toContain("/api/worklist/drafts?page=1&page_size=20");
    expect(wrapper.find('[data-test="worklist-table"]').text()).toContain("拟稿");
  });

  it("asks the server for overdue work only when that box is ticked", async () => {
    const { wrapper, server } = await mountAt("/outgoing");

    await wrapper.find('[data-test="worklist-filter-overdue"] input').setValue(true);
    await settle(10);

    expect(server.requests.map((r) => r.url)).toContain("/api/worklist/todo?overdue=true&page=1&page_size=20");
  });

  it("links each row to its document", async () => {
    const { wrapper } = await mountAt("/outgoing");
    expect(wrapper.find('[data-test="worklist-open-2"]').attributes("href")).toBe("/documents/2");
  });
});
