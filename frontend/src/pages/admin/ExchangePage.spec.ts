import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseDirectoryFile } from "@/services/exchange";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import ExchangePage from "./ExchangePage.vue";

const DIRECTORY = {
  format: "xiangshan-exchange-directory",
  version: 1,
  nodes: [{ node_id: "ninghai", name: "宁海县", base_url: "https://oa.ninghai.example", units: ["NHZF"], jwks: { keys: [{ kid: "abcdefghijklmnopqrstuvwxyz", kty: "OKP" }] } }],
};

describe("parseDirectoryFile", () => {
  it("reads a directory and refuses what is not one", () => {
    expect(parseDirectoryFile(JSON.stringify(DIRECTORY))).toEqual(DIRECTORY);
    expect(() => parseDirectoryFile("{")).toThrow("notJson");
    expect(() => parseDirectoryFile("[1]")).toThrow("notDirectory");
  });
});

describe("ExchangePage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("lists the nodes with their units and shortened key ids, and imports a chosen file", async () => {
    const server = fakeServer({
      "GET /api/exchange/directory": { status: 200, body: DIRECTORY },
      "GET /api/units": { status: 200, body: { items: [], total: 0 } },
      "POST /api/exchange/directory/import": { status: 200, body: { nodes: ["ninghai"] } },
    });
    const { plugins, router } = testPlugins("/admin/exchange");
    useSessionStore().me = { ...ME_DRAFTER, roles: ["sysadmin"] };
    await router.isReady();
    const wrapper = mount(ExchangePage, { global: { plugins }, attachTo: document.body });
    await settle(10);

    await eventually(() => expect(wrapper.get('[data-test="exchange-nodes"]').text()).toContain("宁海县"));
    expect(wrapper.get('[data-test="exchange-nodes"]').text()).toContain("NHZF");
    expect(wrapper.get('[data-test="exchange-nodes"]').text()).toContain("abcdefghijklmnop…");

    const input = wrapper.get('[data-test="exchange-import-file"]').element as HTMLInputElement;
    const file = new File([JSON.stringify(DIRECTORY)], "ninghai.json", { type: "application/json" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    input.dispatchEvent(new Event("change"));

    await eventually(() => expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ directory: DIRECTORY }));
  });

  it("will not save this node without a name and an address", async () => {
    const server = fakeServer({
      "GET /api/exchange/directory": { status: 200, body: DIRECTORY },
      "GET /api/units": { status: 200, body: { items: [], total: 0 } },
    });
    const { plugins, router } = testPlugins("/admin/exchange");
    useSessionStore().me = { ...ME_DRAFTER, roles: ["sysadmin"] };
    await router.isReady();
    const wrapper = mount(ExchangePage, { global: { plugins }, attachTo: document.body });
    await settle(10);
    await wrapper.get('[data-test="exchange-local-save"]').trigger("click");
    await eventually(() => expect(wrapper.findAll(".el-form-item__error").length).toBe(2));
    expect(server.requests.filter((r) => r.method === "PUT")).toEqual([]);
  });
});
