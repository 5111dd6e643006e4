import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Workflow } from "@/services/adminTypes";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import WorkflowPage from "./WorkflowPage.vue";

const UNIT = { id: 2, code: "ZFB", name: "象山县人民政府办公室", short_name: "县府办", kind: "department", parent_id: 1, offices: [] };
const step = (kind: string) => ({ kind, role: null, people: [], optional: false, deadline_hours: null, policy: { kind: "all", quorum: 0 }, drafter_may_countersign: false });
const STANDARD: Workflow = {
  unit_id: 2, unit_code: "ZFB", name: "发文流程", customised: false, updated_at: null,
  steps: [step("拟稿"), step("核稿"), step("签发")] as Workflow["steps"],
};

describe("WorkflowPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("shows a unit's standard workflow and saves the edited steps whole", async () => {
    const server = fakeServer({
      "GET /api/units": { status: 200, body: { items: [UNIT], total: 1 } },
      "GET /api/units/2/workflow": { status: 200, body: STANDARD },
      "PUT /api/units/2/workflow": (body) => ({ status: 200, body: { ...STANDARD, ...(body as object), customised: true, updated_at: "2026-11-25T10:00:00Z" } }),
    });
    const { plugins, router } = testPlugins("/admin/workflow");
    useSessionStore().me = { ...ME_DRAFTER, roles: ["sysadmin"] };
    await router.isReady();
    const wrapper = mount(WorkflowPage, { global: { plugins }, attachTo: document.body });
    await settle(10);

    await eventually(() => expect(wrapper.get('[data-test="workflow-origin"]').text()).toContain("标准流程"));
    await wrapper.get('[data-test="workflow-remove-1"]').trigger("click");
    await wrapper.get('[data-test="workflow-save"]').trigger("click");

    await eventually(() => expect(server.requests.some((r) => r.method === "PUT")).toBe(true));
    const sent = server.requests.find((r) => r.method === "PUT")?.body as { steps: Array<{ kind: string }> };
    expect(sent.steps.map((s) => s.kind)).toEqual(["拟稿", "签发"]);
    await eventually(() => expect(wrapper.get('[data-test="workflow-origin"]').text()).toContain("自定义流程"));
  });
});
