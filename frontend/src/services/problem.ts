/**
 * RFC 9457 problem details → a typed `ApiError` the pages can show in plain words.
 *
 * Pure: no fetch, no UI. The server's `errors[]` may name a field by a bare name,
 * a dotted pydantic location (`body.username`) or a JSON pointer (`#/username`);
 * they are all reduced to the form field name so a form can put the message
 * under the right input.
 */

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string | null;
  errors: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | null;
  readonly errors: FieldError[];

  constructor(problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors;
  }

  /** The message for the person at the keyboard: the server's detail first, then its title. */
  get userMessage(): string {
    return this.detail ?? this.title;
  }
}

/** Raised when the request never got an HTTP answer (server down, network cut). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("network error", { cause });
    this.name = "NetworkError";
  }
}

const LOCATION_PREFIXES = new Set(["body", "query", "path"]);

export function fieldName(location: string): string {
  const parts = location
    .replace(/^#?\/?/, "")
    .split(/[./]/)
    .filter((part) => part !== "");
  while (parts.length > 1 && LOCATION_PREFIXES.has(parts[0] ?? "")) parts.shift();
  return parts.join(".");
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function parseFieldErrors(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return [];
  const found: FieldError[] = [];
  for (const item of raw) {
    const record = asRecord(item);
    if (record === null) continue;
    const rawField = record.field ?? record.pointer ?? record.loc;
    const location = Array.isArray(rawField) ? rawField.join(".") : rawField;
    const message = record.message ?? record.detail ?? record.msg;
    if (typeof location === "string" && typeof message === "string") {
      found.push({ field: fieldName(location), message });
    }
  }
  return found;
}

/**
 * Build the problem from whatever the server sent. A body that is not problem
 * JSON (a proxy's HTML error page, an empty 502) still yields a usable problem
 * whose title is the HTTP status text.
 */
export function parseProblem(status: number, statusText: string, body: unknown): ProblemDetails {
  const record = asRecord(body);
  const title = typeof record?.title === "string" ? record.title : statusText || `HTTP ${status}`;
  return {
    type: typeof record?.type === "string" ? record.type : "about:blank",
    title,
    status: typeof record?.status === "number" ? record.status : status,
    detail: typeof record?.detail === "string" && record.detail !== "" ? record.detail : null,
    errors: parseFieldErrors(record?.errors),
  };
}
