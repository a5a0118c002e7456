import { loadConfig } from './app-config';

describe('EPCIS_TIME_ZONE_OFFSET', () => {
  it('defaults to +08:00 and takes any offset EPCIS allows', () => {
    expect(loadConfig({}).epcisTimeZoneOffset).toBe('+08:00');
    for (const offset of ['+00:00', '-05:00', '+05:45', '+13:59', '+14:00', '-14:00']) {
      expect(loadConfig({ EPCIS_TIME_ZONE_OFFSET: offset }).epcisTimeZoneOffset).toBe(offset);
    }
  });

  it('refuses to start with one GS1\'s schema would refuse (or no offset at all)', () => {
    for (const offset of ['Z', '+8:00', '+0800', '08:00', '+14:30', '+15:00', 'Asia/Shanghai', '+08:60']) {
      expect(() => loadConfig({ EPCIS_TIME_ZONE_OFFSET: offset })).toThrow('EPCIS_TIME_ZONE_OFFSET must look like +08:00');
    }
  });
});
