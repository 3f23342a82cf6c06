const IPV4_ADDRESS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_ADDRESS = /^[0-9a-fA-F:]+$/;

/**
 * `allowedSourceCidrs` as the resource policy and WAF take them: each entry a CIDR, a bare
 * address meaning that one host (/32 or /128), since Kong publishes Konnect's egress addresses
 * without a prefix. Anything else fails the synth.
 */
export function sourceCidrs(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const [address = '', prefix, ...rest] = entry.trim().split('/');
    const ipv6 = address.includes(':');
    const maxPrefix = ipv6 ? 128 : 32;
    const bits = prefix === undefined ? maxPrefix : Number(prefix);
    const addressOk = ipv6 ? IPV6_ADDRESS.test(address) : ipv4(address);
    if (rest.length > 0 || !addressOk || !Number.isInteger(bits) || bits < 1 || bits > maxPrefix) {
      const example = ipv6 ? '2001:db8::/64' : '203.0.113.10/32';
      throw new Error(`allowedSourceCidrs: ${entry} is not an ${ipv6 ? 'IPv6' : 'IPv4'} CIDR such as ${example}`);
    }
    return `${address}/${bits}`;
  });
}

function ipv4(address: string): boolean {
  const match = IPV4_ADDRESS.exec(address);
  return Boolean(match?.slice(1).every((octet) => Number(octet) <= 255));
}
