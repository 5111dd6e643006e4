import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { eventually, fakeServer, settle, testPlugins } from "@/testing/fakeServer";
import DocumentActionDialog from "./DocumentActionDialog.vue";

const PERSON = { id: 140, username: "zfb.drafter2", name: "林涛", unit_id: 2, office_id: null, position: "科员", roles: ["drafter"], active: true, locked_until: null };

function confirmButton(): HTMLButtonElement {
  const button = document.querySelector<HTMLButtonElement>('[data-test="action-confirm"]');
  if (button === null) throw new Error("no confirm button");
  return button;
}

describe("DocumentActionDialog", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("keeps 转交 off until a colleague is chosen, then sends the task to that person", async () => {
    const server = fakeServer({
      "GET /api/people": { status: 200, body: { items: [PERSON], total: 1 } },
      "POST /api/documents/7/actions": { status: 200, body: { id: 7 } },
    });
    const { plugins } = testPlugins();
    const wrapper = mount(DocumentActionDialog, { props: { modelValue: true, documentId: 7, action: "transfer" }, global: { plugins }, attachTo: document.body });
    await settle();
    await eventually(() => expect(confirmButton().disabled).toBe(true));

    const search = document.querySelector<HTMLInputElement>('[data-test="action-transfer-to"] input, input[data-test="action-transfer-to"]');
    if (search === null) throw new Error("no person search");
    search.value = "林";
    search.dispatchEvent(new Event("input"));
    await eventually(() => expect(document.body.textContent).toContain("林涛（科员）"));
    const option = [...document.querySelectorAll<HTMLElement>(".el-select-dropdown__item")].find((o) => o.textContent?.includes("林涛"));
    option?.click();
    await eventually(() => expect(confirmButton().disabled).toBe(false));
    confirmButton().click();

    await eventually(() => expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ action: "transfer", reason: "", to: 140 }));
    await eventually(() => expect(wrapper.emitted("done")).toHaveLength(1));
  });

  it("returns to a named earlier step only once that step is chosen", async () => {
    const server = fakeServer({ "POST /api/documents/7/actions": { status: 200, body: { id: 7 } } });
    const { plugins } = testPlugins();
    mount(DocumentActionDialog, {
      props: { modelValue: true, documentId: 7, action: "return", earlierSteps: ["核稿"] },
      global: { plugins },
      attachTo: document.body,
    });
    await settle();
    const text = document.querySelector<HTMLTextAreaElement>('textarea[data-test="action-text"]');
    if (text === null) throw new Error("no reason box");
    text.value = "请重新核稿";
    text.dispatchEvent(new Event("input"));
    document.querySelector<HTMLInputElement>('[data-test="action-return-step"] input')?.click();
    await eventually(() => expect(confirmButton().disabled).toBe(true));

    await eventually(() => expect(document.querySelector('[data-test="action-return-step-choice"]')).not.toBeNull());
    const stepSelect = document.querySelector<HTMLElement>('[data-test="action-return-step-choice"]');
    stepSelect?.closest(".el-select")?.querySelector<HTMLElement>(".el-select__wrapper")?.click();
    await eventually(() => expect([...document.querySelectorAll(".el-select-dropdown__item")].some((o) => o.textContent?.includes("核稿"))).toBe(true));
    [...document.querySelectorAll<HTMLElement>(".el-select-dropdown__item")].find((o) => o.textContent?.includes("核稿"))?.click();
    await eventually(() => expect(confirmButton().disabled).toBe(false));
    confirmButton().click();

    await eventually(() =>
      expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ action: "return", reason: "请重新核稿", target: "step", step: "核稿" }),
    );
  });
});
