/**
 * The signed-in person (GET /api/me) and sign-in / sign-out.
 *
 * Only the person's profile is kept, in memory; the session itself is the
 * server's httpOnly cookie, which this code never sees.
 */
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { canSee, handlesDocuments, type Area } from "@/services/access";
import { endpoints } from "@/services/endpoints";
import { ApiError } from "@/services/problem";
import type { Me } from "@/services/types";

export const useSessionStore = defineStore("session", () => {
  const me = ref<Me | null>(null);
  // Whether GET /api/me has been answered once; the router waits for it.
  const checked = ref(false);

  const signedIn = computed(() => me.value !== null);
  const roles = computed(() => me.value?.roles ?? []);
  const handlesDocs = computed(() => handlesDocuments(roles.value));

  function may(area: Area): boolean {
    return canSee(roles.value, area);
  }

  /** Ask the server who is signed in; a 401 (after the client's refresh attempt) means nobody. */
  async function load(): Promise<Me | null> {
    try {
      me.value = await endpoints.me();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      me.value = null;
    } finally {
      checked.value = true;
    }
    return me.value;
  }

  async function signIn(username: string, password: string): Promise<Me> {
    const person = await endpoints.login(username, password);
    me.value = person;
    checked.value = true;
    return person;
  }

  async function signOut(): Promise<void> {
    try {
      await endpoints.logout();
    } finally {
      // Forget the person even if the server could not be reached: the page must not look signed in.
      forget();
    }
  }

  function forget(): void {
    me.value = null;
  }

  return { me, checked, signedIn, roles, handlesDocs, may, load, signIn, signOut, forget };
});
