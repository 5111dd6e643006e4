import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Person, Role } from "@/services/types";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import PeoplePage from "./PeoplePage.vue";

const UNITS = {
  items: [
    { id: 1, code: "XSX", name: "象山县人民政府", short_name: "象山县政府", kind: "county", parent_id: null, offices: [{ id: 5, code: "XXZX", name: "信息中心" }] },
  ],
  total: 1,
};

const person = (id: number, extra: Partial<Person> = {}): Person => ({
  id,
  username: `p${id}`,
  name: `人员${id}`,
  unit_id: 1,
  office_id: 5,
  position: "科员",
  roles: ["drafter"],
  active: true,
  locked_until: null,
  ...extra,
});

async function mountAs(roles: Role[], people: Person[]) {
  const server = fakeServer({
    "GET /api/units": { status: 200, body: UNITS },
    "GET /api/people": { status: 200, body: { items: people, total: 45 } },
  });
  const { plugins, router } = testPlugins("/");
  useSessionStore().me = { ...ME_DRAFTER, roles };
  await router.isReady();
  const wrapper = mount(PeoplePage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server };
}

describe("PeoplePage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("lists a page of people with unit, office and roles in Chinese", async () => {
    const { wrapper, server } = await mountAs(["sysadmin"], [person(1)]);

    const table = wrapper.find('[data-test="people-table"]').text();
    expect(table).toContain("人员1");
    expect(table).toContain("象山县政府");
    expect(table).toContain("信息中心");
    expect(table).toContain("拟稿人");
    expect(server.requests.some((r) => r.url === "/api/people?q=&page=1&page_size=20".replace("q=&", ""))).toBe(true);
    expect(wrapper.find('[data-test="people-pager"]').text()).toContain("45");
  });

  it("offers the system administrator create and edit, but not roles or unlock", async () => {
    const locked = person(2, { locked_until: new Date(Date.now() + 3_600_000).toISOString() });
    const { wrapper } = await mountAs(["sysadmin"], [locked]);

    expect(wrapper.find('[data-test="person-create"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="person-edit-2"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="person-roles-2"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="person-unlock-2"]').exists()).toBe(false);
  });

  it("offers the security administrator roles, and unlock only for a locked account", async () => {
    const locked = person(2, { locked_until: new Date(Date.now() + 3_600_000).toISOString() });
    const { wrapper } = await mountAs(["secadmin"], [person(1), locked]);

    expect(wrapper.find('[data-test="person-create"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="person-edit-1"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="person-roles-1"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="person-unlock-1"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="person-unlock-2"]').exists()).toBe(true);
  });

  it("filters by text after the person stops typing", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { wrapper, server } = await mountAs(["sysadmin"], [person(1)]);
      await wrapper.find('[data-test="people-filter-text"]').setValue("王");
      await wrapper.find('[data-test="people-filter-text"]').setValue("王芳");
      await vi.advanceTimersByTimeAsync(400);
      await settle();

      const searches = server.requests.filter((r) => r.url.startsWith("/api/people?q="));
      expect(searches.map((r) => decodeURIComponent(r.url))).toEqual(["/api/people?q=王芳&page=1&page_size=20"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("puts the server's field errors under the inputs of the new-person form", async () => {
    const { wrapper, server } = await mountAs(["sysadmin"], []);
    server.answer("POST /api/people", {
      status: 422,
      body: { title: "输入有误", status: 422, detail: "提交的内容有误", errors: [{ field: "username", message: "用户名已被占用" }] },
    });

    await wrapper.find('[data-test="person-create"]').trigger("click");
    await settle();
    await wrapper.find('[data-test="person-username"]').setValue("xsx.drafter");
    await wrapper.find('[data-test="person-name"]').setValue("王芳");
    await wrapper.find('[data-test="person-password"]').setValue("demo12345");
    // Choose the unit through the select's model, as a click on a teleported option is not reachable here.
    const dialog = wrapper.findComponent({ name: "PersonDialog" });
    (dialog.vm.$ as unknown as { setupState: { draft: { unit_id: number } } }).setupState.draft.unit_id = 1;
    await settle();
    await wrapper.find('[data-test="person-save"]').trigger("click");
    await settle(10);

    const sent = server.requests.find((r) => r.method === "POST" && r.url === "/api/people");
    expect(sent?.body).toEqual({ username: "xsx.drafter", name: "王芳", unit_id: 1, office_id: null, position: null, password: "demo12345" });
    await eventually(() => expect(wrapper.find('[data-test="person-dialog"]').text()).toContain("用户名已被占用"));
  });
});
