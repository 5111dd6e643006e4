import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Unit } from "@/services/types";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import UnitsPage from "./UnitsPage.vue";

const COUNTY: Unit = { id: 1, code: "XSX", name: "象山县人民政府", short_name: "象山县政府", kind: "county", parent_id: null, offices: [] };
const TOWN: Unit = { id: 2, code: "SPZ", name: "石浦镇人民政府", short_name: "石浦镇", kind: "town", parent_id: 1, offices: [{ id: 9, code: "DZB", name: "党政办" }] };

async function mountPage() {
  const server = fakeServer({ "GET /api/units": { status: 200, body: { items: [COUNTY, TOWN], total: 2 } } });
  const { plugins, router } = testPlugins("/");
  useSessionStore().me = { ...ME_DRAFTER, roles: ["sysadmin"] };
  await router.isReady();
  const wrapper = mount(UnitsPage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server };
}

describe("UnitsPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("lists the units with kind, parent and number of offices", async () => {
    const { wrapper } = await mountPage();

    const table = wrapper.find('[data-test="units-table"]').text();
    expect(table).toContain("石浦镇人民政府");
    expect(table).toContain("镇");
    expect(table).toContain("1 个处室");
  });

  it("searches by text on the server", async () => {
    const { wrapper, server } = await mountPage();

    await wrapper.find('[data-test="units-filter-text"]').setValue("石浦");
    await wrapper.find("form").trigger("submit");
    await settle(10);

    expect(server.requests.map((r) => decodeURIComponent(r.url))).toContain("/api/units?q=石浦");
  });

  it("shows what is wrong with a new unit while typing and sends nothing until it is right", async () => {
    const { wrapper, server } = await mountPage();

    await wrapper.find('[data-test="unit-create"]').trigger("click");
    await settle();
    await wrapper.find('[data-test="unit-code"]').setValue("石浦 2");
    await wrapper.find('[data-test="unit-save"]').trigger("click");
    await settle(10);

    await eventually(() => expect(wrapper.find('[data-test="unit-dialog"]').text()).toContain("代码只能包含字母、数字、下划线、点和连字符"));
    expect(server.requests.filter((r) => r.method === "POST")).toEqual([]);
  });

  it("creates a unit and shows it at once", async () => {
    const { wrapper, server } = await mountPage();
    const created: Unit = { id: 3, code: "DTZ", name: "东陈乡人民政府", short_name: "东陈乡", kind: "township", parent_id: 1, offices: [] };
    server.answer("POST /api/units", { status: 201, body: created });

    await wrapper.find('[data-test="unit-create"]').trigger("click");
    await settle();
    await wrapper.find('[data-test="unit-code"]').setValue("DTZ");
    await wrapper.find('[data-test="unit-name"]').setValue("东陈乡人民政府");
    await wrapper.find('[data-test="unit-short-name"]').setValue("东陈乡");
    await wrapper.find('[data-test="unit-save"]').trigger("click");
    await settle(10);

    const sent = server.requests.find((r) => r.method === "POST");
    expect(sent?.body).toEqual({ code: "DTZ", name: "东陈乡人民政府", short_name: "东陈乡", kind: "department", parent_id: null });
    await eventually(() => expect(wrapper.find('[data-test="units-table"]').text()).toContain("东陈乡人民政府"));
  });

  it("adds an office to a unit and counts it", async () => {
    const { wrapper, server } = await mountPage();
    server.answer("POST /api/units/2/offices", { status: 201, body: { id: 10, code: "JJB", name: "经济发展办" } });

    await wrapper.find('[data-test="unit-add-office-2"]').trigger("click");
    await settle();
    await wrapper.find('[data-test="office-code"]').setValue("JJB");
    await wrapper.find('[data-test="office-name"]').setValue("经济发展办");
    await wrapper.find('[data-test="office-save"]').trigger("click");
    await settle(10);

    expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ code: "JJB", name: "经济发展办" });
    await eventually(() => expect(wrapper.find('[data-test="units-table"]').text()).toContain("2 个处室"));
  });
});
