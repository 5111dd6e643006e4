/**
 * The client side of `/ws/events`: one WebSocket, resumed by event id.
 *
 * Follows Zulip's event-queue contract (style.md) as the server speaks it
 * (oa/notify/frames.py, oa/web/ws.py):
 * - frames that advance the stream carry an increasing `id`: events
 *   `{id, type, data, at}`, `summary` (a burst folded into counts), `ready`
 *   (the id the stream starts after) and `resync` (reload in full, resume after
 *   `id`); `ping` and `badges` carry no id and need no answer;
 * - after a drop the client reconnects with `?last_event_id=N` and the server
 *   replays what it missed, or sends `resync` when it cannot;
 * - refusals arrive as close codes: 4401 session ended (renew, then
 *   reconnect), 4403 foreign origin (stop: retrying cannot help), 4400 bad
 *   `last_event_id` (forget it and reload in full), 1013 too slow (back off).
 *
 * Plain TypeScript with an explicit state machine so it is testable with a fake
 * socket; `useEventStream` wraps it for components.
 */

export interface StreamEvent {
  id: number;
  type: string;
  data?: Record<string, unknown>;
  at?: string;
  [key: string]: unknown;
}

/** The part of the browser WebSocket this module uses, so tests can pass a fake. */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(code?: number, reason?: string): void;
}

export type StreamState = "idle" | "connecting" | "open" | "waiting" | "stopped";

// Which moves are legal; anything else is a bug in this module, not a network condition.
const TRANSITIONS: Record<StreamState, readonly StreamState[]> = {
  idle: ["connecting", "stopped"],
  connecting: ["open", "waiting", "stopped"],
  open: ["waiting", "stopped"],
  waiting: ["connecting", "stopped"],
  stopped: ["connecting"],
};

export class IllegalStreamTransition extends Error {
  constructor(from: StreamState, to: StreamState) {
    super(`event stream cannot go from ${from} to ${to}`);
    this.name = "IllegalStreamTransition";
  }
}

// Close codes of oa/web/ws.py; any other code (1006 drop, 1013 too slow, 1012 restart) means "try again later".
const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_BAD_REQUEST = 4400;

export interface EventStreamOptions {
  /** Called for every new event (never for pings, never twice for one id). */
  onEvent: (event: StreamEvent) => void;
  /** Called when the client may have missed events and must reload its state in full. */
  onResync: () => void;
  /** Called with the badge counts the server pushes (on connect and after events). */
  onBadges?: (counts: Record<string, unknown>) => void;
  /** Called when the server refused the session; resolve true to reconnect (refreshed), false to stop. */
  onAuthRejected?: () => Promise<boolean>;
  onStateChange?: (state: StreamState) => void;
  path?: string;
  createSocket?: (url: string) => SocketLike;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** No message (not even a ping) for this long means the connection is dead. */
  staleAfterMs?: number;
  random?: () => number;
}

