/**
 * Badge counts of the 工作台 and the recent-notification list, kept current by the event stream.
 *
 * Counts come from GET /api/workbench/counts and from the WebSocket's `badges`
 * frames (pushed on connect and after a person's events). An event without
 * pushed badges triggers a reload (coalesced, so a burst costs one request);
 * a resync reloads everything. A 404 (no counts offered yet) or 403 (the
 * three administrators handle no documents) leaves them unknown: "—".
 */
import { defineStore } from "pinia";
import { ref } from "vue";
import type { StreamEvent } from "@/composables/eventStream";
import { endpoints } from "@/services/endpoints";
import { ApiError } from "@/services/problem";
import type { WorkbenchCounts } from "@/services/types";

const NOTIFICATION_LIMIT = 50;
const RELOAD_COALESCE_MS = 300;

/** The finite numeric entries of whatever the server sent. */
export function readCounts(raw: unknown): WorkbenchCounts {
  if (typeof raw !== "object" || raw === null) return {};
  return Object.fromEntries(
    Object.entries(raw).filter((entry): entry is [string, number] => typeof entry[1] === "number" && Number.isFinite(entry[1])),
  );
}

export const useWorkbenchStore = defineStore("workbench", () => {
  const counts = ref<WorkbenchCounts>({});
  const available = ref(true);
  const notifications = ref<StreamEvent[]>([]);
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;

  function count(name: string): number | null {
    return counts.value[name] ?? null;
  }

  async function loadCounts(): Promise<void> {
    try {
      counts.value = readCounts(await endpoints.workbenchCounts());
      available.value = true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
        counts.value = {};
        available.value = false;
        return;
      }
      throw error;
    }
  }

  function scheduleReload(): void {
    if (reloadTimer !== null || !available.value) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      // Failures here are transient; the next event or resync tries again.
      loadCounts().catch(() => undefined);
    }, RELOAD_COALESCE_MS);
  }

  /** Badges pushed by the server are fresher than any reload: take them as they are. */
  function applyBadges(raw: Record<string, unknown>): void {
    const pushed = readCounts(raw);
    if (Object.keys(pushed).length === 0) return;
    counts.value = { ...counts.value, ...pushed };
    available.value = true;
  }

  function applyEvent(event: StreamEvent): void {
    notifications.value = [event, ...notifications.value].slice(0, NOTIFICATION_LIMIT);
    scheduleReload();
  }

  // The notification list is what this page has seen; only the counts have a full source to reload from.
  async function resync(): Promise<void> {
    await loadCounts();
  }

  function reset(): void {
    counts.value = {};
    available.value = true;
    notifications.value = [];
  }

  return { counts, available, notifications, count, loadCounts, applyBadges, applyEvent, resync, reset };
});
