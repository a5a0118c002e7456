import { ConfigError } from '@app/platform';
import { loadConfig } from './app-config';

describe('TRUST_PROXY', () => {
  it('unset or empty trusts no proxy: the peer is the client', () => {
    expect(loadConfig({}).trustProxy).toBeNull();
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBeNull();
  });

  it('takes a hop count, or a list of proxy addresses, CIDRs and Express\'s named subnets', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5' }).trustProxy).toEqual(['10.0.0.5']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,fd00::/8,::1' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8', '::1']);
    expect(loadConfig({ TRUST_PROXY: 'loopback,uniquelocal' }).trustProxy).toEqual(['loopback', 'uniquelocal']);
  });

  it('refuses true (a client could name itself in X-Forwarded-For) and every other form, in one line naming the variable', () => {
    const refused: [string, string][] = [
      ['true', 'true would believe any X-Forwarded-For a client writes itself'],
      ['TRUE', 'true would believe'],
      ['false', 'leave it unset'],
      ['0', '0 trusts no proxy'],
      ['0.0.0.0/0', 'would trust every address'],
      ['::/0', 'would trust every address'],
      ['-1', 'is not an address or CIDR'],
      ['1.5', 'is not an address or CIDR'],
      ['proxy.example.com', 'is not an address or CIDR'],
      ['10.0.0.1,,10.0.0.2', 'an entry is empty'],
      ['10.0.0.0/33', 'has no valid prefix length'],
      ['10.0.0.0/8/8', 'is not an address or CIDR'],
      ['*', 'is not an address or CIDR'],
    ];
    for (const [raw, why] of refused) {
      let error: unknown;
      try {
        loadConfig({ TRUST_PROXY: raw });
      } catch (e) {
        error = e;
      }
      expect({ raw, isConfigError: error instanceof ConfigError }).toEqual({ raw, isConfigError: true });
      const message = (error as Error).message;
      expect(message).toMatch(/^TRUST_PROXY must be a hop count/);
      expect(message).toContain(why);
      expect(message).toContain(`(got ${JSON.stringify(raw)})`);
      expect(message).not.toContain('\n');
    }
  });
});
