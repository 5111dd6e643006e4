import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { effectScope, nextTick } from "vue";
import { EventStream, type EventStreamOptions, type SocketLike, type StreamEvent } from "./eventStream";
import { useEventStream } from "./useEventStream";

/** A WebSocket stand-in the test drives by hand: open it, push frames, drop it. */
class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closedWith: number | null = null;

  constructor(readonly url: string) {}

  open(): void {
    this.onopen?.(new Event("open"));
  }

  send(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }

  drop(code = 1006): void {
    this.onclose?.({ code } as CloseEvent);
  }

  close(code?: number): void {
    this.closedWith = code ?? 1000;
  }
}

function harness(extra: Partial<EventStreamOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const events: StreamEvent[] = [];
  const onResync = vi.fn();
  const stream = new EventStream({
    onEvent: (event) => events.push(event),
    onResync,
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 1, // no jitter: delays are exactly the ceiling
    ...extra,
  });
  const latest = () => {
    const socket = sockets.at(-1);
    if (socket === undefined) throw new Error("no socket opened");
    return socket;
  };
  return { stream, sockets, events, onResync, latest };
}

describe("EventStream", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("connects without an event id the first time and delivers events in order", () => {
    const { stream, latest, events } = harness();
    stream.start();
    latest().open();
    latest().send({ id: 5, type: "doc.arrived" });
    latest().send({ id: 6, type: "doc.signed" });

    expect(latest().url).toBe("/ws/events");
    expect(stream.state).toBe("open");
    expect(events.map((e) => e.id)).toEqual([5, 6]);
  });

  it("ignores heartbeats", () => {
    const { stream, latest, events, onResync } = harness();
    stream.start();
    latest().open();
    latest().send({ type: "ping" });

    expect(events).toEqual([]);
    expect(onResync).not.toHaveBeenCalled();
    expect(stream.lastEventId).toBeNull();
  });

  it("reconnects after a drop and resumes from the last event id it saw", () => {
    const { stream, sockets, latest } = harness();
    stream.start();
    latest().open();
    latest().send({ id: 41, type: "doc.arrived" });
    latest().drop();

    expect(stream.state).toBe("waiting");
    vi.advanceTimersByTime(1_000);

    expect(sockets).toHaveLength(2);
    expect(latest().url).toBe("/ws/events?last_event_id=41");
  });

  it("skips replayed events it has already delivered", () => {
    const { stream, latest, events } = harness();
    stream.start();
    latest().open();
    latest().send({ id: 1, type: "a" });
    latest().send({ id: 2, type: "b" });
    latest().drop();
    vi.advanceTimersByTime(1_000);
    latest().open();
    latest().send({ id: 2, type: "b" });
    latest().send({ id: 3, type: "c" });

    expect(events.map((e) => e.id)).toEqual([1, 2, 3]);
  });

  it("starts after the id of the ready frame without delivering it", () => {
    const { stream, latest, events, sockets } = harness();
    stream.start();
    latest().open();
    latest().send({ id: 120, type: "ready" });
    latest().drop();
    vi.advanceTimersByTime(1_000);

    expect(events).toEqual([]);
    expect(sockets[1]?.url).toBe("/ws/events?last_event_id=120");
  });

  it("never moves back when a ready frame names an older id", () => {
    const { stream, latest } = harness();
    stream.start();
    latest().open();
    latest().send({ id: 7, type: "doc.arrived", data: {} });
    latest().send({ id: 5, type: "ready" });
    expect(stream.lastEventId).toBe(7);
  });

  it("hands pushed badge counts to the badge handler", () => {
    const onBadges = vi.fn();
    const { stream, latest, events } = harness({ onBadges });
    stream.start();
    latest().open();
    latest().send({ type: "badges", data: { todo: 3, unsigned: 1 } });

    expect(onBadges).toHaveBeenCalledWith({ todo: 3, unsigned: 1 });
    expect(events).toEqual([]);
    expect(stream.lastEventId).toBeNull();
  });

  it("stops for good when the server refuses the page's origin", () => {
    const { stream, sockets, latest } = harness();
    stream.start();
    latest().drop(4403);
    vi.advanceTimersByTime(60_000);

    expect(stream.state).toBe("stopped");
    expect(sockets).toHaveLength(1);
  });

  it("forgets a refused last_event_id and reloads in full after reconnecting", () => {
    const { stream, latest, onResync } = harness();
    stream.start();
    latest().open();
    latest().send({ id: 33, type: "doc.arrived" });
    latest().drop(4400);
    vi.advanceTimersByTime(1_000);
    expect(latest().url).toBe("/ws/events");

    latest().open();
    expect(onResync).toHaveBeenCalledOnce();
  });

  it("reloads in full when the server asks for a resync", () => {
    const { stream, latest, onResync } = harness();
    stream.start();
    latest().open();
    latest().send({ type: "resync", id: 90 });

    expect(onResync).toHaveBeenCalledOnce();
    expect(stream.lastEventId).toBe(90);
  });

  it("reloads in full after reconnecting when it never saw an event id", () => {
    const { stream, latest, onResync } = harness();
    stream.start();
    latest().open();
    expect(onResync).not.toHaveBeenCalled();

    latest().drop();
    vi.advanceTimersByTime(1_000);
    latest().open();

    expect(onResync).toHaveBeenCalledOnce();
  });

  it("backs off exponentially up to the ceiling while the server stays away", () => {
    const { stream, sockets, latest } = harness({ initialDelayMs: 1_000, maxDelayMs: 8_000 });
    stream.start();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      latest().drop();
      const before = sockets.length;
      let waited = 0;
      while (sockets.length === before) {
        vi.advanceTimersByTime(500);
        waited += 500;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it("starts the back-off afresh once a message has come through", () => {
    const { stream, sockets, latest } = harness();
    stream.start();
    latest().drop();
    vi.advanceTimersByTime(1_000);
    latest().drop();
    vi.advanceTimersByTime(2_000);
    latest().open();
    latest().send({ type: "ping" });
    latest().drop();

    const before = sockets.length;
    vi.advanceTimersByTime(1_000);
    expect(sockets.length).toBe(before + 1);
  });

  it("adds jitter between half and the whole delay", () => {
    const low = harness({ random: () => 0 }).stream;
    const high = harness({ random: () => 1 }).stream;
    expect(low.delayFor(3)).toBe(4_000);
    expect(high.delayFor(3)).toBe(8_000);
  });

  it("treats a silent connection as dropped and reconnects", () => {
    const { stream, sockets, latest } = harness({ staleAfterMs: 60_000 });
    stream.start();
    const first = latest();
    first.open();
    vi.advanceTimersByTime(30_000);
    first.send({ type: "ping" });
    vi.advanceTimersByTime(59_000);
    expect(sockets).toHaveLength(1);

    vi.advanceTimersByTime(1_000);
    expect(first.closedWith).toBe(4000);
    vi.advanceTimersByTime(1_000);
    expect(sockets).toHaveLength(2);
  });

  it("asks for a fresh session when the server refuses the socket, then reconnects", async () => {
    const onAuthRejected = vi.fn(() => Promise.resolve(true));
    const { stream, sockets, latest } = harness({ onAuthRejected });
    stream.start();
    latest().drop(4401);
    await Promise.resolve();
    vi.advanceTimersByTime(1_000);

    expect(onAuthRejected).toHaveBeenCalledOnce();
    expect(sockets).toHaveLength(2);
  });

  it("stops for good when the session cannot be renewed", async () => {
    const { stream, sockets, latest } = harness({ onAuthRejected: () => Promise.resolve(false) });
    stream.start();
    latest().drop(4401);
    await Promise.resolve();
    await Promise.resolve();
    vi.advanceTimersByTime(60_000);

    expect(stream.state).toBe("stopped");
    expect(sockets).toHaveLength(1);
  });

  it("closes the socket and never reconnects after stop", () => {
    const { stream, sockets, latest } = harness();
    stream.start();
    latest().open();
    stream.stop();
    latest().drop();
    vi.advanceTimersByTime(60_000);

    expect(latest().closedWith).toBe(1000);
    expect(sockets).toHaveLength(1);
    expect(stream.state).toBe("stopped");
  });
});

describe("useEventStream", () => {
  it("exposes the state and last event id reactively and closes the socket with its scope", async () => {
    const sockets: FakeSocket[] = [];
    const scope = effectScope();
    const seen: number[] = [];
    const stream = scope.run(() =>
      useEventStream({
        onEvent: (event) => seen.push(event.id),
        onResync: () => undefined,
        createSocket: (url) => {
          const socket = new FakeSocket(url);
          sockets.push(socket);
          return socket;
        },
      }),
    );
    if (stream === undefined) throw new Error("scope did not run");

    stream.start();
    sockets[0]?.open();
    sockets[0]?.send({ id: 12, type: "doc.arrived" });
    await nextTick();

    expect(stream.state.value).toBe("open");
    expect(stream.lastEventId.value).toBe(12);
    expect(seen).toEqual([12]);

    scope.stop();
    expect(sockets[0]?.closedWith).toBe(1000);
    expect(stream.state.value).toBe("stopped");
  });
});
