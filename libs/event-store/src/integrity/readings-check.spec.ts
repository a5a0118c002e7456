import { recordedUploadOf, uploadFailure } from './readings-check';
import { readingsSha256 } from './readings-digest';

describe('readings check', () => {
  const readings = [
    { at: '2026-11-20T08:00:00.000Z', celsius: -18.3 },
    { at: '2026-11-20T08:05:00.000Z', celsius: -18.2 },
  ];
  const data = { uploadId: 'u-1', deviceId: 'reefer-1', facilityId: null, count: 2, readingsSha256: readingsSha256(readings) };
  const recorded = recordedUploadOf({ streamId: 'lot-FISH-1', type: 'TemperaturesRecorded', data })!;
  const row = { traceCode: 'FISH-1', deviceId: 'reefer-1', at: readings.map((r) => r.at), celsius: readings.map((r) => r.celsius) };

  it('knows the upload a lot event records; none for another event, or one recorded before digests', () => {
    expect(recorded).toEqual({ uploadId: 'u-1', traceCode: 'FISH-1', deviceId: 'reefer-1', count: 2, readingsSha256: data.readingsSha256 });
    expect(recordedUploadOf({ streamId: 'lot-FISH-1', type: 'LotSampled', data })).toBeNull();
    expect(recordedUploadOf({ streamId: 'lot-FISH-1', type: 'TemperaturesRecorded', data: { ...data, readingsSha256: undefined } })).toBeNull();
  });

  it('holds for the row as recorded (times in any ISO form), and names a missing or changed one', () => {
    expect(uploadFailure(recorded, row)).toBeNull();
    expect(uploadFailure(recorded, { ...row, at: ['2026-11-20T08:00:00.000000Z', '2026-11-20T16:05:00+08:00'] })).toBeNull();
    expect(uploadFailure(recorded, undefined)).toBe('READINGS_MISSING');
    expect(uploadFailure(recorded, { ...row, celsius: [-18.3, -8.2] })).toBe('READINGS_MISMATCH');
    expect(uploadFailure(recorded, { ...row, at: [...row.at].reverse(), celsius: [...row.celsius].reverse() })).toBe('READINGS_MISMATCH');
    expect(uploadFailure(recorded, { ...row, traceCode: 'FISH-2' })).toBe('READINGS_MISMATCH');
    expect(uploadFailure(recorded, { ...row, deviceId: 'truck-1' })).toBe('READINGS_MISMATCH');
    expect(uploadFailure({ ...recorded, count: 3 }, row)).toBe('READINGS_MISMATCH');
  });
});
