/**
 * Application entry: plugins, the router, and what happens when the session ends.
 */
import "element-plus/dist/index.css";
import "./styles.css";
import ElementPlus, { ElMessage } from "element-plus";
import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./App.vue";
import { i18n } from "./i18n";
import { createAppRouter } from "./router";
import { api } from "./services/api";
import { useSessionStore } from "./stores/session";

const app = createApp(App);
const pinia = createPinia();
const router = createAppRouter();
app.use(pinia).use(i18n).use(router).use(ElementPlus);

api.onUnauthenticated = () => {
  const session = useSessionStore(pinia);
  const wasSignedIn = session.signedIn;
  session.forget();
  // On a first visit a 401 just means "not signed in yet": no alarming message then.
  if (wasSignedIn) ElMessage({ type: "warning", message: i18n.global.t("errors.sessionExpired") });
  const current = router.currentRoute.value;
  if (current.meta.public !== true) {
    void router.push({ name: "sign-in", query: { redirect: current.fullPath } });
  }
};

app.mount("#app");
