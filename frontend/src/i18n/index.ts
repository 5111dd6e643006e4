/**
 * vue-i18n set-up: 简体中文 first, English second, and the matching Element Plus locale.
 *
 * The chosen language is a display preference, not a secret, so it may live in
 * localStorage (unlike the session, which never does).
 */
import elementEn from "element-plus/es/locale/lang/en";
import elementZhCn from "element-plus/es/locale/lang/zh-cn";
import { computed } from "vue";
import { createI18n } from "vue-i18n";
import en from "./en";
import zhCN from "./zh-CN";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = "oa.locale";

function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function initialLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage may be disabled by policy; Chinese is the default anyway.
  }
  return "zh-CN";
}

export function createAppI18n(locale: Locale = initialLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: "zh-CN",
    messages: { "zh-CN": zhCN, en },
  });
}

export const i18n = createAppI18n();

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered across visits; harmless.
  }
}

export const elementLocale = computed(() => (i18n.global.locale.value === "en" ? elementEn : elementZhCn));
