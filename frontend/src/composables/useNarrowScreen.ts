/**
 * Whether the window is narrower than a breakpoint (a tablet in portrait, ~800 px),
 * so the shell can fold the side menu into a drawer.
 */
import { onScopeDispose, ref, type Ref } from "vue";

export function useNarrowScreen(breakpointPx: number): Ref<boolean> {
  const query = window.matchMedia(`(max-width: ${breakpointPx - 1}px)`);
  const narrow = ref(query.matches);
  const update = (event: MediaQueryListEvent) => {
    narrow.value = event.matches;
  };
  query.addEventListener("change", update);
  onScopeDispose(() => query.removeEventListener("change", update));
  return narrow;
}
