/**
 * Client-side checks of the admin forms, as pure functions.
 *
 * They mirror the server's rules so mistakes show while typing; the server
 * still decides, and its field errors are shown the same way. Each check
 * returns null when the value is fine, or a problem as an i18n key plus
 * parameters, so the wording stays in the message files.
 */

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

export type Check = (value: string) => Problem | null;

// Same patterns and bounds as the server's request models (oa/org/schemas.py).
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;
export const CODE_PATTERN = /^[A-Za-z0-9_.-]+$/;
export const PASSWORD_MIN = 8;

// Remembers which checks are `required`, so forms can mark those fields with the usual star.
const REQUIRED_CHECKS = new WeakSet<Check>();

export function required(field: string): Check {
  const check: Check = (value) => (value.trim() === "" ? { key: "errors.required", params: { field } } : null);
  REQUIRED_CHECKS.add(check);
  return check;
}

export function isRequired(checks: readonly Check[]): boolean {
  return checks.some((check) => REQUIRED_CHECKS.has(check));
}

export function length(field: string, min: number, max: number): Check {
  return (value) => {
    const size = [...value.trim()].length; // code points: one 汉字 is one character
    if (size === 0) return null; // emptiness is `required`'s business
    if (size < min) return { key: "errors.tooShort", params: { field, n: min } };
    if (size > max) return { key: "errors.tooLong", params: { field, n: max } };
    return null;
  };
}

export function matches(pattern: RegExp, key: string): Check {
  return (value) => (value === "" || pattern.test(value) ? null : { key });
}

/** The first problem among the checks, in order. */
export function firstProblem(value: string, checks: readonly Check[]): Problem | null {
  for (const check of checks) {
    const problem = check(value);
    if (problem !== null) return problem;
  }
  return null;
}

/** The checks of each field, with `field` as the label's i18n key. */
export const personChecks = {
  username: [required("people.username"), length("people.username", 3, 64), matches(USERNAME_PATTERN, "errors.usernamePattern")],
  name: [required("people.name"), length("people.name", 2, 64)],
  position: [length("people.position", 1, 64)],
  password: [required("people.password"), length("people.password", PASSWORD_MIN, 256)],
} satisfies Record<string, readonly Check[]>;

export const unitChecks = {
  code: [required("units.code"), length("units.code", 1, 32), matches(CODE_PATTERN, "errors.codePattern")],
  name: [required("units.name"), length("units.name", 2, 100)],
  short_name: [required("units.shortName"), length("units.shortName", 2, 40)],
} satisfies Record<string, readonly Check[]>;

export const officeChecks = {
  code: [required("units.officeCode"), length("units.officeCode", 1, 32), matches(CODE_PATTERN, "errors.codePattern")],
  name: [required("units.officeName"), length("units.officeName", 2, 100)],
} satisfies Record<string, readonly Check[]>;
