import { allPages, get } from './api.js';
import { h } from './dom.js';

/**
 * Facility names for the ids the API's lot answers give (GET
 * /api/facilities/:id), asked once per page load: a page loads the names of
 * the ids it shows before it draws, then names them synchronously.
 */
const names = new Map<string, Promise<string | null>>();
const known = new Map<string, string | null>();

export const loadFacilityNames = async (ids: Iterable<string | null | undefined>): Promise<void> => {
  const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
  for (const id of wanted) {
    if (!names.has(id)) {
      names.set(
        id,
        get<{ name: string }>(`/api/facilities/${encodeURIComponent(id)}`).then(
          (f) => f.name,
          // Unknown or not readable: the id alone is still true.
          () => null,
        ),
      );
    }
  }
  await Promise.all(wanted.map(async (id) => known.set(id, await names.get(id)!)));
};

export interface Facility {
  id: string;
  name: string;
  type: string;
  zones: { id: string; kind: string }[];
}

interface FacilityList {
  items: Facility[];
  nextCursor: string | null;
}

/** Every registered facility (GET /api/facilities, page by page); their names are known from then on. */
export const allFacilities = async (): Promise<{ facilities: Facility[]; complete: boolean }> => {
  const { pages, complete } = await allPages((cursor) => get<FacilityList>('/api/facilities', { limit: 1000, cursor }));
  const facilities = pages.flatMap((p) => p.items);
  for (const f of facilities) {
    known.set(f.id, f.name);
    names.set(f.id, Promise.resolve(f.name));
  }
  return { facilities, complete };
};

/** `name (id)` when the name is known, else the id. */
export const facilityText = (id: string): string => {
  const name = known.get(id);
  return name ? `${name} (${id})` : id;
};

/** A facility as the page shows it: its name with the id beside it (and in the title, for copying). */
export const facility = (id: string | null | undefined): HTMLElement => (id ? h('span', { class: 'facility', title: id, 'data-facility-id': id }, facilityText(id)) : h('span', {}, '—'));
