/**
 * Test helper: a fake of the foundation API behind `fetch`, answering by
 * "METHOD /path" (query string ignored unless the key includes it), and the
 * plugins a mounted component needs (Pinia, i18n, Element Plus, a memory router).
 */
import ElementPlus from "element-plus";
import { createPinia, setActivePinia } from "pinia";
import { vi } from "vitest";
import type { Plugin } from "vue";
import { createMemoryHistory } from "vue-router";
import { createAppI18n } from "@/i18n";
import { createAppRouter } from "@/router";

export type Answer = { status: number; body?: unknown } | ((body: unknown) => { status: number; body?: unknown });

export interface FakeServer {
  requests: Array<{ method: string; url: string; body: unknown }>;
  answer: (key: string, answer: Answer) => void;
}

export function fakeServer(table: Record<string, Answer> = {}): FakeServer {
  const answers = new Map(Object.entries(table));
  const requests: FakeServer["requests"] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    requests.push({ method, url, body });
    const found = answers.get(`${method} ${url}`) ?? answers.get(`${method} ${url.split("?")[0]}`);
    const answer = typeof found === "function" ? found(body) : (found ?? { status: 404, body: { title: "Not Found", status: 404 } });
    const type = answer.status >= 400 ? "application/problem+json" : "application/json";
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "Content-Type": type },
    });
  });
  return { requests, answer: (key, value) => answers.set(key, value) };
}

export function testPlugins(path = "/") {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createAppRouter(createMemoryHistory());
  void router.push(path);
  const plugins: Plugin[] = [pinia, createAppI18n("zh-CN"), router, ElementPlus];
  return { pinia, router, plugins };
}

export const ME_DRAFTER = {
  id: 31,
  username: "zfb.drafter",
  name: "秦超",
  unit: { id: 2, code: "ZFB", name: "象山县人民政府办公室", short_name: "县府办", kind: "department" },
  office: { id: 7, code: "ZCFG", name: "政策法规科" },
  position: "科员",
  roles: ["drafter"],
} as const;

/** Let pending promises and Vue updates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Retry an assertion until it holds, for what the page shows after a debounce
 * or a lazy route load; generous because CI machines can be slow.
 */
export function eventually(assertion: () => void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 5_000, interval: 25 });
}
