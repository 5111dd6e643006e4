/**
 * Vitest set-up for every spec file.
 *
 * async-validator (under Element Plus forms) prints each failed rule with
 * console.warn outside production builds; the failures are what the form tests
 * check on the page, so the console echo is switched off by its documented global.
 */
(globalThis as { ASYNC_VALIDATOR_NO_WARNING?: number }).ASYNC_VALIDATOR_NO_WARNING = 1;
