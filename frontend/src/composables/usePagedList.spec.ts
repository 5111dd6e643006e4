import { describe, expect, it } from "vitest";
import type { Page } from "@/services/types";
import { usePagedList } from "./usePagedList";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("usePagedList", () => {
  it("asks for the current page and size and keeps the rows and total", async () => {
    const asked: Array<[number, number]> = [];
    const list = usePagedList<string>(async (page, size) => {
      asked.push([page, size]);
      return { items: [`row of page ${page}`], total: 41 };
    }, 20);

    list.page.value = 3;
    await list.load();

    expect(asked).toEqual([[3, 20]]);
    expect(list.items.value).toEqual(["row of page 3"]);
    expect(list.total.value).toBe(41);
    expect(list.loading.value).toBe(false);
  });

  it("goes back to the first page on reload", async () => {
    const list = usePagedList<number>(async (page) => ({ items: [page], total: 1 }));
    list.page.value = 5;
    await list.reload();
    expect(list.page.value).toBe(1);
    expect(list.items.value).toEqual([1]);
  });

  it("drops an older answer that arrives after a newer one", async () => {
    const answers = [deferred<Page<string>>(), deferred<Page<string>>()];
    let call = 0;
    const list = usePagedList<string>(() => answers[call++]!.promise);

    const first = list.load();
    const second = list.load();
    answers[1]!.resolve({ items: ["new filter"], total: 1 });
    await second;
    answers[0]!.resolve({ items: ["old filter"], total: 9 });
    await first;

    expect(list.items.value).toEqual(["new filter"]);
    expect(list.total.value).toBe(1);
    expect(list.loading.value).toBe(false);
  });
});
