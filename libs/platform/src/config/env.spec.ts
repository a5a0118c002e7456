import { ConfigError, envLogFormat } from './env';

describe('envLogFormat: pretty for a person at a terminal, JSON lines for everything else', () => {
  it('unset: pretty on a terminal, JSON otherwise', () => {
    expect(envLogFormat({}, true)).toBe('pretty');
    expect(envLogFormat({}, false)).toBe('json');
    expect(envLogFormat({})).toBe('json');
  });

  it('LOG_FORMAT decides when set, terminal or not', () => {
    expect(envLogFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(envLogFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(() => envLogFormat({ LOG_FORMAT: 'fancy' }, true)).toThrow(ConfigError);
  });
});
