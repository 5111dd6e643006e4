import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Delegation } from "@/services/adminTypes";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import ActingForBadge from "@/components/ActingForBadge.vue";
import DelegationsPage from "./DelegationsPage.vue";

const GIVEN: Delegation = {
  id: 3, person_id: 31, person_name: "秦超", delegate_id: 40, delegate_name: "林涛", starts_at: "2026-11-20T00:00:00Z",
  ends_at: "2026-11-30T00:00:00Z", reason: "出差", created_at: "2026-11-19T00:00:00Z", revoked_at: null, active: true,
};
const RECEIVED: Delegation = { ...GIVEN, id: 4, person_id: 12, person_name: "王县长", delegate_id: 31, delegate_name: "秦超", reason: "学习" };

describe("DelegationsPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("lists what I gave and what I received, and revokes what I gave after confirming", async () => {
    const server = fakeServer({
      "GET /api/delegations": { status: 200, body: { given: [GIVEN], received: [RECEIVED] } },
      "DELETE /api/delegations/3": { status: 204 },
    });
    const { plugins, router } = testPlugins("/delegations");
    useSessionStore().me = { ...ME_DRAFTER, roles: ["drafter"] };
    await router.isReady();
    const wrapper = mount(DelegationsPage, { global: { plugins }, attachTo: document.body });
    await settle(10);

    expect(wrapper.get('[data-test="delegations-given"]').text()).toContain("林涛");
    expect(wrapper.get('[data-test="delegations-received"]').text()).toContain("王县长");
    expect(wrapper.get('[data-test="delegation-state-3"]').text()).toBe("生效中");

    await wrapper.get('[data-test="delegation-revoke-3"]').trigger("click");
    await eventually(() => expect(document.querySelector(".el-message-box")).not.toBeNull());
    document.querySelector<HTMLButtonElement>(".el-message-box__btns .el-button--primary")?.click();
    await eventually(() => expect(server.requests.some((r) => r.method === "DELETE" && r.url === "/api/delegations/3")).toBe(true));
  });

  it("will not create a delegation without a delegate and a period", async () => {
    const server = fakeServer({ "GET /api/delegations": { status: 200, body: { given: [], received: [] } } });
    const { plugins, router } = testPlugins("/delegations");
    useSessionStore().me = { ...ME_DRAFTER, roles: ["drafter"] };
    await router.isReady();
    const wrapper = mount(DelegationsPage, { global: { plugins }, attachTo: document.body });
    await settle(10);
    await wrapper.get('[data-test="delegation-create"]').trigger("click");
    await eventually(() => expect(document.querySelector('[data-test="delegation-confirm"]')).not.toBeNull());
    document.querySelector<HTMLButtonElement>('[data-test="delegation-confirm"]')?.click();

    // Element Plus validates the fields one after another: wait for both messages, not just the first.
    await eventually(() => {
      expect(document.body.textContent).toContain("请选择受托人");
      expect(document.body.textContent).toContain("请选择起止时间");
    });
    expect(server.requests.filter((r) => r.method === "POST")).toEqual([]);
  });
});

describe("ActingForBadge", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("says whom the person is acting for while a delegation to them is in force", async () => {
    fakeServer({ "GET /api/delegations": { status: 200, body: { given: [], received: [RECEIVED] } } });
    const { plugins } = testPlugins();
    useSessionStore().me = { ...ME_DRAFTER, roles: ["drafter"] };
    const wrapper = mount(ActingForBadge, { global: { plugins } });
    await eventually(() => expect(wrapper.get('[data-test="acting-for"]').text()).toBe("正在代 王县长 办理"));
  });

  it("asks nothing for an administrator, who never holds delegated work", async () => {
    const server = fakeServer();
    const { plugins } = testPlugins();
    useSessionStore().me = { ...ME_DRAFTER, roles: ["sysadmin"] };
    const wrapper = mount(ActingForBadge, { global: { plugins } });
    await settle();
    expect(wrapper.find('[data-test="acting-for"]').exists()).toBe(false);
    expect(server.requests.filter((r) => r.url === "/api/delegations")).toEqual([]);
  });
});
