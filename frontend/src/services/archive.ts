/**
 * The 档案 (archive) API for archivists: the intake queue with each package's
 * four-checks report (四性检测), accept / reject, the catalogue search, one item,
 * its package download and the year's transfer export.
 *
 * The calls go through the one client (`api`), except the export, which answers
 * a zip file rather than JSON. The helpers below them are pure.
 */
import { api, buildUrl, type ApiClient } from "./api";
import { ApiError, NetworkError, parseProblem } from "./problem";

export type Retention = "Y" | "D30" | "D10";
export type ItemStatus = "transferred" | "rejected" | "accepted";
export type CheckGroup = "真实性" | "完整性" | "可用性" | "安全性";
export type CheckResult = "pass" | "warn" | "fail";
export type ExportFormat = "eep" | "bagit" | "eark";

export interface ArchiveItemSummary {
  id: number;
  unit_id: number;
  unit_code: string;
  status: ItemStatus | string;
  title: string;
  doc_number: string | null;
  responsible: string;
  doc_type: string;
  year: number;
  written_date: string;
  retention: string;
  public: boolean;
  archival_code: string | null;
  checks_passed: boolean;
  reject_reasons: string[];
  transferred_at: string;
  decided_at: string | null;
}

export interface ArchiveItemPage {
  items: ArchiveItemSummary[];
  total: number;
}

export interface Finding {
  code: string;
  group: CheckGroup | string;
  title: string;
  result: CheckResult | string;
  explanation: string;
}

export interface CheckReport {
  stage?: string;
  package_sha256?: string;
  checked_at?: string;
  passed?: boolean;
  findings?: Finding[];
  [key: string]: unknown;
}

export interface ArchivePackage {
  id: number;
  kind: string;
  sha256: string;
  size: number;
  note: string;
  created_by: string;
  created_at: string;
}

export interface ArchiveHistoryEntry {
  action: string;
  actor: string | null;
  at: string;
  detail: Record<string, unknown>;
}

export interface ArchiveItemView extends ArchiveItemSummary {
  file_number: string;
  fonds: string;
  organisation: string;
  item_number: number | null;
  package_sha256: string;
  package_size: number;
  description: Record<string, unknown>;
  transfer_entry: Record<string, unknown>;
  check_report: CheckReport;
  packages: ArchivePackage[];
  history: ArchiveHistoryEntry[];
}

/** The catalogue's filters; empty ones are left out of the URL by `buildUrl`. */
export interface CatalogueFilter {
  q?: string;
  title?: string;
  doc_number?: string;
  responsible?: string;
  year?: number | null;
  archival_code?: string;
  retention?: Retention | "";
  unit_code?: string;
  status?: ItemStatus | "";
  page?: number;
  page_size?: number;
}

export function createArchiveEndpoints(client: ApiClient) {
  return {
    search: (filter: CatalogueFilter) => client.get<ArchiveItemPage>("/api/archive/items", catalogueQuery(filter)),
    item: (id: number) => client.get<ArchiveItemView>(`/api/archive/items/${id}`),
    accept: (id: number, retention: Retention | null) =>
      client.post<ArchiveItemSummary>(`/api/archive/items/${id}/accept`, { retention }),
    reject: (id: number, reasons: string[]) =>
      client.post<ArchiveItemSummary>(`/api/archive/items/${id}/reject`, { reasons }),
    transfer: (documentId: number) =>
      client.post<ArchiveItemSummary>("/api/archive/transfers", { document_id: documentId }),
  };
}

export const archiveEndpoints = createArchiveEndpoints(api);

/** The query string of a catalogue search: trimmed text, numbers as numbers, blanks dropped. */
export function catalogueQuery(filter: CatalogueFilter): Record<string, string | number | undefined> {
  const query: Record<string, string | number | undefined> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (typeof value === "string") {
      const text = value.trim();
      if (text !== "") query[key] = text;
    } else if (typeof value === "number" && Number.isFinite(value)) {
      query[key] = value;
    }
  }
  return query;
}

/** Where the browser downloads an item's package (a plain GET keeps the session cookie and leaves an audit trail). */
export function packageUrl(itemId: number, packageId?: number): string {
  return buildUrl(`/api/archive/items/${itemId}/package`, { package_id: packageId });
}

export interface FindingGroup {
  group: string;
  findings: Finding[];
  worst: CheckResult;
}

const GROUP_ORDER = ["真实性", "完整性", "可用性", "安全性"];
const SEVERITY: Record<string, number> = { pass: 0, warn: 1, fail: 2 };

/** The report's findings by group in the standard's order (真实性, 完整性, 可用性, 安全性), each with its worst result. */
export function groupFindings(report: CheckReport | null | undefined): FindingGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of report?.findings ?? []) {
    const list = groups.get(finding.group) ?? [];
    list.push(finding);
    groups.set(finding.group, list);
  }
  const rank = (group: string) => {
    const index = GROUP_ORDER.indexOf(group);
    return index === -1 ? GROUP_ORDER.length : index;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([group, findings]) => ({
      group,
      findings: [...findings].sort((a, b) => a.code.localeCompare(b.code)),
      worst: findings.reduce<CheckResult>(
        (worst, f) => ((SEVERITY[f.result] ?? 0) > (SEVERITY[worst] ?? 0) ? (f.result as CheckResult) : worst),
        "pass",
      ),
    }));
}

/** Reasons typed one per line, blank lines dropped; the server wants at least one. */
export function parseReasons(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/**
 * POST /api/archive/exports: the year's accepted items as a zip (EEP batch and
 * transfer list, BagIt, E-ARK SIP). Returns the file and the name the server gave it.
 */
export async function exportYear(
  year: number,
  formats: ExportFormat[],
  unitCode?: string,
  fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetchImpl("/api/archive/exports", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Requested-With": "oa", Accept: "application/zip, application/problem+json" },
      body: JSON.stringify({ year, formats, unit_code: unitCode === undefined || unitCode === "" ? null : unitCode }),
    });
  } catch (cause) {
    throw new NetworkError(cause);
  }
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = JSON.parse(await response.text()) as unknown;
    } catch {
      // Not JSON: the status text has to do.
    }
    throw new ApiError(parseProblem(response.status, response.statusText, body));
  }
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get("Content-Disposition")) ?? `archive-${year}.zip` };
}

/** The file name of a Content-Disposition header (RFC 6266 `filename*` first). */
export function fileNameOf(header: string | null): string | null {
  if (header === null) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1] !== undefined) return decodeURIComponent(extended[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? null;
}
