#!/usr/bin/env node
/**
 * Compare the typed API client with the server's OpenAPI document (style.md practice 13).
 *
 *   npm run check:api                       # reads http://127.0.0.1:8000/openapi.json (or $OA_BACKEND)
 *   npm run check:api -- path/to/openapi.json
 *
 * Checks that every call in src/services/endpoints.ts names an operation the
 * server has, that the interfaces of src/services/types.ts and documentTypes.ts have exactly the
 * properties of the matching server schemas, and that the Role and UnitKind
 * lists agree. Reads the TypeScript sources as text: they are kept plain
 * (one property per line) so that this stays a small script, not a compiler.
 * Exits 1 and lists every difference when they disagree.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// Our interface → the server's component schema.
const SCHEMAS = {
  Me: "Me",
  SessionState: "SessionState",
  UnitRef: "MeUnit",
  Office: "OfficeOut",
  Unit: "UnitOut",
  Person: "PersonOut",
  AuditEntry: "AuditRecordOut",
  ChainVerdict: "ChainReportOut",
  NewUnit: "UnitCreate",
  UnitChanges: "UnitUpdate",
  NewOffice: "OfficeCreate",
  NewPerson: "PersonCreate",
  PersonChanges: "PersonUpdate",
  ListItem: "ListItem",
  Task: "TaskOut",
  DocumentView: "DocumentOut",
  HistoryEntry: "HistoryEntry",
  ActionRequest: "ActionIn",
  IncomingSummary: "IncomingSummary",
  Attachment: "AttachmentOut",
  ContentIn: "ContentIn",
  DraftCreate: "DraftCreate",
  ContentSave: "ContentSave",
  Template: "TemplateOut",
  Version: "VersionOut",
  FieldChange: "FieldChange",
  DiffRow: "DiffRow",
  VersionDiff: "VersionDiff",
  SealVerification: "SealVerification",
  Delivery: "DeliveryOut",
  IncomingView: "IncomingOut",
  IncomingActionRequest: "IncomingActionIn",
  IncomingReader: "IncomingReaderOut",
  IncomingAttachment: "IncomingAttachmentOut",
  IncomingHistory: "IncomingHistoryOut",
  ManualRegistration: "ManualRegisterIn",
  ScannedFile: "ScannedFileIn",
  ReplyCreated: "ReplyOut",
  ReplyRequest: "ReplyIn",
  Delegation: "DelegationOut",
  DelegationList: "DelegationList",
  NewDelegation: "DelegationIn",
  Policy: "PolicyIn",
  WorkflowStep: "StepIn",
  Workflow: "WorkflowOut",
  WorkflowChanges: "WorkflowIn",
  LocalNode: "LocalNodeIn",
  DirectoryImportRequest: "DirectoryImport",
  ImportResult: "ImportResult",
};
const ENUMS = { ROLES: "Role", UNIT_KINDS: "UnitKind", DOC_STATES: "DocState", ACTIONS: "ActionIn.action", STEP_KINDS: "StepKind", DOC_TYPES: "ContentIn.doc_type", DELIVERY_STATUSES: "DeliveryStatus", INCOMING_ACTIONS: "IncomingActionIn.action", RECEIVED_VIA: "ManualRegisterIn.received_via", POLICY_KINDS: "PolicyKind" };

async function loadSpec(source) {
  if (source !== undefined && !/^https?:/.test(source)) return JSON.parse(await readFile(source, "utf8"));
  const url = source ?? `${process.env.OA_BACKEND ?? "http://127.0.0.1:8000"}/openapi.json`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/** interface name → { props: Set, extends: string | null } from the text of types.ts. */
function parseInterfaces(text) {
  const found = {};
  for (const match of text.matchAll(/export interface (\w+)(?: extends (\w+))? \{([^}]*)\}/g)) {
    const props = new Set();
    for (const line of match[3].split("\n")) {
      const prop = /^\s*(\w+)\??:/.exec(line);
      if (prop) props.add(prop[1]);
    }
    found[match[1]] = { props, extends: match[2] ?? null };
  }
  return found;
}

