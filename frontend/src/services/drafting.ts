/**
 * The 发文 drafting form's data, kept pure so it can be tested without a page:
 * the elements a drafter writes (`ContentIn`), templates, versions and their
 * difference, the heading numbering of the body (一、（一）1.（1）), the county
 * directory as a tree for choosing recipients, and the checks run as one types.
 * Compared with the server's OpenAPI by `npm run check:api`.
 */
import type { BodyBlock, DocumentContent, Recipient } from "./documentTypes";
import type { Unit } from "./types";

export const DOC_TYPES = [
  "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见",
  "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要",
] as const;
export type DocType = (typeof DOC_TYPES)[number];

export const URGENCIES = ["特急", "加急"] as const;
export const CLASSIFICATIONS = ["绝密", "机密", "秘密"] as const;
export const PUBLICATION_LEVELS = ["公开", "不公开", "依申请公开"] as const;

/** What the drafter writes; the workflow adds 发文字号, 签发 and seals itself. */
export interface ContentIn {
  doc_type: string;
  title: string;
  urgency: string | null;
  classification: string | null;
  secrecy_period: string | null;
  copy_number: string | null;
  publication_level: string;
  issuer_mark: string;
  issuer_names: string[];
  daizi: string;
  main_recipients: Recipient[];
  copy_recipients: Recipient[];
  body: BodyBlock[];
  signers: string[];
  written_date: string | null;
  notes: string;
  printing_organ: string;
}

export interface DraftCreate {
  template_id?: number | null;
  content: ContentIn;
}

export interface ContentSave {
  base_version: number;
  content: ContentIn;
  summary?: string;
}

export interface Template {
  id: number;
  unit_id: number;
  name: string;
  doc_type: string;
  issuer_mark: string;
  issuer_name: string;
  daizi: string;
  main_recipients: Recipient[];
  copy_recipients: Recipient[];
  publication_level: string;
  printing_organ: string;
}

