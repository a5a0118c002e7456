import { LogDigest } from './log-digest';

const A = '86b733ae1debc6ed8d571cf8a7e0435a4284d771e6812082b2d1df15f2e21a4a';
const B = '9f4ee3d0e63d0cde459c88b8c434ab6729eabdbffa706ad75474df556ae21bc6';

describe('LogDigest', () => {
  it('is SHA-256 over "<streamId>\\t<version>\\t<hash>\\n" per stream (checked against Python hashlib)', () => {
    const d = new LogDigest();
    d.add('lot-A', 3, A);
    d.add('lot-B', 1, B);
    expect(d.streams).toBe(2);
    expect(d.digest()).toBe('0299c5389f9cc29de6ec679f8b145177d3819234ad94f722f6b5b80f11e1b04b');
  });

  it('of no streams is the hash of nothing', () => {
    expect(new LogDigest().digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('takes streams in UTF-8 byte order only', () => {
    const d = new LogDigest();
    d.add('lot-Z', 1, A);
    d.add('lot-a', 1, A); // 'a' (0x61) after 'Z' (0x5a): byte order, not a locale's
    d.add('lot-é', 1, A);
    expect(() => d.add('lot-b', 1, A)).toThrow(/byte order/);
    const twice = new LogDigest();
    twice.add('lot-A', 1, A);
    expect(() => twice.add('lot-A', 2, A)).toThrow(/byte order/);
  });
});
