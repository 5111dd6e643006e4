import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { IncomingSummary } from "@/services/documentTypes";
import type { Role } from "@/services/types";
import { useSessionStore } from "@/stores/session";
import { useWorkbenchStore } from "@/stores/workbench";
import { fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import IncomingPage from "./IncomingPage.vue";

const arrival = (id: number, extra: Partial<IncomingSummary> = {}): IncomingSummary => ({
  id,
  state: "received",
  state_label: "待签收",
  title: `关于做好冬季森林防火工作的通知 ${id}`,
  doc_type: "通知",
  doc_number: "象政办发〔2026〕12号",
  urgency: null,
  sender_name: "象山县人民政府办公室",
  register_number: null,
  received_at: "2026-11-25T10:00:00Z",
  deadline: null,
  ...extra,
});

async function mountAs(roles: Role[], items: IncomingSummary[]) {
  const server = fakeServer({ "GET /api/incoming": { status: 200, body: { items, total: items.length } } });
  const { plugins, router } = testPlugins("/incoming");
  useSessionStore().me = { ...ME_DRAFTER, roles };
  await router.isReady();
  const wrapper = mount(IncomingPage, { global: { plugins }, attachTo: document.body });
  await settle(10);
  return { wrapper, server };
}

describe("IncomingPage", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("opens on the 未签收 box", async () => {
    const { wrapper, server } = await mountAs(["registrar"], [arrival(1)]);

    expect(server.requests.map((r) => r.url)).toContain("/api/incoming?box=unsigned&page=1&page_size=20");
    expect(wrapper.find('[data-test="incoming-table"]').text()).toContain("待签收");
  });

  it("lets a registrar sign for an arrival and shows the list again", async () => {
    const { wrapper, server } = await mountAs(["registrar"], [arrival(1), arrival(2, { state: "signed_for", state_label: "待登记" })]);
    server.answer("POST /api/incoming/1/actions", { status: 200, body: arrival(1, { state: "signed_for" }) });

    expect(wrapper.find('[data-test="incoming-sign-for-2"]').exists()).toBe(false);
    await wrapper.find('[data-test="incoming-sign-for-1"]').trigger("click");
    await settle(10);

    expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ action: "sign_for" });
    expect(server.requests.filter((r) => r.url.startsWith("/api/incoming?"))).toHaveLength(2);
  });

  it("offers no signing to someone who is not a registrar", async () => {
    const { wrapper } = await mountAs(["drafter"], [arrival(1)]);
    expect(wrapper.find('[data-test="incoming-sign-for-1"]').exists()).toBe(false);
  });

  it("fetches the list again when the event stream brings something new", async () => {
    const { server } = await mountAs(["registrar"], []);
    server.answer("GET /api/incoming", { status: 200, body: { items: [arrival(5)], total: 1 } });

    useWorkbenchStore().applyEvent({ id: 40, type: "incoming.arrived", data: {} });
    await settle(10);

    expect(server.requests.filter((r) => r.url.startsWith("/api/incoming?"))).toHaveLength(2);
  });
});
