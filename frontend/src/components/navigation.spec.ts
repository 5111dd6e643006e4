import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/services/types";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import SideMenu from "./SideMenu.vue";
import TopBar from "./TopBar.vue";

async function mountAs(component: typeof TopBar | typeof SideMenu, roles: Role[], props: Record<string, unknown> = {}) {
  const server = fakeServer({ "POST /api/auth/logout": { status: 204 } });
  const { plugins, router } = testPlugins("/");
  useSessionStore().me = { ...ME_DRAFTER, roles };
  await router.isReady();
  const wrapper = mount(component, { global: { plugins }, props });
  await settle();
  return { wrapper, router, server };
}

describe("TopBar", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the person's name, unit, office, position and roles in Chinese", async () => {
    const { wrapper } = await mountAs(TopBar, ["drafter", "reviewer"], { live: true, showMenuButton: false });

    expect(wrapper.find('[data-test="current-person-name"]').text()).toBe("秦超");
    expect(wrapper.find('[data-test="current-person-unit"]').text()).toBe("县府办 · 政策法规科 · 科员");
    expect(wrapper.find('[data-test="current-person-roles"]').text()).toContain("拟稿人");
    expect(wrapper.find('[data-test="current-person-roles"]').text()).toContain("核稿人");
  });

  it("signs out on the server, forgets the person and goes to sign-in", async () => {
    const { wrapper, router, server } = await mountAs(TopBar, ["drafter"], { live: true, showMenuButton: false });

    await wrapper.find('[data-test="sign-out"]').trigger("click");
    await settle(10);

    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toContain("POST /api/auth/logout");
    expect(useSessionStore().me).toBeNull();
    await eventually(() => expect(router.currentRoute.value.name).toBe("sign-in"));
  });
});

describe("SideMenu", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows a drafter 工作台, 发文 and 收文 but neither 档案 nor 管理", async () => {
    const { wrapper } = await mountAs(SideMenu, ["drafter"]);

    expect(wrapper.find('[data-test="menu-workbench"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="menu-outgoing"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="menu-incoming"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="menu-archive"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="menu-admin"]').exists()).toBe(false);
  });

  it("shows the audit administrator only the audit log under 管理", async () => {
    const { wrapper } = await mountAs(SideMenu, ["auditadmin"]);

    expect(wrapper.find('[data-test="menu-admin"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="menu-outgoing"]').exists()).toBe(false);
    expect(wrapper.html()).toContain('data-test="menu-admin-audit"');
    expect(wrapper.html()).not.toContain('data-test="menu-admin-people"');
    expect(wrapper.html()).not.toContain('data-test="menu-admin-units"');
  });
});
