/**
 * The application's one WebSocket, as a composable.
 *
 * `useEventStream` owns an `EventStream` for the lifetime of the calling
 * component (the app shell), exposes its state reactively and closes it when
 * the component goes away. Events are handed to the caller; what they mean
 * (badge counts, notification list) is decided in the stores.
 */
import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from "vue";
import { EventStream, type EventStreamOptions, type StreamState } from "./eventStream";

export interface UseEventStream {
  state: Readonly<Ref<StreamState>>;
  lastEventId: Readonly<Ref<number | null>>;
  start: () => void;
  stop: () => void;
}

export function useEventStream(options: EventStreamOptions): UseEventStream {
  const state = ref<StreamState>("idle");
  const lastEventId = ref<number | null>(null);
  const stream = new EventStream({
    ...options,
    onStateChange: (next) => {
      state.value = next;
      options.onStateChange?.(next);
    },
    onEvent: (event) => {
      lastEventId.value = stream.lastEventId;
      options.onEvent(event);
    },
    onResync: () => {
      lastEventId.value = stream.lastEventId;
      options.onResync();
    },
  });

  if (getCurrentScope() !== undefined) onScopeDispose(() => stream.stop());

  return {
    state: readonly(state),
    lastEventId: readonly(lastEventId),
    start: () => stream.start(),
    stop: () => stream.stop(),
  };
}
