import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { eventually, fakeServer, ME_DRAFTER, settle, testPlugins } from "@/testing/fakeServer";
import { useSessionStore } from "@/stores/session";
import SignInPage from "./SignInPage.vue";

async function signIn(username: string, password: string, path = "/sign-in") {
  const { plugins, router } = testPlugins(path);
  await router.isReady();
  const wrapper = mount(SignInPage, { global: { plugins } });
  await wrapper.find('[data-test="sign-in-username"]').setValue(username);
  await wrapper.find('[data-test="sign-in-password"]').setValue(password);
  await wrapper.find('[data-test="sign-in-form"]').trigger("submit");
  await settle(10);
  return { wrapper, router };
}

describe("SignInPage", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the server's words when the password is wrong, and clears the password", async () => {
    fakeServer({ "POST /api/auth/login": { status: 401, body: { title: "未登录", status: 401, detail: "用户名或密码不正确" } } });

    const { wrapper } = await signIn("zfb.drafter", "wrong-password");

    expect(wrapper.find('[data-test="sign-in-error"]').text()).toContain("用户名或密码不正确");
    expect((wrapper.find('[data-test="sign-in-password"]').element as HTMLInputElement).value).toBe("");
  });

  it("says until when a locked account is locked", async () => {
    fakeServer({
      "POST /api/auth/login": { status: 423, body: { title: "账号已锁定", status: 423, detail: "连续失败次数过多，账号锁定至 18:30" } },
    });

    const { wrapper } = await signIn("zfb.drafter", "whatever1");

    expect(wrapper.find('[data-test="sign-in-error"]').text()).toContain("锁定至 18:30");
  });

  it("tells the person when the server cannot be reached", async () => {
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("Failed to fetch")));

    const { wrapper } = await signIn("zfb.drafter", "demo12345");

    expect(wrapper.find('[data-test="sign-in-error"]').text()).toContain("无法连接服务器");
  });

  it("does not send the form while a field is empty", async () => {
    const server = fakeServer();

    const { wrapper } = await signIn("zfb.drafter", "");

    expect(server.requests.filter((r) => r.url === "/api/auth/login")).toEqual([]);
    // Element Plus shows a field's error after a short debounce.
    await eventually(() => expect(wrapper.text()).toContain("请填写密码"));
  });

  it("signs in, remembers the person and returns to the page that was asked for", async () => {
    const server = fakeServer({ "POST /api/auth/login": { status: 200, body: ME_DRAFTER } });

    const { router } = await signIn(" zfb.drafter ", "demo12345", "/sign-in?redirect=/incoming");

    expect(server.requests.find((r) => r.url === "/api/auth/login")?.body).toEqual({ username: "zfb.drafter", password: "demo12345" });
    expect(useSessionStore().me?.name).toBe("秦超");
    await eventually(() => expect(router.currentRoute.value.fullPath).toBe("/incoming"));
  });

  it("keeps nothing of the session in web storage", async () => {
    fakeServer({ "POST /api/auth/login": { status: 200, body: ME_DRAFTER } });

    await signIn("zfb.drafter", "demo12345");

    // The language choice is the only thing the application may remember there.
    expect(Object.keys(window.localStorage).filter((key) => key !== "oa.locale")).toEqual([]);
    expect(window.sessionStorage.length).toBe(0);
    expect(useSessionStore().me?.username).toBe("zfb.drafter");
  });

  it("never follows a redirect to another site", async () => {
    fakeServer({ "POST /api/auth/login": { status: 200, body: ME_DRAFTER } });

    const { router } = await signIn("zfb.drafter", "demo12345", "/sign-in?redirect=//evil.example/x");

    await eventually(() => expect(router.currentRoute.value.fullPath).toBe("/"));
  });
});
