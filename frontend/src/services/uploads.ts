/**
 * Files that are not JSON: attachment upload with progress (`fetch` cannot
 * report upload progress, so it uses XMLHttpRequest, with the same cookies,
 * CSRF header and problem-details errors as services/api.ts), and fetching a
 * rendered PDF to show in the page only when the server has one.
 *
 * POST /api/documents/{id}/attachments?filename=&title= takes the raw file as
 * the body; the document (draft) must already exist.
 */
import { buildUrl } from "./api";
import type { Attachment } from "./documentTypes";
import { ApiError, NetworkError, parseProblem } from "./problem";

export interface UploadOptions {
  documentId: number;
  file: Blob;
  filename: string;
  title?: string;
  /** 0–100 as the bytes leave the browser. */
  onProgress?: (percent: number) => void;
  /** For tests; defaults to the browser's XMLHttpRequest. */
  createRequest?: () => XMLHttpRequest;
}

export function uploadAttachment(options: UploadOptions): Promise<Attachment> {
  const request = options.createRequest?.() ?? new XMLHttpRequest();
  const url = buildUrl(`/api/documents/${options.documentId}/attachments`, {
    filename: options.filename,
    title: options.title ?? "",
  });
  return new Promise<Attachment>((resolve, reject) => {
    request.open("POST", url);
    request.withCredentials = true;
    request.setRequestHeader("X-Requested-With", "oa");
    request.setRequestHeader("Accept", "application/json, application/problem+json");
    request.setRequestHeader("Content-Type", options.file.type || "application/octet-stream");
    request.upload.onprogress = (event: ProgressEvent) => {
      if (event.lengthComputable && options.onProgress !== undefined) {
        options.onProgress(Math.round((event.loaded / event.total) * 100));
      }
    };
    request.onerror = () => reject(new NetworkError(new Error("upload failed")));
    request.onload = () => {
      let body: unknown = null;
      try {
        body = request.responseText === "" ? null : (JSON.parse(request.responseText) as unknown);
      } catch {
        // An HTML error page from a proxy: the status text has to do.
      }
      if (request.status >= 200 && request.status < 300) {
        options.onProgress?.(100);
        resolve(body as Attachment);
      } else {
        reject(new ApiError(parseProblem(request.status, request.statusText, body)));
      }
    };
    request.send(options.file);
  });
}

/**
 * A PDF the server may not have yet (the preview is made on request and may be
 * unavailable): the file as an object URL to show, or null when it answers 404
 * or 501, so the page can say "no preview" instead of embedding an error page.
 */
export async function fetchPdf(url: string, fetchImpl: typeof fetch = (i, init) => globalThis.fetch(i, init)): Promise<Blob | null> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: "same-origin", headers: { "X-Requested-With": "oa", Accept: "application/pdf" } });
  } catch (cause) {
    throw new NetworkError(cause);
  }
  if (response.status === 404 || response.status === 501 || response.status === 503) return null;
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = (await response.json()) as unknown;
    } catch {
      // Not a problem document; the status says enough.
    }
    throw new ApiError(parseProblem(response.status, response.statusText, body));
  }
  return response.blob();
}
