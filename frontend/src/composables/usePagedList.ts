/**
 * A server-paged list: page, page size, total, the rows of the page, loading.
 *
 * `fetchPage` is called with the page wanted; answers that arrive after a newer
 * request was made are dropped, so typing fast in a filter never shows the
 * rows of an older filter.
 */
import { ref, shallowRef, type Ref, type ShallowRef } from "vue";
import type { Page } from "@/services/types";

export interface PagedList<T> {
  items: ShallowRef<T[]>;
  total: Ref<number>;
  page: Ref<number>;
  pageSize: Ref<number>;
  loading: Ref<boolean>;
  /** Load the current page. Rejects with the request's error. */
  load: () => Promise<void>;
  /** Back to page 1 (after a filter change) and load. */
  reload: () => Promise<void>;
}

export function usePagedList<T>(
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
  pageSize = 20,
): PagedList<T> {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(1);
  const size = ref(pageSize);
  const loading = ref(false);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const result = await fetchPage(page.value, size.value);
      if (ticket !== latest) return;
      items.value = result.items;
      total.value = result.total;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  async function reload(): Promise<void> {
    page.value = 1;
    await load();
  }

  return { items, total, page, pageSize: size, loading, load, reload };
}