export interface Version {
  number: number;
  author_id: number;
  author_name: string;
  step: string;
  summary: string;
  created_at: string;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface DiffRow {
  /** "same", "added" or "removed" (shown in 修订 colours). */
  op: string;
  text: string;
  old_line: number | null;
  new_line: number | null;
}

export interface VersionDiff {
  from_version: number;
  to_version: number;
  from_author: string;
  to_author: string;
  from_at: string;
  to_at: string;
  fields: FieldChange[];
  body: DiffRow[];
  added: number;
  removed: number;
}

export function emptyContent(): ContentIn {
  return {
    doc_type: "通知",
    title: "",
    urgency: null,
    classification: null,
    secrecy_period: null,
    copy_number: null,
    publication_level: "不公开",
    issuer_mark: "",
    issuer_names: [],
    daizi: "",
    main_recipients: [],
    copy_recipients: [],
    body: [{ level: 0, text: "" }],
    signers: [],
    written_date: null,
    notes: "",
    printing_organ: "",
  };
}

/** A stored document's elements as an editable form (the server may hold more; only ContentIn goes back). */
export function contentFromDocument(stored: DocumentContent): ContentIn {
  const blank = emptyContent();
  const text = (value: unknown, fallback: string): string => (typeof value === "string" ? value : fallback);
  const maybe = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
  return {
    doc_type: text(stored.doc_type, blank.doc_type),
    title: text(stored.title, ""),
    urgency: maybe(stored.urgency),
    classification: maybe(stored.classification),
    secrecy_period: maybe(stored.secrecy_period),
    copy_number: maybe(stored.copy_number),
    publication_level: text(stored.publication_level, blank.publication_level),
    issuer_mark: text(stored.issuer_mark, ""),
    issuer_names: list(stored.issuer_names),
    daizi: text(stored.daizi, ""),
    main_recipients: (stored.main_recipients ?? []).map((r) => ({ unit_code: r.unit_code ?? null, name: r.name })),
    copy_recipients: (stored.copy_recipients ?? []).map((r) => ({ unit_code: r.unit_code ?? null, name: r.name })),
    body: stored.body !== undefined && stored.body.length > 0 ? stored.body.map((b) => ({ level: b.level, text: b.text })) : blank.body,
    signers: list(stored.signers),
    written_date: maybe(stored.written_date),
    notes: text(stored.notes, ""),
    printing_organ: text(stored.printing_organ, ""),
  };
}

/** Fill what a template knows; the title, body and dates stay the drafter's. */
export function applyTemplate(content: ContentIn, template: Template): ContentIn {
  return {
    ...content,
    doc_type: template.doc_type,
    issuer_mark: template.issuer_mark,
    issuer_names: template.issuer_name === "" ? content.issuer_names : [template.issuer_name],
    daizi: template.daizi,
    main_recipients: template.main_recipients.map((r) => ({ ...r })),
    copy_recipients: template.copy_recipients.map((r) => ({ ...r })),
    publication_level: template.publication_level || content.publication_level,
    printing_organ: template.printing_organ,
  };
}

/** 上行文 (报告, 请示) carry 签发人 in the header (GB/T 9704-2012 7.2.6). */
export function needsSigners(docType: string): boolean {
  return docType === "报告" || docType === "请示";
}

/** What goes to the server: empty optional elements become null, blank body lines are dropped. */
export function contentForSave(content: ContentIn, classifiedSystem: boolean): ContentIn {
  const blankToNull = (value: string | null): string | null => (value === null || value.trim() === "" ? null : value.trim());
  return {
    ...content,
    title: content.title.trim(),
    urgency: blankToNull(content.urgency),
    // A non-classified deployment refuses 密级 outright, so never send it there.
    classification: classifiedSystem ? blankToNull(content.classification) : null,
    secrecy_period: classifiedSystem ? blankToNull(content.secrecy_period) : null,
    copy_number: classifiedSystem ? blankToNull(content.copy_number) : null,
    issuer_names: content.issuer_names.map((n) => n.trim()).filter((n) => n !== ""),
    body: content.body.filter((b) => b.text.trim() !== ""),
    signers: needsSigners(content.doc_type) ? content.signers.map((n) => n.trim()).filter((n) => n !== "") : [],
    written_date: blankToNull(content.written_date),
  };
}

const CHINESE_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (headings rarely pass ninety-nine). */
export function chineseNumber(n: number): string {
  if (n < 10) return CHINESE_DIGITS[n] ?? String(n);
  if (n < 100) {
    const tens = Math.floor(n / 10);
    const ones = n % 10;
    return `${tens === 1 ? "" : CHINESE_DIGITS[tens]}十${ones === 0 ? "" : CHINESE_DIGITS[ones]}`;
  }
  return String(n);
}

/**
 * The number each block shows: 一、 （一） 1. （1） by level, counting restarting
 * under each higher heading as GB/T 9704 numbers 结构层次序数; paragraphs get "".
 */
export function headingNumbers(blocks: readonly BodyBlock[]): string[] {
  const counters = [0, 0, 0, 0, 0];
  return blocks.map((block) => {
    const level = block.level;
    if (level < 1 || level > 4) return "";
    counters[level] = (counters[level] ?? 0) + 1;
    for (let deeper = level + 1; deeper <= 4; deeper += 1) counters[deeper] = 0;
    const n = counters[level] ?? 1;
    if (level === 1) return `${chineseNumber(n)}、`;
    if (level === 2) return `（${chineseNumber(n)}）`;
    if (level === 3) return `${n}.`;
    return `（${n}）`;
  });
}

export interface DirectoryNode {
  /** Unique in the tree: `u:<code>` for a unit, `o:<unit code>:<office code>` for an office. */
  value: string;
  label: string;
  recipient: Recipient;
  children: DirectoryNode[];
}

/**
 * The county directory as a tree: units under their parent unit (county →
 * towns, sub-districts, departments), each unit's offices under it. An office
 * is addressed through its unit's code, named 单位 + 科室.
 */
export function directoryTree(units: readonly Unit[]): DirectoryNode[] {
  const known = new Set(units.map((u) => u.id));
  const node = (unit: Unit): DirectoryNode => ({
    value: `u:${unit.code}`,
    label: unit.name,
    recipient: { unit_code: unit.code, name: unit.name },
    children: [
      ...unit.offices.map((office) => ({
        value: `o:${unit.code}:${office.code}`,
        label: office.name,
        recipient: { unit_code: unit.code, name: `${unit.short_name || unit.name}${office.name}` },
        children: [],
      })),
      ...units.filter((child) => child.parent_id === unit.id).map(node),
    ],
  });
  return units.filter((u) => u.parent_id === null || !known.has(u.parent_id)).map(node);
}

/** Every node by value, to turn the picker's chosen values back into recipients. */
export function directoryIndex(tree: readonly DirectoryNode[]): Map<string, DirectoryNode> {
  const index = new Map<string, DirectoryNode>();
  const walk = (nodes: readonly DirectoryNode[]): void => {
    for (const n of nodes) {
      index.set(n.value, n);
      walk(n.children);
    }
  };
  walk(tree);
  return index;
}

/** The picker value a stored recipient matches, or null for a free-text external organ. */
export function nodeValueOf(recipient: Recipient, index: Map<string, DirectoryNode>): string | null {
  for (const n of index.values()) {
    if (n.recipient.unit_code === recipient.unit_code && n.recipient.name === recipient.name) return n.value;
  }
  return null;
}

/** Problems found while typing, keyed like the server's `errors[].field` (i18n keys under drafting.problems). */
export function contentProblems(content: ContentIn, classifiedSystem: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  if (content.title.trim() === "") problems.title = "required";
  else if (content.title.length > 300) problems.title = "tooLong";
  if (content.issuer_mark.trim() === "") problems.issuer_mark = "required";
  if (content.issuer_names.every((n) => n.trim() === "")) problems.issuer_names = "required";
  if (content.daizi.trim() === "") problems.daizi = "required";
  else if (content.daizi.length > 20) problems.daizi = "tooLong";
  if (needsSigners(content.doc_type) && content.signers.every((n) => n.trim() === "")) problems.signers = "signersNeeded";
  if (classifiedSystem && content.classification !== null && content.classification !== "") {
    if ((content.copy_number ?? "").trim() === "") problems.copy_number = "copyNumberNeeded";
  }
  if (content.copy_number !== null && content.copy_number.length > 6) problems.copy_number = "tooLong";
  return problems;
}

/**
 * The form field a server error belongs to: the server names `title`,
 * `main_recipients[1].unit_code` or `body[3]` (element rules) and
 * `content.title`, `content.body.3.text` (request validation).
 */
export function formFieldOf(path: string): string {
  const bare = path.startsWith("content.") ? path.slice("content.".length) : path;
  return bare.split(/[.[]/)[0] ?? bare;
}
