import { describe, expect, it, vi } from "vitest";
import { ApiClient, buildUrl } from "./api";
import { ApiError, NetworkError } from "./problem";

interface Call {
  url: string;
  init: RequestInit;
}

/** A scripted fetch: answers in order, records what was asked. */
function scriptedFetch(...answers: Array<Response | Error>) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected request ${String(input)}`);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof fetch;
  return { calls, fetchImpl };
}

function json(status: number, body: unknown, contentType = "application/json"): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": contentType } });
}

const problem = (status: number, title: string, detail?: string, errors?: unknown) =>
  json(status, { type: "about:blank", title, status, detail, errors }, "application/problem+json");

describe("ApiClient", () => {
  it("sends same-origin credentials and the X-Requested-With header on every request", async () => {
    const { calls, fetchImpl } = scriptedFetch(json(200, { id: 1 }), json(201, { id: 2 }));
    const client = new ApiClient({ fetch: fetchImpl });

    await client.get("/api/me");
    await client.post("/api/units", { code: "x" });

    for (const call of calls) {
      expect(call.init.credentials).toBe("same-origin");
      expect((call.init.headers as Record<string, string>)["X-Requested-With"]).toBe("oa");
    }
    expect(calls[1]?.init.body).toBe(JSON.stringify({ code: "x" }));
    expect((calls[1]?.init.headers as Record<string, string>)["Content-Type"]).toBe("application/json");
  });

  it("drops empty filters from the query string", () => {
    expect(buildUrl("/api/people", { unit_id: null, q: "", page: 2, page_size: 20 })).toBe(
      "/api/people?page=2&page_size=20",
    );
    expect(buildUrl("/api/units", { kind: "town", q: "镇" })).toBe("/api/units?kind=town&q=%E9%95%87");
  });

  it("returns undefined for a 204 answer", async () => {
    const { fetchImpl } = scriptedFetch(new Response(null, { status: 204 }));
    await expect(new ApiClient({ fetch: fetchImpl }).post("/api/auth/logout")).resolves.toBeUndefined();
  });

  it("turns problem details into an ApiError with field errors", async () => {
    const { fetchImpl } = scriptedFetch(
      problem(422, "请求有误", "用户名已被占用", [{ field: "body.username", message: "已存在" }]),
    );
    const client = new ApiClient({ fetch: fetchImpl });

    const error = await client.post("/api/people", {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.userMessage).toBe("用户名已被占用");
    expect(apiError.errors).toEqual([{ field: "username", message: "已存在" }]);
  });

  it("keeps the status text when the error body is not JSON", async () => {
    const { fetchImpl } = scriptedFetch(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const error = (await new ApiClient({ fetch: fetchImpl }).get("/api/me").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.userMessage).toBe("Bad Gateway");
  });

  it("reports a failed connection as a NetworkError", async () => {
    const { fetchImpl } = scriptedFetch(new TypeError("Failed to fetch"));
    await expect(new ApiClient({ fetch: fetchImpl }).get("/api/me")).rejects.toBeInstanceOf(NetworkError);
  });

  it("refreshes the session once on 401 and retries the request", async () => {
    const { calls, fetchImpl } = scriptedFetch(problem(401, "未登录"), json(200, { id: 1 }), json(200, { id: 7 }));
    const onUnauthenticated = vi.fn();
    const client = new ApiClient({ fetch: fetchImpl, onUnauthenticated });

    await expect(client.get("/api/me")).resolves.toEqual({ id: 7 });

    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      "GET /api/me",
      "POST /api/auth/refresh",
      "GET /api/me",
    ]);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it("goes to sign-in when the refresh is refused too", async () => {
    const { calls, fetchImpl } = scriptedFetch(problem(401, "未登录"), problem(401, "会话已过期"));
    const onUnauthenticated = vi.fn();
    const client = new ApiClient({ fetch: fetchImpl, onUnauthenticated });

    await expect(client.get("/api/people")).rejects.toMatchObject({ status: 401 });

    expect(calls).toHaveLength(2);
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it("goes to sign-in when the retried request is still refused", async () => {
    const { calls, fetchImpl } = scriptedFetch(problem(401, "未登录"), json(200, {}), problem(401, "未登录"));
    const onUnauthenticated = vi.fn();

    await expect(new ApiClient({ fetch: fetchImpl, onUnauthenticated }).get("/api/me")).rejects.toBeInstanceOf(ApiError);

    expect(calls).toHaveLength(3);
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it("shares one refresh between requests that are refused at the same time", async () => {
    const { calls, fetchImpl } = scriptedFetch(
      problem(401, "未登录"),
      problem(401, "未登录"),
      json(200, {}),
      json(200, { n: 1 }),
      json(200, { n: 2 }),
    );
    const client = new ApiClient({ fetch: fetchImpl });

    await Promise.all([client.get("/api/a"), client.get("/api/b")]);

    expect(calls.filter((c) => c.url === "/api/auth/refresh")).toHaveLength(1);
  });

  it("does not try to refresh when the sign-in itself is refused", async () => {
    const { calls, fetchImpl } = scriptedFetch(problem(401, "用户名或密码错误"));
    const onUnauthenticated = vi.fn();
    const client = new ApiClient({ fetch: fetchImpl, onUnauthenticated });

    await expect(client.post("/api/auth/login", { username: "a", password: "b" })).rejects.toMatchObject({
      status: 401,
      userMessage: "用户名或密码错误",
    });

    expect(calls).toHaveLength(1);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });
});
