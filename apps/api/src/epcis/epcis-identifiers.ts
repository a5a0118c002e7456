import type { QuantityUnit } from '@app/domain';
import { ID_PATTERN } from '../common/http/identifiers';

/**
 * How Coldtrace names things in EPCIS: lots are class-level identifiers
 * (a lot is a quantity of one product, not serialised items), facilities and
 * their zones are locations. One place for both directions, export and
 * capture. Ids may hold ':' (ID_PATTERN), which would make
 * `facility:<id>:zone:<zone>` ambiguous, so every character outside
 * [A-Za-z0-9._~-] is percent-encoded (UTF-8).
 */
const LOT = 'urn:coldtrace:lot:';
const FACILITY = 'urn:coldtrace:facility:';
const ZONE = ':zone:';

const encodePart = (id: string): string =>
  [...new TextEncoder().encode(id)].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) && b < 0x80 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** The text a part encodes, or null when it is not one we could have written (bad escapes). */
const decodeText = (part: string): string | null => {
  if (!/^(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+$/.test(part)) return null;
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
};

/** The id a part names, or null when it is not one we could have written (bad escapes, not an id). */
const decodePart = (part: string): string | null => {
  const id = decodeText(part);
  return id !== null && ID_PATTERN.test(id) ? id : null;
};

export const lotClassUrn = (traceCode: string): string => `${LOT}${encodePart(traceCode)}`;
export const facilityUrn = (facilityId: string): string => `${FACILITY}${encodePart(facilityId)}`;
export const zoneUrn = (facilityId: string, zoneId: string): string => `${facilityUrn(facilityId)}${ZONE}${encodePart(zoneId)}`;
/** A zone when there is one, else the facility. */
export const locationUrn = (facilityId: string, zoneId: string | null): string => (zoneId === null ? facilityUrn(facilityId) : zoneUrn(facilityId, zoneId));

export const parseLotClassUrn = (urn: string): string | null => (urn.startsWith(LOT) ? decodePart(urn.slice(LOT.length)) : null);

/** `urn:coldtrace:facility:<id>` or `...:<id>:zone:<zoneId>`; null for anything else. */
export const parseLocationUrn = (urn: string): { facilityId: string; zoneId: string | null } | null => {
  if (!urn.startsWith(FACILITY)) return null;
  const rest = urn.slice(FACILITY.length);
  const at = rest.indexOf(ZONE);
  if (at < 0) {
    const facilityId = decodePart(rest);
    return facilityId === null ? null : { facilityId, zoneId: null };
  }
  const facilityId = decodePart(rest.slice(0, at));
  const zoneId = decodePart(rest.slice(at + ZONE.length));
  return facilityId === null || zoneId === null ? null : { facilityId, zoneId };
};

const DEVICE = 'urn:coldtrace:device:';

/**
 * A temperature logger as EPCIS `deviceID` (a URI): a device id that is a
 * URN already (`urn:epc:id:giai:...`, as a capture may have named it) as it
 * is, any other `urn:coldtrace:device:<deviceId>`. parseDeviceUri inverts it.
 */
export const deviceUri = (deviceId: string): string => (deviceId.startsWith('urn:') && !deviceId.startsWith(DEVICE) ? deviceId : `${DEVICE}${deviceId}`);

/** The device id a `deviceID` names: ours without its prefix, any other URI as it is (null when that is no id: too long, or `/`, `?`, ...). */
export const parseDeviceUri = (uri: string): string | null => {
  const id = uri.startsWith(DEVICE) ? uri.slice(DEVICE.length) : uri;
  return ID_PATTERN.test(id) ? id : null;
};

/** Our units as UN/CEFACT Recommendation 20 codes (EPCIS `uom`). */
export const UNIT_TO_UOM: Readonly<Record<QuantityUnit, string>> = { KG: 'KGM', CARTON: 'CT', PIECE: 'H87' };

export const unitOfUom = (uom: string): QuantityUnit | null =>
  (Object.entries(UNIT_TO_UOM).find(([, code]) => code === uom)?.[0] as QuantityUnit | undefined) ?? null;

/** A split or a merge as an EPCIS `transformationID`: `urn:coldtrace:split:<splitId>`, `urn:coldtrace:merge:<mergeId>`. */
export const transformationUrn = (kind: 'SPLIT' | 'MERGE', operationId: string): string => `urn:coldtrace:${kind.toLowerCase()}:${encodePart(operationId)}`;

/** A document as `certificationInfo`: `urn:coldtrace:document:<type>:<number>` (numbers are free text: percent-encoded). */
export const documentUrn = (type: string, number: string): string => `urn:coldtrace:document:${encodePart(type)}:${encodePart(number)}`;

const DOCUMENT = 'urn:coldtrace:document:';

/** `urn:coldtrace:document:<type>:<number>` back to its parts; null for anything else. */
export const parseDocumentUrn = (urn: string): { type: string; number: string } | null => {
  if (!urn.startsWith(DOCUMENT)) return null;
  const [type, number, ...rest] = urn.slice(DOCUMENT.length).split(':');
  if (number === undefined || rest.length > 0) return null;
  // Numbers are free text (not ids): only decoded.
  const parts = [decodePart(type), decodeText(number)];
  return parts[0] === null || parts[1] === null ? null : { type: parts[0], number: parts[1] };
};
