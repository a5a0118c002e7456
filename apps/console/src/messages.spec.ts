import { COMPLIANCE_FLAGS, DOCUMENT_TYPES, FACILITY_TYPES, PRODUCT_CATEGORIES, QUANTITY_UNITS, REASON_CODES, ROLES, SCAN_ACTIONS, TEMPERATURE_FINDING_KINDS, TEST_RESULTS, TRACE_VIOLATIONS } from '@app/domain';
import type { LotEventType } from '@app/domain';
import { CHAIN_FAILURES } from '../../api/src/audit/queries/verify-lot-chain/verify-lot-chain.response';
import { en } from './messages-en';
import { zhCN } from './messages-zh-cn';

/** Every event type a lot's history can hold (a Record, so a new type is a compile error here). */
const EVENT_TYPES: Record<LotEventType, true> = {
  LotRegistered: true,
  DocumentAttached: true,
  LotLocked: true,
  LotUnlocked: true,
  LotReceived: true,
  LotStored: true,
  LotDisinfected: true,
  LotSampled: true,
  LotDispatched: true,
  LotSold: true,
  TraceViolationRecorded: true,
  LotSplit: true,
  LotMerged: true,
  LotDerived: true,
  LotRecalled: true,
  LotDestroyed: true,
  ComplianceFlagRaised: true,
  ViolationResolved: true,
  CustodyCorrected: true,
  TemperaturesRecorded: true,
  TemperatureFindingRecorded: true,
};

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the console's message catalogues", () => {
  it('have exactly the same keys in Chinese and English', () => {
    const zhKeys = Object.keys(zhCN);
    const enKeys = Object.keys(en);
    expect({ onlyInEnglish: enKeys.filter((k) => !zhKeys.includes(k)), onlyInChinese: zhKeys.filter((k) => !enKeys.includes(k)) }).toEqual({ onlyInEnglish: [], onlyInChinese: [] });
  });

  it('fill the same parameters in both languages, and no text is empty', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, zh: placeholders(zhCN[key]) }).toEqual({ key, zh: placeholders(en[key]) });
      expect({ key, empty: en[key].trim() === '' || zhCN[key].trim() === '' }).toEqual({ key, empty: false });
    }
  });

  it('name every code the API answers with that the pages show', () => {
    const expected = [
      ...REASON_CODES.map((c) => `reason.${c}`),
      ...DOCUMENT_TYPES.map((c) => `document.${c}`),
      ...TRACE_VIOLATIONS.map((c) => `violation.${c}`),
      ...COMPLIANCE_FLAGS.map((c) => `flag.${c}`),
      ...ROLES.map((c) => `role.${c}`),
      ...ROLES.map((c) => `roleArticle.${c}`),
      ...PRODUCT_CATEGORIES.map((c) => `category.${c}`),
      ...QUANTITY_UNITS.map((c) => `unit.${c}`),
      ...FACILITY_TYPES.map((c) => `facilityType.${c}`),
      ...SCAN_ACTIONS.map((c) => `action.${c}`),
      ...TEST_RESULTS.map((c) => `testResult.${c}`),
      ...Object.keys(EVENT_TYPES).map((c) => `event.${c}`),
      ...CHAIN_FAILURES.map((c) => `chainFailure.${c}`),
      ...TEMPERATURE_FINDING_KINDS.map((c) => `temperatureFinding.${c}`),
    ];
    expect(expected.filter((k) => !(k in en))).toEqual([]);
  });

  it('list the reason filter in the domain\'s order (the lots page offers the catalogue\'s reason codes)', () => {
    expect(Object.keys(en).filter((k) => k.startsWith('reason.')).map((k) => k.slice('reason.'.length))).toEqual([...REASON_CODES]);
  });
});
