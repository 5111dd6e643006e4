import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/services/types";
import { useSessionStore } from "@/stores/session";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import TransferButton from "./TransferButton.vue";

async function mountAs(roles: Role[], state: string) {
  const server = fakeServer({
    "POST /api/archive/transfers": { status: 201, body: { id: 3, title: "通知", checks_passed: true } },
  });
  const { plugins, router } = testPlugins("/");
  useSessionStore().me = { ...ME_DRAFTER, roles };
  await router.isReady();
  const wrapper = mount(TransferButton, { props: { documentId: 42, state }, global: { plugins }, attachTo: document.body });
  await settle();
  return { wrapper, server };
}

describe("TransferButton", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("lets the registrar transfer a dispatched document to the archive", async () => {
    const { wrapper, server } = await mountAs(["registrar"], "dispatched");
    await wrapper.find('[data-test="archive-transfer"]').trigger("click");
    await eventually(() => expect(server.requests.some((r) => r.url === "/api/archive/transfers")).toBe(true));
    expect(server.requests.find((r) => r.url === "/api/archive/transfers")?.body).toEqual({ document_id: 42 });
    await eventually(() => expect(document.body.textContent).toContain("已移交档案室"));
  });

  it("is not offered before dispatch or to people who are not registrars", async () => {
    expect((await mountAs(["registrar"], "sealing")).wrapper.find('[data-test="archive-transfer"]').exists()).toBe(false);
    expect((await mountAs(["drafter"], "dispatched")).wrapper.find('[data-test="archive-transfer"]').exists()).toBe(false);
  });
});
