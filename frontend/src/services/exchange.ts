/**
 * The 公文交换 node directory as the system administrator manages it: the
 * nodes (other county systems) with the units they host and their public
 * keys; exported as a JSON file to hand to other nodes, imported from theirs.
 * GET /api/exchange/directory answers that file itself (not in the OpenAPI
 * schemas), so `ExchangeDirectory` follows docflow/exchange/directory.py.
 */

export interface ExchangeKey {
  kid?: string;
  kty?: string;
  crv?: string;
  [member: string]: unknown;
}

export interface ExchangeNode {
  node_id: string;
  name: string;
  base_url: string;
  units: string[];
  jwks: { keys: ExchangeKey[] };
}

export interface ExchangeDirectory {
  format: string;
  version: number;
  nodes: ExchangeNode[];
}

export interface LocalNode {
  name: string;
  base_url: string;
  units: string[];
}

export interface DirectoryImportRequest {
  directory: Record<string, unknown>;
}

export interface ImportResult {
  nodes: string[];
}

/** A file chosen for import, read as JSON; a clear message when it is not a directory at all. */
export function parseDirectoryFile(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new Error("notJson");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Array.isArray((parsed as { nodes?: unknown }).nodes)) {
    throw new Error("notDirectory");
  }
  return parsed as Record<string, unknown>;
}

/** The key ids a node publishes, shortened for a table cell (RFC 7638 thumbprints are long). */
export function keyIds(node: ExchangeNode): string[] {
  return node.jwks.keys.map((key) => (typeof key.kid === "string" ? (key.kid.length > 16 ? `${key.kid.slice(0, 16)}…` : key.kid) : "?"));
}
