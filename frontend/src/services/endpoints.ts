/**
 * Typed calls of the API (auth, me, units, people, audit, workbench, outgoing documents).
 *
 * Each function is one endpoint; pages call these, never `fetch`, so the paths
 * and shapes live in one place to compare with the server's OpenAPI document.
 */
import { api, type ApiClient } from "./api";
import type {
  ActionRequest,
  ArchivePrecheck,
  Delivery,
  DocumentView,
  HistoryEntry,
  IncomingBox,
  IncomingSummary,
  ListItem,
  SealVerification,
  Worklist,
  WorklistQuery,
} from "./documentTypes";
import type { Delegation, DelegationList, NewDelegation, Workflow, WorkflowChanges } from "./adminTypes";
import type { DirectoryImportRequest, ExchangeDirectory, ImportResult, LocalNode } from "./exchange";
import type { IncomingActionRequest, IncomingView, ManualRegistration, ReplyCreated, ReplyRequest } from "./incoming";
import type { ContentSave, DraftCreate, Template, Version, VersionDiff } from "./drafting";
import type {
  AuditEntry,
  AuditQuery,
  ChainVerdict,
  Me,
  NewOffice,
  NewPerson,
  NewUnit,
  Office,
  Page,
  Person,
  PersonChanges,
  Role,
  SessionState,
  Unit,
  UnitChanges,
  UnitKind,
  WorkbenchCounts,
} from "./types";

export interface PeopleQuery {
  unit_id?: number | null;
  q?: string;
  page: number;
  page_size: number;
}

export function createEndpoints(client: ApiClient) {
  return {
    login: (username: string, password: string) => client.post<Me>("/api/auth/login", { username, password }),
    logout: () => client.post<void>("/api/auth/logout"),
    me: () => client.get<Me>("/api/me"),
    session: () => client.get<SessionState>("/api/auth/session"),

    listUnits: (filter: { kind?: UnitKind | ""; q?: string } = {}) => client.get<Page<Unit>>("/api/units", filter),
    createUnit: (unit: NewUnit) => client.post<Unit>("/api/units", unit),
    updateUnit: (id: number, changes: UnitChanges) => client.patch<Unit>(`/api/units/${id}`, changes),
    createOffice: (unitId: number, office: NewOffice) => client.post<Office>(`/api/units/${unitId}/offices`, office),

    listPeople: (query: PeopleQuery) => client.get<Page<Person>>("/api/people", { ...query }),
    createPerson: (person: NewPerson) => client.post<Person>("/api/people", person),
    updatePerson: (id: number, changes: PersonChanges) => client.patch<Person>(`/api/people/${id}`, changes),
    setRoles: (id: number, roles: Role[]) => client.put<Person>(`/api/people/${id}/roles`, { roles }),
    unlockPerson: (id: number) => client.post<Person>(`/api/people/${id}/unlock`),

    searchAudit: (query: AuditQuery) => client.get<Page<AuditEntry>>("/api/audit", { ...query }),
    verifyAuditChain: () => client.get<ChainVerdict>("/api/audit/verify"),

    workbenchCounts: () => client.get<WorkbenchCounts>("/api/workbench/counts"),

    worklist: (list: Worklist, query: WorklistQuery) => client.get<Page<ListItem>>(`/api/worklist/${list}`, { ...query }),
    getDocument: (id: number) => client.get<DocumentView>(`/api/documents/${id}`),
    documentHistory: (id: number) => client.get<{ items: HistoryEntry[] }>(`/api/documents/${id}/history`),
    act: (id: number, request: ActionRequest) => client.post<DocumentView>(`/api/documents/${id}/actions`, request),

    listIncoming: (box: IncomingBox, page: number, pageSize: number) =>
      client.get<Page<IncomingSummary>>("/api/incoming", { box, page, page_size: pageSize }),
    createDocument: (draft: DraftCreate) => client.post<DocumentView>("/api/documents", draft),
    saveContent: (id: number, save: ContentSave) => client.put<DocumentView>(`/api/documents/${id}/content`, save),
    listTemplates: () => client.get<{ items: Template[] }>("/api/templates"),
    listVersions: (id: number) => client.get<{ items: Version[] }>(`/api/documents/${id}/versions`),
    diffVersions: (id: number, a: number, b: number) => client.get<VersionDiff>(`/api/documents/${id}/versions/diff`, { a, b }),
    verifySeal: (id: number) => client.get<SealVerification>(`/api/documents/${id}/seal/verify`),
    deliveries: (id: number) => client.get<{ items: Delivery[] }>(`/api/documents/${id}/deliveries`),
    archivePrecheck: (id: number) => client.get<ArchivePrecheck>(`/api/documents/${id}/archive-precheck`),
    deleteAttachment: (id: number, attachmentId: number) => client.delete<void>(`/api/documents/${id}/attachments/${attachmentId}`),

    getIncoming: (id: number) => client.get<IncomingView>(`/api/incoming/${id}`),
    actOnIncoming: (id: number, request: IncomingActionRequest) => client.post<IncomingView>(`/api/incoming/${id}/actions`, request),
    replyToIncoming: (id: number, request: ReplyRequest) => client.post<ReplyCreated>(`/api/incoming/${id}/reply`, request),
    registerIncoming: (registration: ManualRegistration) => client.post<IncomingView>("/api/incoming/manual", registration),
    delegations: () => client.get<DelegationList>("/api/delegations"),
    createDelegation: (delegation: NewDelegation) => client.post<Delegation>("/api/delegations", delegation),
    revokeDelegation: (id: number) => client.delete<void>(`/api/delegations/${id}`),
    unitWorkflow: (unitId: number) => client.get<Workflow>(`/api/units/${unitId}/workflow`),
    setUnitWorkflow: (unitId: number, changes: WorkflowChanges) => client.put<Workflow>(`/api/units/${unitId}/workflow`, changes),

    exchangeDirectory: () => client.get<ExchangeDirectory>("/api/exchange/directory"),
    importDirectory: (request: DirectoryImportRequest) => client.post<ImportResult>("/api/exchange/directory/import", request),
    setLocalNode: (node: LocalNode) => client.put<void>("/api/exchange/local-node", node),
    removeNode: (nodeId: string) => client.delete<void>(`/api/exchange/nodes/${encodeURIComponent(nodeId)}`),

    signForIncoming: (id: number) => client.post<IncomingSummary>(`/api/incoming/${id}/actions`, { action: "sign_for" }),
  };
}

export type Endpoints = ReturnType<typeof createEndpoints>;

export const endpoints: Endpoints = createEndpoints(api);
