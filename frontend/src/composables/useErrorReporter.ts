/**
 * Turning errors into words for the person at the keyboard.
 *
 * `describeError` picks the message (server detail, then a plain fallback by
 * kind); `useErrorReporter` shows it with ElMessage; `useFieldErrors` puts the
 * server's per-field messages under the matching form inputs.
 */
import { ElMessage } from "element-plus";
import { reactive, watch } from "vue";
import { useI18n } from "vue-i18n";
import { ApiError, NetworkError } from "@/services/problem";

type Translate = (key: string) => string;

export function describeError(error: unknown, t: Translate): string {
  if (error instanceof NetworkError) return t("errors.network");
  if (error instanceof ApiError) {
    if (error.detail !== null) return error.detail;
    if (error.status === 403) return t("errors.forbidden");
    if (error.status === 401) return t("errors.sessionExpired");
    // A 5xx title is the generic status text, which says nothing useful to a clerk.
    if (error.status >= 500) return t("errors.unknown");
    return error.title;
  }
  return t("errors.unknown");
}

export function useErrorReporter() {
  const { t } = useI18n();
  return {
    describe: (error: unknown) => describeError(error, t),
    report: (error: unknown) => {
      ElMessage({ type: "error", message: describeError(error, t), showClose: true, duration: 6000 });
    },
  };
}

/**
 * Server-side field errors for one form, keyed by field name, to bind to
 * `<el-form-item :error="fieldErrors.username">`. Returns whether the error
 * had field messages, so the caller can skip the general toast.
 */
export function useFieldErrors() {
  const fieldErrors = reactive<Record<string, string>>({});

  function clear(): void {
    for (const key of Object.keys(fieldErrors)) delete fieldErrors[key];
  }

  function apply(error: unknown): boolean {
    clear();
    if (!(error instanceof ApiError) || error.errors.length === 0) return false;
    for (const { field, message } of error.errors) {
      fieldErrors[field] = fieldErrors[field] === undefined ? message : `${fieldErrors[field]}；${message}`;
    }
    return true;
  }

  /** Drop a field's server message as soon as the person edits that field. */
  function clearOnEdit(model: Record<string, unknown>): void {
    watch(
      () => ({ ...model }),
      (now, before) => {
        for (const key of Object.keys(now)) {
          if (now[key] !== before[key]) delete fieldErrors[key];
        }
      },
    );
  }

  return { fieldErrors, apply, clear, clearOnEdit };
}
