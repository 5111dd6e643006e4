/**
 * The one HTTP client of the application: JSON in and out over `fetch`.
 *
 * - The session lives in httpOnly cookies set by the server, so every request
 *   goes with `credentials: "same-origin"` and nothing is ever written to
 *   localStorage or sessionStorage.
 * - Every request carries `X-Requested-With: oa`; the server refuses unsafe
 *   cookie-authenticated requests without it (CSRF defence).
 * - A 401 triggers one POST /api/auth/refresh (shared by all requests that hit
 *   401 at the same time, so the refresh token is used once) and a single retry;
 *   if that fails too, `onUnauthenticated` sends the person to the sign-in page.
 * - Errors become `ApiError` (problem details) or `NetworkError`.
 */
import { ApiError, NetworkError, parseProblem } from "./problem";

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  /** Called once a request is refused even after refreshing the session. */
  onUnauthenticated?: () => void;
}

// These two answer 401 as their normal "no" and must not trigger a refresh loop.
const NO_REFRESH_PATHS = new Set(["/api/auth/login", "/api/auth/refresh", "/api/auth/logout"]);

export function buildUrl(path: string, query?: Query): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    // An empty filter means "no filter", not "match the empty string".
    if (value === undefined || value === null || value === "") continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}

export class ApiClient {
  onUnauthenticated: () => void;
  private readonly fetchImpl: typeof fetch;
  private refreshing: Promise<boolean> | null = null;

  constructor(options: ApiClientOptions = {}) {
    // Bound so that `window.fetch` keeps its receiver.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onUnauthenticated = options.onUnauthenticated ?? (() => undefined);
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>("GET", path, { query });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, { body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PUT", path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>("DELETE", path);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = buildUrl(path, options.query);
    let response = await this.send(method, url, options.body);
    if (response.status === 401 && !NO_REFRESH_PATHS.has(path)) {
      if (await this.refreshSession()) {
        response = await this.send(method, url, options.body);
      }
      if (response.status === 401) {
        const error = await toApiError(response);
        this.onUnauthenticated();
        throw error;
      }
    }
    if (!response.ok) throw await toApiError(response);
    return (await readJson(response)) as T;
  }

  /** POST /api/auth/refresh, at most one in flight; true when the session was renewed. */
  refreshSession(): Promise<boolean> {
    if (this.refreshing === null) {
      this.refreshing = this.send("POST", "/api/auth/refresh", undefined)
        .then((response) => response.ok)
        .catch(() => false)
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  private async send(method: string, url: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: "application/json, application/problem+json",
      "X-Requested-With": "oa",
    };
    const init: RequestInit = { method, headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    try {
      return await this.fetchImpl(url, init);
    } catch (cause) {
      throw new NetworkError(cause);
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await readJson(response);
  } catch {
    // Not JSON (an HTML error page from a proxy): the status text has to do.
  }
  return new ApiError(parseProblem(response.status, response.statusText, body));
}

/** The application's client; `main.ts` sets `onUnauthenticated` once the router exists. */
export const api = new ApiClient();
