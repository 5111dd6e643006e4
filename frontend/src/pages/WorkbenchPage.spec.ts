import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useSessionStore } from "@/stores/session";
import { useWorkbenchStore } from "@/stores/workbench";
import { fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import WorkbenchPage from "./WorkbenchPage.vue";

async function mountAs(roles: ("drafter" | "sysadmin" | "auditadmin")[]) {
  fakeServer();
  const { plugins, router } = testPlugins("/");
  useSessionStore().me = { ...ME_DRAFTER, roles };
  await router.isReady();
  const wrapper = mount(WorkbenchPage, { global: { plugins } });
  await settle();
  return { wrapper };
}

describe("WorkbenchPage", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows unknown counts as a dash and known ones as numbers", async () => {
    const { wrapper } = await mountAs(["drafter"]);
    useWorkbenchStore().applyBadges({ todo: 3 });
    await settle();

    expect(wrapper.find('[data-test="count-todo"]').text()).toContain("3");
    expect(wrapper.find('[data-test="count-unsigned"]').text()).toContain("—");
  });

  it("lists a new event at the top, linked to its document", async () => {
    const { wrapper } = await mountAs(["drafter"]);
    useWorkbenchStore().notifications = [
      { id: 3, type: "docflow.new_task", data: { document_id: 2, title: "关于开展冬季安全生产检查的通知" }, at: "2026-11-25T18:23:58Z" },
    ];
    await settle();

    const item = wrapper.find('[data-test="notification-3"]');
    expect(item.text()).toContain("关于开展冬季安全生产检查的通知");
    expect(item.find("a").attributes("href")).toBe("/documents/2");
  });

  it("gives an administrator shortcuts instead of document counts", async () => {
    const { wrapper } = await mountAs(["auditadmin"]);

    expect(wrapper.find('[data-test="count-todo"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="shortcut-audit"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="shortcut-people"]').exists()).toBe(false);
  });
});
