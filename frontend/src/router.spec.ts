import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, ME_DRAFTER, testPlugins } from "@/testing/fakeServer";
import { safeRedirect } from "./router";

describe("route guard", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends a signed-out visitor to sign-in, remembering where they were going", async () => {
    const server = fakeServer({ "GET /api/auth/session": { status: 200, body: { signed_in: false, me: null } } });
    const { router } = testPlugins("/admin/people");
    await router.isReady();

    expect(router.currentRoute.value.name).toBe("sign-in");
    expect(router.currentRoute.value.query.redirect).toBe("/admin/people");
    // A first visit asks the session endpoint (200 either way), never /api/me, so the console shows no 401.
    expect(server.requests.map((r) => r.url)).toEqual(["/api/auth/session"]);
  });

  it("lets a drafter into 发文 but not into the administrators' pages", async () => {
    fakeServer({ "GET /api/auth/session": { status: 200, body: { signed_in: true, me: ME_DRAFTER } } });
    const { router } = testPlugins("/outgoing");
    await router.isReady();
    expect(router.currentRoute.value.name).toBe("outgoing");

    await router.push("/admin/audit");
    expect(router.currentRoute.value.name).toBe("workbench");
  });

  it("sends a signed-in person away from the sign-in page", async () => {
    fakeServer({ "GET /api/auth/session": { status: 200, body: { signed_in: true, me: ME_DRAFTER } } });
    const { router } = testPlugins("/sign-in");
    await router.isReady();
    expect(router.currentRoute.value.name).toBe("workbench");
  });
});

describe("safeRedirect", () => {
  it.each([
    ["/incoming", "/incoming"],
    ["//evil.example", "/"],
    ["https://evil.example", "/"],
    [undefined, "/"],
  ])("turns %j into %j", (value, expected) => {
    expect(safeRedirect(value)).toBe(expected);
  });
});
