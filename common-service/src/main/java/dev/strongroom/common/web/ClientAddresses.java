package dev.strongroom.common.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the client address of a request: the TCP peer, unless the peer is a trusted proxy, in
 * which case {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the
 * first untrusted hop is the client. Entries a client wrote itself (further left) are never believed.
 */
public final class ClientAddresses {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<Range> trusted;

    public ClientAddresses(List<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String proxy : trustedProxies) {
            if (!proxy.isBlank()) {
                ranges.add(Range.parse(proxy.trim()));
            }
        }
        this.trusted = List.copyOf(ranges);
    }

    /** The client address, given the TCP peer and the raw X-Forwarded-For header (may be null). */
    public String resolve(String peer, String forwardedFor) {
        if (peer == null || forwardedFor == null || forwardedFor.isBlank() || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = stripPort(hops[i].trim());
            if (!LITERAL.matcher(hop).matches() || parse(hop) == null) {
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    public boolean isTrusted(String address) {
        InetAddress parsed = parse(address);
        return parsed != null && trusted.stream().anyMatch(range -> range.contains(parsed));
    }

    private static String stripPort(String hop) {
        if (hop.startsWith("[") && hop.contains("]")) {
            return hop.substring(1, hop.indexOf(']'));
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':')) {
            return hop.substring(0, colon);
        }
        return hop;
    }

    /** Parses an address literal without name resolution; null when it is not one. */
    static InetAddress parse(String literal) {
        if (literal == null || !LITERAL.matcher(literal).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address or CIDR range. */
    record Range(BigInteger network, int prefix, int bits) {

        static Range parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = ClientAddresses.parse(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("strongroom.audit.trusted-proxies: not an IP address or CIDR range: " + text);
            }
            int bits = address.getAddress().length * 8;
            int prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("strongroom.audit.trusted-proxies: bad prefix length in " + text);
            }
            return new Range(mask(new BigInteger(1, address.getAddress()), prefix, bits), prefix, bits);
        }

        boolean contains(InetAddress address) {
            byte[] raw = address.getAddress();
            return raw.length * 8 == bits && mask(new BigInteger(1, raw), prefix, bits).equals(network);
        }

        private static BigInteger mask(BigInteger value, int prefix, int bits) {
            return value.shiftRight(bits - prefix);
        }
    }
}
