/**
 * Element Plus form rules built from the pure checks in services/validation.ts.
 *
 * Triggered on `change`, which Element Plus inputs fire on every keystroke,
 * so problems show while typing; and on `blur` for fields never touched.
 */
import type { FormItemRule } from "element-plus";
import { useI18n } from "vue-i18n";
import { firstProblem, isRequired, type Check } from "@/services/validation";

export function useFormRules() {
  const { t } = useI18n();

  function rule(checks: readonly Check[]): FormItemRule[] {
    return [
      {
        required: isRequired(checks),
        trigger: ["change", "blur"],
        validator: (_rule: unknown, value: unknown, callback: (error?: Error) => void) => {
          const problem = firstProblem(typeof value === "string" ? value : String(value ?? ""), checks);
          if (problem === null) {
            callback();
            return;
          }
          // The field parameter is itself an i18n key (the label); translate it in place.
          const params = { ...problem.params };
          if (typeof params.field === "string") params.field = t(params.field);
          callback(new Error(t(problem.key, params)));
        },
      },
    ];
  }

  function rules<K extends string>(table: Record<K, readonly Check[]>): Record<K, FormItemRule[]> {
    const built = {} as Record<K, FormItemRule[]>;
    for (const key of Object.keys(table) as K[]) built[key] = rule(table[key]);
    return built;
  }

  return { rule, rules };
}