function propsOf(interfaces, name) {
  const entry = interfaces[name];
  if (entry === undefined) return null;
  const parent = entry.extends ? propsOf(interfaces, entry.extends) : new Set();
  return new Set([...parent, ...entry.props]);
}

function constList(text, name) {
  const match = new RegExp(`export const ${name} = \\[([^\\]]*)\\]`).exec(text);
  return match ? [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : null;
}

/** "METHOD /path/{param}" of each call in endpoints.ts. */
function calledOperations(text) {
  const calls = [];
  for (const match of text.matchAll(/client\.(get|post|patch|put|delete)<[^(]*>\(\s*[`"]([^`"]+)[`"]/g)) {
    const path = match[2].replace(/\$\{[^}]+\}/g, "{}");
    // `/api/worklist/${list}` stands for one operation per worklist name.
    if (path === "/api/worklist/{}") for (const list of ["todo", "drafts", "done", "sent"]) calls.push(`GET /api/worklist/${list}`);
    else calls.push(`${match[1].toUpperCase()} ${path}`);
  }
  return calls;
}

const problems = [];
const spec = await loadSpec(process.argv[2]);
const types = [
  await readFile(join(root, "src/services/types.ts"), "utf8"),
  await readFile(join(root, "src/services/documentTypes.ts"), "utf8"),
  await readFile(join(root, "src/services/drafting.ts"), "utf8"),
  await readFile(join(root, "src/services/incoming.ts"), "utf8"),
  await readFile(join(root, "src/services/adminTypes.ts"), "utf8"),
  await readFile(join(root, "src/services/exchange.ts"), "utf8"),
].join("\n");
const endpoints = await readFile(join(root, "src/services/endpoints.ts"), "utf8");

const served = new Set();
for (const [path, methods] of Object.entries(spec.paths ?? {})) {
  for (const method of Object.keys(methods)) served.add(`${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, "{}")}`);
}
for (const call of calledOperations(endpoints)) {
  if (!served.has(call)) problems.push(`endpoints.ts calls ${call}, which the server does not offer`);
}

const interfaces = parseInterfaces(types);
for (const [ours, theirs] of Object.entries(SCHEMAS)) {
  const mine = propsOf(interfaces, ours);
  const schema = spec.components?.schemas?.[theirs];
  if (mine === null) problems.push(`types.ts has no interface ${ours}`);
  if (schema === undefined) problems.push(`the server has no schema ${theirs} (for ${ours})`);
  if (mine === null || schema === undefined) continue;
  const server = new Set(Object.keys(schema.properties ?? {}));
  for (const prop of server) if (!mine.has(prop)) problems.push(`${ours} lacks ${prop} of ${theirs}`);
  for (const prop of mine) if (!server.has(prop)) problems.push(`${ours}.${prop} is not in ${theirs}`);
}

/** The enum of a schema, or of a schema's property ("ActionIn.action"), following one $ref. */
function enumOf(name) {
  const [schemaName, prop] = name.split(".");
  let schema = spec.components?.schemas?.[schemaName];
  if (prop !== undefined) schema = schema?.properties?.[prop];
  const ref = schema?.$ref ?? schema?.items?.$ref;
  if (ref !== undefined) schema = spec.components?.schemas?.[ref.split("/").pop()];
  return schema?.enum;
}

for (const [ours, theirs] of Object.entries(ENUMS)) {
  const mine = constList(types, ours);
  const server = enumOf(theirs);
  if (mine === null || server === undefined) {
    problems.push(`cannot compare ${ours} with ${theirs}`);
    continue;
  }
  if (JSON.stringify([...mine].sort()) !== JSON.stringify([...server].sort())) {
    problems.push(`${ours} ${JSON.stringify(mine)} differs from ${theirs} ${JSON.stringify(server)}`);
  }
}

if (problems.length > 0) {
  console.error(`The client and the server's OpenAPI disagree:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`OpenAPI check passed: ${calledOperations(endpoints).length} calls, ${Object.keys(SCHEMAS).length} schemas, ${Object.keys(ENUMS).length} enums.`);
