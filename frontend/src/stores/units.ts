/**
 * The county's units and their offices, loaded once and shared by the admin
 * pages' pickers and tables (units are tens, not thousands, so one request).
 */
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { endpoints } from "@/services/endpoints";
import type { Office, Unit } from "@/services/types";

export const useUnitsStore = defineStore("units", () => {
  const units = ref<Unit[]>([]);
  const loaded = ref(false);
  const byId = computed(() => new Map(units.value.map((unit) => [unit.id, unit])));

  async function load(force = false): Promise<void> {
    if (loaded.value && !force) return;
    units.value = (await endpoints.listUnits()).items;
    loaded.value = true;
  }

  function unitName(id: number | null | undefined): string {
    if (id === null || id === undefined) return "";
    return byId.value.get(id)?.short_name ?? `#${id}`;
  }

  function offices(unitId: number | null | undefined): Office[] {
    if (unitId === null || unitId === undefined) return [];
    return byId.value.get(unitId)?.offices ?? [];
  }

  function officeName(unitId: number | null | undefined, officeId: number | null | undefined): string {
    if (officeId === null || officeId === undefined) return "";
    return offices(unitId).find((office) => office.id === officeId)?.name ?? `#${officeId}`;
  }

  /** Put a created or edited unit in place without reloading the list. */
  function remember(unit: Unit): void {
    const index = units.value.findIndex((known) => known.id === unit.id);
    if (index === -1) units.value = [...units.value, unit];
    else units.value = units.value.map((known) => (known.id === unit.id ? unit : known));
  }

  function rememberOffice(unitId: number, office: Office): void {
    const unit = byId.value.get(unitId);
    if (unit !== undefined) remember({ ...unit, offices: [...unit.offices, office] });
  }

  return { units, loaded, byId, load, unitName, offices, officeName, remember, rememberOffice };
});