function defaultSocketUrl(path: string): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}${path}`;
}

export class EventStream {
  private stateValue: StreamState = "idle";
  private socket: SocketLike | null = null;
  private lastId: number | null = null;
  private attempts = 0;
  private hasConnectedBefore = false;
  private mustResync = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private staleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly options: Required<Omit<EventStreamOptions, "onAuthRejected" | "onStateChange" | "onBadges">> &
    Pick<EventStreamOptions, "onAuthRejected" | "onStateChange" | "onBadges">;

  constructor(options: EventStreamOptions) {
    this.options = {
      path: "/ws/events",
      createSocket: (url) => new WebSocket(defaultSocketUrl(url)),
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      // The server pings every 20 s; two and a half silent intervals mean the connection is gone.
      staleAfterMs: 50_000,
      random: Math.random,
      ...options,
    };
  }

  get state(): StreamState {
    return this.stateValue;
  }

  get lastEventId(): number | null {
    return this.lastId;
  }

  start(): void {
    if (this.stateValue === "idle" || this.stateValue === "stopped") this.connect();
  }

  stop(): void {
    if (this.stateValue === "stopped") return;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    this.moveTo("stopped");
    socket?.close(1000, "client stopped");
  }

  /** The delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter. */
  delayFor(attempt: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** attempt);
    // Jitter between half and the full ceiling, so a server restart is not met by every tab at once.
    return Math.round(ceiling * (0.5 + this.options.random() / 2));
  }

  private moveTo(next: StreamState): void {
    if (!TRANSITIONS[this.stateValue].includes(next)) throw new IllegalStreamTransition(this.stateValue, next);
    this.stateValue = next;
    this.options.onStateChange?.(next);
  }

  private connect(): void {
    this.moveTo("connecting");
    const url = this.lastId === null ? this.options.path : `${this.options.path}?last_event_id=${this.lastId}`;
    const socket = this.options.createSocket(url);
    this.socket = socket;
    socket.onopen = () => this.handleOpen(socket);
    socket.onmessage = (event) => this.handleMessage(socket, event);
    socket.onclose = (event) => this.handleClose(socket, event.code);
    // An error is always followed by close; reconnecting is decided there.
    socket.onerror = () => undefined;
  }

  private handleOpen(socket: SocketLike): void {
    if (socket !== this.socket) return;
    this.moveTo("open");
    this.armStaleTimer();
    // Reconnected without an event id to resume from: the server cannot replay
    // what happened during the gap, so the only safe course is a full reload.
    if (this.mustResync || (this.hasConnectedBefore && this.lastId === null)) this.options.onResync();
    this.mustResync = false;
    this.hasConnectedBefore = true;
  }

  private handleMessage(socket: SocketLike, message: MessageEvent): void {
    if (socket !== this.socket) return;
    this.armStaleTimer();
    // A message proves the connection works, so the next drop starts the back-off afresh.
    this.attempts = 0;
    const event = parseEvent(message.data);
    if (event === null || event.type === "ping") return;
    if (event.type === "badges") {
      if (typeof event.data === "object" && event.data !== null) this.options.onBadges?.(event.data);
      return;
    }
    if (event.type === "ready") {
      // The stream starts after this id; nothing to deliver. Never move backwards.
      if (typeof event.id === "number" && (this.lastId === null || event.id > this.lastId)) this.lastId = event.id;
      return;
    }
    if (event.type === "resync") {
      if (typeof event.id === "number") this.lastId = event.id;
      this.options.onResync();
      return;
    }
    if (typeof event.id !== "number") return;
    // A replay after reconnect may overlap what was already applied.
    if (this.lastId !== null && event.id <= this.lastId) return;
    this.lastId = event.id;
    this.options.onEvent(event as StreamEvent);
  }

  private handleClose(socket: SocketLike, code: number): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.clearTimers();
    this.moveTo("waiting");
    if (code === CLOSE_FORBIDDEN) {
      this.moveTo("stopped");
      return;
    }
    if (code === CLOSE_BAD_REQUEST) {
      this.lastId = null;
      this.mustResync = true;
    }
    if (code === CLOSE_UNAUTHENTICATED && this.options.onAuthRejected !== undefined) {
      void this.options.onAuthRejected().then((renewed) => {
        if (this.stateValue !== "waiting") return;
        if (renewed) this.scheduleReconnect();
        else this.moveTo("stopped");
      });
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.delayFor(this.attempts);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stateValue === "waiting") this.connect();
    }, delay);
  }

  private armStaleTimer(): void {
    if (this.staleTimer !== null) clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => {
      this.staleTimer = null;
      const socket = this.socket;
      if (socket === null) return;
      // A half-open TCP connection never fires close by itself: treat silence as a drop.
      socket.close(4000, "no heartbeat");
      this.handleClose(socket, 4000);
    }, this.options.staleAfterMs);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.staleTimer !== null) clearTimeout(this.staleTimer);
    this.retryTimer = null;
    this.staleTimer = null;
  }
}

function parseEvent(data: unknown): (Partial<StreamEvent> & { type: string }) | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string") {
      return value as Partial<StreamEvent> & { type: string };
    }
  } catch {
    // A garbled frame is dropped; the id sequence will show any real gap.
  }
  return null;
}
