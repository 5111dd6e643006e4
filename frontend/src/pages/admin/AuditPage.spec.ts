import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AuditEntry } from "@/services/types";
import { useSessionStore } from "@/stores/session";
import { fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import AuditPage from "./AuditPage.vue";

const entry = (id: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: "2026-11-25T09:30:00+00:00",
  actor_id: 8,
  actor_name: "陆伟",
  acting_for_id: null,
  unit_id: 1,
  action: "org.person.create",
  target_type: "person",
  target_id: "31",
  ip: "10.0.0.8",
  request_id: null,
  outcome: "success",
  detail: {},
  hash: "ab",
  ...extra,
});

async function mountPage(answers: Parameters<typeof fakeServer>[0]) {
  const server = fakeServer({ "GET /api/units": { status: 200, body: { items: [], total: 0 } }, ...answers });
  const { plugins, router } = testPlugins("/");
  useSessionStore().me = { ...ME_DRAFTER, roles: ["auditadmin"] };
  await router.isReady();
  const wrapper = mount(AuditPage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server };
}

describe("AuditPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("lists the first page of the trail with outcomes in words", async () => {
    const { wrapper, server } = await mountPage({
      "GET /api/audit": { status: 200, body: { items: [entry(2, { outcome: "denied" }), entry(1)], total: 2 } },
    });

    const table = wrapper.find('[data-test="audit-table"]').text();
    expect(table).toContain("org.person.create");
    expect(table).toContain("person #31");
    expect(table).toContain("拒绝");
    expect(table).toContain("成功");
    expect(server.requests.some((r) => r.url === "/api/audit?page=1&page_size=20")).toBe(true);
  });

  it("sends the action filter and starts again from page 1", async () => {
    const { wrapper, server } = await mountPage({ "GET /api/audit": { status: 200, body: { items: [], total: 0 } } });

    await wrapper.find('[data-test="audit-filter-action"]').setValue("auth.");
    await wrapper.find("form").trigger("submit");
    await settle(10);

    expect(server.requests.map((r) => r.url)).toContain("/api/audit?action=auth.&page=1&page_size=20");
  });

  it("reports an intact chain", async () => {
    const { wrapper } = await mountPage({
      "GET /api/audit": { status: 200, body: { items: [], total: 0 } },
      "GET /api/audit/verify": { status: 200, body: { ok: true, checked: 412, first_bad_id: null, reason: null } },
    });

    await wrapper.find('[data-test="audit-verify"]').trigger("click");
    await settle(10);

    expect(wrapper.find('[data-test="audit-verdict"]').text()).toContain("已校验 412 条记录");
  });

  it("names the first broken record of a tampered chain", async () => {
    const { wrapper } = await mountPage({
      "GET /api/audit": { status: 200, body: { items: [], total: 0 } },
      "GET /api/audit/verify": { status: 200, body: { ok: false, checked: 57, first_bad_id: 57, reason: "哈希不符" } },
    });

    await wrapper.find('[data-test="audit-verify"]').trigger("click");
    await settle(10);

    expect(wrapper.find('[data-test="audit-verdict"]').text()).toContain("第 57 条记录处断裂：哈希不符");
  });
});
