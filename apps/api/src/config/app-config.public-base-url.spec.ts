import { loadConfig } from './app-config';

describe('PUBLIC_BASE_URL', () => {
  it('defaults to this service on localhost at its port', () => {
    expect(loadConfig({}).publicBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
  });

  it('takes an http(s) URL, with a path if the service sits under one', () => {
    for (const url of ['https://trace.example.com', 'http://10.0.0.5:3000', 'https://example.com/coldtrace']) {
      expect(loadConfig({ PUBLIC_BASE_URL: url }).publicBaseUrl).toBe(url);
    }
  });

  it('refuses to start with one a printed code could not rely on', () => {
    for (const url of ['trace.example.com', 'ftp://example.com', 'https://trace.example.com/', 'https://example.com/?a=1', 'https://example.com/#x', 'https://u:p@example.com', 'not a url']) {
      expect(() => loadConfig({ PUBLIC_BASE_URL: url })).toThrow('PUBLIC_BASE_URL must be an http(s) URL');
    }
  });
});

describe('DIGITAL_LINK_BASE', () => {
  it("defaults to GS1's resolver, takes another http(s) base", () => {
    expect(loadConfig({}).digitalLinkBase).toBe('https://id.gs1.org');
    expect(loadConfig({ DIGITAL_LINK_BASE: 'https://trace.example.com' }).digitalLinkBase).toBe('https://trace.example.com');
  });

  it('refuses to start with one that is not an http(s) base', () => {
    for (const url of ['id.gs1.org', 'https://id.gs1.org/', 'https://id.gs1.org/?x=1']) {
      expect(() => loadConfig({ DIGITAL_LINK_BASE: url })).toThrow('DIGITAL_LINK_BASE must be an http(s) URL');
    }
  });
});
