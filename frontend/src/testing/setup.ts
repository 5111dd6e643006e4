/**
 * Vitest set-up for every spec file.
 *
 * async-validator (under Element Plus forms) prints each failed rule with
 * console.warn outside production builds; the failures are what the form tests
 * check on the page, so the console echo is switched off by its documented global.
 */
(globalThis as { ASYNC_VALIDATOR_NO_WARNING?: number }).ASYNC_VALIDATOR_NO_WARNING = 1;

/**
 * Element Plus inputs validate their form item on every keystroke and, outside
 * production, echo a failed validation with console.warn(fields), where
 * `fields` maps a field name to its errors. The tests read those messages on
 * the page; only that exact echo is dropped, every other warning still shows.
 */
function isFailedFieldsEcho(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Error) return false;
  const entries = Object.values(value);
  return (
    entries.length > 0 &&
    entries.every((errors) => Array.isArray(errors) && errors.every((error) => error instanceof Error || (typeof error === "object" && error !== null && "field" in error)))
  );
}

const originalWarn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (args.length === 1 && isFailedFieldsEcho(args[0])) return;
  originalWarn(...args);
};
