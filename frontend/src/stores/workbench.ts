/**
 * Badge counts of the 工作台 and the recent-notification list, kept current by the event stream.
 *
 * Counts come from GET /api/workbench/counts. An event that carries a `counts`
 * object updates them directly; any other event triggers a reload (coalesced,
 * so a burst of events costs one request); a resync reloads everything.
 * A 404 means the server does not offer counts yet: they show as "—".
 */
import { defineStore } from "pinia";
import { ref } from "vue";
import type { StreamEvent } from "@/composables/eventStream";
import { endpoints } from "@/services/endpoints";
import { ApiError } from "@/services/problem";
import type { WorkbenchCounts } from "@/services/types";

export const UNKNOWN_COUNTS: WorkbenchCounts = { todo: null, to_read: null, unsigned: null, overdue: null };
const NOTIFICATION_LIMIT = 50;
const RELOAD_COALESCE_MS = 300;

function countOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function readCounts(raw: unknown): WorkbenchCounts {
  const record = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    todo: countOrNull(record.todo),
    to_read: countOrNull(record.to_read),
    unsigned: countOrNull(record.unsigned),
    overdue: countOrNull(record.overdue),
  };
}

export const useWorkbenchStore = defineStore("workbench", () => {
  const counts = ref<WorkbenchCounts>({ ...UNKNOWN_COUNTS });
  const available = ref(true);
  const notifications = ref<StreamEvent[]>([]);
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;

  async function loadCounts(): Promise<void> {
    try {
      counts.value = readCounts(await endpoints.workbenchCounts());
      available.value = true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        counts.value = { ...UNKNOWN_COUNTS };
        available.value = false;
        return;
      }
      throw error;
    }
  }

  function scheduleReload(): void {
    if (reloadTimer !== null) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      // Failures here are transient; the next event or resync tries again.
      loadCounts().catch(() => undefined);
    }, RELOAD_COALESCE_MS);
  }

  function applyEvent(event: StreamEvent): void {
    notifications.value = [event, ...notifications.value].slice(0, NOTIFICATION_LIMIT);
    if (typeof event.counts === "object" && event.counts !== null) {
      counts.value = { ...counts.value, ...definedCounts(readCounts(event.counts)) };
    } else {
      scheduleReload();
    }
  }

  async function resync(): Promise<void> {
    await loadCounts();
  }

  function reset(): void {
    counts.value = { ...UNKNOWN_COUNTS };
    notifications.value = [];
  }

  return { counts, available, notifications, loadCounts, applyEvent, resync, reset };
});

function definedCounts(counts: WorkbenchCounts): Partial<WorkbenchCounts> {
  return Object.fromEntries(Object.entries(counts).filter(([, value]) => value !== null));
}
