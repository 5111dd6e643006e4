/**
 * The signed-in person (GET /api/auth/session at start-up) and sign-in / sign-out.
 *
 * Only the person's profile is kept, in memory; the session itself is the
 * server's httpOnly cookie, which this code never sees.
 */
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { canSee, handlesDocuments, type Area } from "@/services/access";
import { endpoints } from "@/services/endpoints";
import type { Me } from "@/services/types";

export const useSessionStore = defineStore("session", () => {
  const me = ref<Me | null>(null);
  // Whether the session has been asked about once; the router waits for it.
  const checked = ref(false);

  const signedIn = computed(() => me.value !== null);
  const roles = computed(() => me.value?.roles ?? []);
  const handlesDocs = computed(() => handlesDocuments(roles.value));

  function may(area: Area): boolean {
    return canSee(roles.value, area);
  }

  /**
   * Ask the server who is signed in. GET /api/auth/session answers 200 whether
   * or not anyone is, so a first visit logs no 401 in the browser console.
   */
  async function load(): Promise<Me | null> {
    try {
      const state = await endpoints.session();
      me.value = state.signed_in ? (state.me ?? null) : null;
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
