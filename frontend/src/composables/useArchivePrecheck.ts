/**
 * The 归档预检 of a document's attachments: whether the archive's 可用性
 * check will take each stored file, asked again whenever the list changes.
 * Asked while the files can still be replaced (they are frozen from 用印 on),
 * and shown to whoever handles the document up to the seal.
 */
import { ref, watch } from "vue";
import { useErrorReporter } from "@/composables/useErrorReporter";
import type { Attachment, AttachmentPrecheck } from "@/services/documentTypes";
import { endpoints } from "@/services/endpoints";

export function useArchivePrecheck(documentId: () => number | null, attachments: () => Attachment[]) {
  const { report } = useErrorReporter();
  const verdicts = ref<Map<number, AttachmentPrecheck>>(new Map());

  async function load(): Promise<void> {
    const id = documentId();
    if (id === null || attachments().length === 0) {
      verdicts.value = new Map();
      return;
    }
    try {
      const result = await endpoints.archivePrecheck(id);
      verdicts.value = new Map(result.attachments.map((verdict) => [verdict.attachment_id, verdict]));
    } catch (error) {
      verdicts.value = new Map();
      report(error);
    }
  }

  watch(() => [documentId(), attachments().map((a) => a.id).join(",")], () => void load(), { immediate: true });
  return { verdicts };
}
