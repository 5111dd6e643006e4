import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeServer, settle } from "@/testing/fakeServer";
import { readCounts, useWorkbenchStore } from "./workbench";

describe("workbench store", () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("shows every count as unknown while the server has no counts endpoint", async () => {
    fakeServer({ "GET /api/workbench/counts": { status: 404, body: { title: "找不到", status: 404 } } });
    const store = useWorkbenchStore();

    await store.loadCounts();

    expect(store.count("todo")).toBeNull();
    expect(store.available).toBe(false);
  });

  it("leaves the counts unknown for an administrator, whom the server refuses counts", async () => {
    fakeServer({ "GET /api/workbench/counts": { status: 403, body: { title: "无权", status: 403 } } });
    const store = useWorkbenchStore();

    await expect(store.loadCounts()).resolves.toBeUndefined();

    expect(store.count("overdue")).toBeNull();
  });

  it("loads the four counts", async () => {
    fakeServer({ "GET /api/workbench/counts": { status: 200, body: { todo: 3, to_read: 1, unsigned: 0, overdue: 2 } } });
    const store = useWorkbenchStore();

    await store.loadCounts();

    expect(store.counts).toEqual({ todo: 3, to_read: 1, unsigned: 0, overdue: 2 });
    expect(store.available).toBe(true);
  });

  it("takes the badge counts the server pushes without asking it again", () => {
    const server = fakeServer();
    const store = useWorkbenchStore();
    store.counts = { todo: 1, to_read: 1, unsigned: 1, overdue: 0 };

    store.applyBadges({ unsigned: 2, drafts: 4 });

    expect(store.counts).toEqual({ todo: 1, to_read: 1, unsigned: 2, overdue: 0, drafts: 4 });
    expect(server.requests).toEqual([]);
  });

  it("reloads the counts once for a burst of events that carry none", async () => {
    vi.useFakeTimers();
    const server = fakeServer({ "GET /api/workbench/counts": { status: 200, body: { todo: 5, to_read: 0, unsigned: 0, overdue: 0 } } });
    const store = useWorkbenchStore();

    store.applyEvent({ id: 1, type: "doc.returned" });
    store.applyEvent({ id: 2, type: "doc.signed" });
    store.applyEvent({ id: 3, type: "doc.sealed" });
    await vi.advanceTimersByTimeAsync(1_000);

    expect(server.requests.filter((r) => r.url === "/api/workbench/counts")).toHaveLength(1);
    expect(store.counts.todo).toBe(5);
    expect(store.notifications.map((n) => n.id)).toEqual([3, 2, 1]);
  });

  it("a resync after missed events gives the same counts as a fresh load", async () => {
    const fresh = { todo: 7, to_read: 2, unsigned: 4, overdue: 1 };
    fakeServer({ "GET /api/workbench/counts": { status: 200, body: fresh } });
    const stale = useWorkbenchStore();
    stale.counts = { todo: 1, to_read: 0, unsigned: 0, overdue: 0 };

    await stale.resync();
    await settle();

    expect(stale.counts).toEqual(readCounts(fresh));
  });

  it("reads a missing or malformed count as unknown", () => {
    expect(readCounts({ todo: "3", to_read: 2, overdue: Number.NaN })).toEqual({ to_read: 2 });
    expect(readCounts(null)).toEqual({});
  });
});
