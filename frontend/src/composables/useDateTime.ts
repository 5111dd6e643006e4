/**
 * Dates and times in the page's language (not the browser's), so a Chinese
 * page never mixes in "11/25/2026, 6:20 PM". Times are shown in the browser's zone.
 */
import { useI18n } from "vue-i18n";

export function formatDateTime(value: string | null | undefined, locale: string): string {
  if (value === null || value === undefined || value === "") return "";
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime())) return value;
  return moment.toLocaleString(locale, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  });
}

export function useDateTime() {
  const { locale } = useI18n();
  return { when: (value: string | null | undefined) => formatDateTime(value, locale.value) };
}
