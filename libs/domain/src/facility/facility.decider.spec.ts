import { given, history } from '../testing/given-when-then';
import { at, iso } from '../testing/lot-fixtures';
import { facilityDecider, FacilityEvent, RegisterFacility } from './facility.decider';

const register = (overrides: Partial<RegisterFacility['data']> = {}): RegisterFacility => ({
  type: 'RegisterFacility',
  data: {
    id: 'cw-1',
    name: 'Central warehouse No. 1',
    type: 'CENTRAL_WAREHOUSE',
    zones: [
      { id: 'cw-intake', kind: 'DEDICATED_INTAKE' },
      { id: 'cw-storage', kind: 'DEDICATED_STORAGE' },
    ],
    ...overrides,
  },
});

const registered = (): FacilityEvent[] => [...history(facilityDecider).run(register(), at(0)).events];

describe('facilityDecider', () => {
  describe('RegisterFacility', () => {
    it('registers a new facility with its zones, stamped with now', () => {
      given(facilityDecider)
        .when(register(), at(0))
        .then([
          {
            type: 'FacilityRegistered',
            schemaVersion: 1,
            data: {
              id: 'cw-1',
              name: 'Central warehouse No. 1',
              type: 'CENTRAL_WAREHOUSE',
              zones: [
                { id: 'cw-intake', kind: 'DEDICATED_INTAKE' },
                { id: 'cw-storage', kind: 'DEDICATED_STORAGE' },
              ],
              registeredAt: iso(0),
            },
          },
        ]);
    });

    it('registers a facility without zones', () => {
      given(facilityDecider)
        .when(register({ id: 'port-1', type: 'PORT_OF_ENTRY', name: 'Port', zones: [] }), at(1))
        .then([
          {
            type: 'FacilityRegistered',
            schemaVersion: 1,
            data: { id: 'port-1', name: 'Port', type: 'PORT_OF_ENTRY', zones: [], registeredAt: iso(1) },
          },
        ]);
    });

    it('keeps only id and kind of each zone', () => {
      const zoneWithExtras = { id: 'z', kind: 'GENERAL' as const, label: 'not part of a zone' };
      const [event] = given(facilityDecider)
        .when(register({ zones: [zoneWithExtras] }), at(0))
        .then([
          {
            type: 'FacilityRegistered',
            schemaVersion: 1,
            data: { ...register().data, zones: [{ id: 'z', kind: 'GENERAL' }], registeredAt: iso(0) },
          },
        ]);
      expect(event.data.zones[0]).not.toHaveProperty('label');
    });

    it('refuses to register the same facility twice: FACILITY_EXISTS', () => {
      const error = given(facilityDecider, registered())
        .when(register({ name: 'renamed' }), at(1))
        .thenThrows('FACILITY_EXISTS', { facilityId: 'cw-1' });
      expect(error.kind).toBe('conflict');
    });

    it('refuses duplicate zone ids: VALIDATION_FAILED on zones', () => {
      const error = given(facilityDecider)
        .when(
          register({
            zones: [
              { id: 'cw-intake', kind: 'DEDICATED_INTAKE' },
              { id: 'cw-intake', kind: 'DEDICATED_STORAGE' },
            ],
          }),
          at(0),
        )
        .thenThrows('VALIDATION_FAILED', { field: 'zones' });
      expect(error.kind).toBe('invalid');
      expect(error.message).toContain('cw-intake');
    });
  });

  describe('evolve', () => {
    it('folds FacilityRegistered into a FacilityRef the lot commands can use', () => {
      expect(history(facilityDecider, registered()).state).toEqual({
        facility: {
          id: 'cw-1',
          name: 'Central warehouse No. 1',
          type: 'CENTRAL_WAREHOUSE',
          zones: [
            { id: 'cw-intake', kind: 'DEDICATED_INTAKE' },
            { id: 'cw-storage', kind: 'DEDICATED_STORAGE' },
          ],
          registeredAt: iso(0),
        },
      });
    });

    it('starts empty', () => {
      expect(facilityDecider.initialState()).toEqual({ facility: null });
    });
  });
});
