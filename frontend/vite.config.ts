/**
 * Build, dev-server and unit-test settings for the 象山 OA browser application.
 *
 * The Starlette app serves `dist/` at `/`; in development Vite proxies `/api` and
 * `/ws` to the Python server so the session cookies stay same-origin.
 */
import { fileURLToPath, URL } from "node:url";
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

const backend = process.env.OA_BACKEND ?? "http://127.0.0.1:8000";
const proxy = {
  "/api": { target: backend, changeOrigin: false },
  "/ws": { target: backend.replace(/^http/, "ws"), ws: true, changeOrigin: false },
};

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: {
      output: {
        // Element Plus is most of the bytes; a separate chunk stays cached across our releases.
        manualChunks: { "element-plus": ["element-plus", "@element-plus/icons-vue"], vue: ["vue", "vue-router", "pinia", "vue-i18n"] },
      },
    },
    chunkSizeWarningLimit: 1200,
  },
  test: {
    // jsdom rather than happy-dom: Element Plus tables keep a MutationObserver in reactive state,
    // and happy-dom's private-field MutationObserver fails behind that proxy.
    environment: "jsdom",
    include: ["src/**/*.spec.ts"],
    setupFiles: ["src/testing/setup.ts"],
    restoreMocks: true,
    // Component tests mount Element Plus in jsdom; allow for a loaded CI machine.
    testTimeout: 20_000,
    // Element Plus's ESM build imports the CommonJS async-validator; inlining it lets Vite
    // apply the default-export interop, without which every form rule silently passes in tests.
    server: { deps: { inline: ["element-plus"] } },
  },
});
