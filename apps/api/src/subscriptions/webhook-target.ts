import { BlockList, isIP } from 'node:net';

/** Where webhooks may go (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOW_PRIVATE). */
export interface TargetPolicy {
  /** Plain http too (tests, closed networks); https only otherwise. */
  readonly allowHttp: boolean;
  /** CIDR ranges of the operator's own network a webhook may reach after all (e.g. 127.0.0.0/8 in tests). */
  readonly allowPrivate: readonly string[];
}

/**
 * Addresses no webhook may reach unless allowed: this host, the operator's
 * private networks and the cloud metadata service (link-local), so a
 * subscription cannot be made to probe or post into the network the service
 * runs in.
 */
const NOT_PUBLIC: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const notPublic = new BlockList();
for (const [net, prefix, type] of NOT_PUBLIC) notPublic.addSubnet(net, prefix, type);

/** A CIDR as `address/prefix`, or why it is not one. */
export const parseCidr = (entry: string): { net: string; prefix: number; type: 'ipv4' | 'ipv6' } | string => {
  const [net, prefix, ...rest] = entry.split('/');
  const version = isIP(net);
  const bits = prefix !== undefined && /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  if (version === 0 || rest.length > 0 || bits < 0 || bits > (version === 4 ? 32 : 128)) return `${JSON.stringify(entry)} is not a CIDR range (e.g. 127.0.0.0/8)`;
  return { net, prefix: bits, type: version === 4 ? 'ipv4' : 'ipv6' };
};

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is. */
const unmapped = (address: string): string => {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
};

/** Judges a target URL and the addresses its host resolves to. */
export class WebhookTargets {
  private readonly allowed = new BlockList();

  constructor(readonly policy: TargetPolicy) {
    for (const entry of policy.allowPrivate) {
      const cidr = parseCidr(entry);
      if (typeof cidr === 'string') throw new Error(cidr);
      this.allowed.addSubnet(cidr.net, cidr.prefix, cidr.type);
    }
  }

  /** Why this URL may not be a target (its form alone; the host's addresses are judged when resolved), or null. */
  urlProblem(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'url must be an absolute http(s) URL';
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.policy.allowHttp)) {
      return this.policy.allowHttp ? 'url must be http or https' : 'url must be https (WEBHOOK_ALLOW_HTTP is off)';
    }
    if (url.username || url.password) return 'url must not carry credentials: the signature authenticates us to the receiver';
    if (url.hash) return 'url must not have a fragment';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) return this.addressProblem(host);
    if (host === 'localhost' || host.endsWith('.localhost')) return this.addressProblem('127.0.0.1');
    return null;
  }

  /** Why a resolved address may not be reached (loopback, link-local, private, unless WEBHOOK_ALLOW_PRIVATE lists it), or null. */
  addressProblem(address: string): string | null {
    const a = unmapped(address);
    const type = isIP(a) === 6 ? 'ipv6' : 'ipv4';
    if (!notPublic.check(a, type) || this.allowed.check(a, type)) return null;
    return `${address} is a loopback, link-local or private address (WEBHOOK_ALLOW_PRIVATE may list its range)`;
  }
}
