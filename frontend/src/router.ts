/**
 * Routes and the guard that keeps signed-out people on the sign-in page and
 * keeps each area to the roles that may see it (see services/access.ts).
 */
import { createRouter, createWebHistory, type RouteLocationNormalized, type Router, type RouteRecordRaw } from "vue-router";
import type { Area } from "@/services/access";
import { useSessionStore } from "@/stores/session";

declare module "vue-router" {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean;
    /** The area whose roles may open the page. */
    area?: Area;
    /** i18n key of the page title. */
    title?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: "/sign-in", name: "sign-in", component: () => import("@/pages/SignInPage.vue"), meta: { public: true, title: "signIn.title" } },
  {
    path: "/",
    component: () => import("@/components/AppShell.vue"),
    children: [
      { path: "", name: "workbench", component: () => import("@/pages/WorkbenchPage.vue"), meta: { area: "workbench", title: "menu.workbench" } },
      { path: "outgoing", name: "outgoing", component: () => import("@/pages/OutgoingPage.vue"), meta: { area: "outgoing", title: "menu.outgoing" } },
      { path: "outgoing/new", name: "draft-new", component: () => import("@/pages/outgoing/DraftPage.vue"), meta: { area: "outgoing", title: "menu.outgoing" } },
      { path: "documents/:id(\\d+)/edit", name: "draft-edit", component: () => import("@/pages/outgoing/DraftPage.vue"), meta: { area: "outgoing", title: "menu.outgoing" } },
      { path: "documents/:id(\\d+)", name: "document", component: () => import("@/pages/DocumentPage.vue"), meta: { area: "outgoing", title: "menu.outgoing" } },
      { path: "incoming/:id(\\d+)", name: "incoming-detail", component: () => import("@/pages/incoming/IncomingDetailPage.vue"), meta: { area: "incoming", title: "menu.incoming" } },
      { path: "incoming", name: "incoming", component: () => import("@/pages/IncomingPage.vue"), meta: { area: "incoming", title: "menu.incoming" } },
      { path: "archive", name: "archive", component: () => import("@/pages/archive/IntakePage.vue"), meta: { area: "archive", title: "menu.archive" } },
      { path: "archive/catalogue", name: "archive-catalogue", component: () => import("@/pages/archive/CataloguePage.vue"), meta: { area: "archive", title: "menu.archive" } },
      { path: "archive/items/:id(\\d+)", name: "archive-item", component: () => import("@/pages/archive/ItemPage.vue"), meta: { area: "archive", title: "menu.archive" } },
      { path: "admin/units", name: "admin-units", component: () => import("@/pages/admin/UnitsPage.vue"), meta: { area: "admin.units", title: "menu.units" } },
      { path: "admin/people", name: "admin-people", component: () => import("@/pages/admin/PeoplePage.vue"), meta: { area: "admin.people", title: "menu.people" } },
      { path: "delegations", name: "delegations", component: () => import("@/pages/admin/DelegationsPage.vue"), meta: { area: "delegations", title: "menu.delegations" } },
      { path: "admin/workflow", name: "admin-workflow", component: () => import("@/pages/admin/WorkflowPage.vue"), meta: { area: "admin.workflow", title: "menu.workflow" } },
      { path: "admin/exchange", name: "admin-exchange", component: () => import("@/pages/admin/ExchangePage.vue"), meta: { area: "admin.exchange", title: "menu.exchange" } },
      { path: "admin/audit", name: "admin-audit", component: () => import("@/pages/admin/AuditPage.vue"), meta: { area: "admin.audit", title: "menu.audit" } },
      { path: ":pathMatch(.*)*", name: "not-found", component: () => import("@/pages/NotFoundPage.vue"), meta: { title: "notFound.title" } },
    ],
  },
];

/** Where the guard sends the navigation; `true` lets it through. */
export async function guard(to: RouteLocationNormalized) {
  const session = useSessionStore();
  if (!session.checked) {
    try {
      await session.load();
    } catch {
      // Server unreachable: treat as signed out; the sign-in page reports the network error when used.
    }
  }
  if (to.meta.public === true) {
    return session.signedIn && to.name === "sign-in" ? { name: "workbench" } : true;
  }
  if (!session.signedIn) {
    return { name: "sign-in", query: to.fullPath === "/" ? {} : { redirect: to.fullPath } };
  }
  if (to.meta.area !== undefined && !session.may(to.meta.area)) return { name: "workbench" };
  return true;
}

export function createAppRouter(history = createWebHistory()): Router {
  const router = createRouter({ history, routes });
  router.beforeEach(guard);
  return router;
}

/** Only same-site paths may be a redirect target after sign-in (no open redirect). */
export function safeRedirect(value: unknown): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}
