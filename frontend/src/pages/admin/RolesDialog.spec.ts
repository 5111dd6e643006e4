import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Person } from "@/services/types";
import { fakeServer, settle, testPlugins } from "@/testing/fakeServer";
import RolesDialog from "./RolesDialog.vue";

const PERSON: Person = {
  id: 31,
  username: "zfb.drafter",
  name: "秦超",
  unit_id: 2,
  office_id: 7,
  position: "科员",
  roles: ["drafter"],
  active: true,
  locked_until: null,
};

async function openFor(person: Person) {
  const server = fakeServer();
  const { plugins, router } = testPlugins("/");
  await router.isReady();
  const wrapper = mount(RolesDialog, { props: { person, modelValue: false }, global: { plugins }, attachTo: document.body });
  await wrapper.setProps({ modelValue: true });
  await settle();
  return { wrapper, server };
}

function tick(wrapper: Awaited<ReturnType<typeof openFor>>["wrapper"], role: string) {
  return wrapper.find(`[data-test="role-${role}"] input`).setValue(true);
}

describe("RolesDialog", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("warns and will not save when an administrator role joins a business role", async () => {
    const { wrapper } = await openFor(PERSON);

    await tick(wrapper, "sysadmin");

    expect(wrapper.find('[data-test="roles-conflict"]').text()).toContain("系统管理员不能同时担任业务角色");
    expect(wrapper.find('[data-test="roles-save"]').attributes("disabled")).toBeDefined();
  });

  it("sends the whole role set in the usual order and hands back the saved person", async () => {
    const { wrapper, server } = await openFor(PERSON);
    server.answer("PUT /api/people/31/roles", (body) => ({ status: 200, body: { ...PERSON, ...(body as object) } }));

    await tick(wrapper, "registrar");
    await tick(wrapper, "reviewer");
    await wrapper.find('[data-test="roles-save"]').trigger("click");
    await settle(10);

    expect(server.requests.find((r) => r.method === "PUT")?.body).toEqual({ roles: ["drafter", "reviewer", "registrar"] });
    expect(wrapper.emitted("saved")?.[0]?.[0]).toMatchObject({ roles: ["drafter", "reviewer", "registrar"] });
  });
});
