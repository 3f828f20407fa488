package com.example.subscriptions.http;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who sent a request: the connection's peer, unless the peer is one of the configured trusted proxies; then the
 * nearest address in {@code X-Forwarded-For} that is not a trusted proxy (read from the right, since each proxy
 * appends the address it saw and anything further left was written by the client itself). Without trusted proxies
 * the header is never read, so nobody can choose their own address by sending it.
 */
public final class ClientAddresses {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** A network: an address and how many of its leading bits count. */
    record Network(byte[] address, int prefixBits) {

        boolean contains(InetAddress candidate) {
            byte[] bytes = candidate.getAddress();
            if (bytes.length != address.length) {
                return false;
            }
            int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++) {
                if (bytes[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest);
            return (bytes[whole] & mask) == (address[whole] & mask);
        }
    }

    private final List<Network> trusted;

    private ClientAddresses(List<Network> trusted) {
        this.trusted = trusted;
    }

    /** Only the peer counts. */
    public static ClientAddresses direct() {
        return new ClientAddresses(List.of());
    }

    /**
     * @param proxies addresses ({@code 10.0.0.7}, {@code ::1}) or networks ({@code 10.0.0.0/8}, {@code fd00::/8})
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static ClientAddresses trusting(List<String> proxies) {
        List<Network> networks = new ArrayList<>();
        for (String proxy : proxies) {
            networks.add(network(proxy.strip()));
        }
        return new ClientAddresses(List.copyOf(networks));
    }

    public boolean trustsProxies() {
        return !trusted.isEmpty();
    }

    /**
     * @param forwardedFor every {@code X-Forwarded-For} value of the request, in order
     */
    public InetAddress clientOf(InetAddress peer, List<String> forwardedFor) {
        if (!isTrusted(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                hops.add(hop.strip());
            }
        }
        InetAddress nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(withoutPort(hops.get(i)));
            if (hop.isEmpty()) {
                // Written by a proxy we trust, so not the client's doing: the last good hop is all we know.
                return nearest;
            }
            nearest = hop.get();
            if (!isTrusted(nearest)) {
                return nearest;
            }
        }
        return nearest;
    }

    /**
     * The key a client is counted under: its address, or for IPv6 its /64, the smallest network a site is given
     * (one host may hold all of its 2^64 addresses).
     */
    public static String rateKey(InetAddress client) {
        if (client instanceof Inet4Address) {
            return client.getHostAddress();
        }
        byte[] network = Arrays.copyOf(client.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean isTrusted(InetAddress address) {
        for (Network network : trusted) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    static Network network(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = literal(address)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or network such"
                        + " as 10.0.0.7, 10.0.0.0/8 or fd00::/8"));
        int maxBits = parsed.getAddress().length * 8;
        int bits = maxBits;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > maxBits) {
                throw new IllegalArgumentException(
                        "'" + text + "' has a prefix length outside 0 to " + maxBits + " for its address");
            }
        }
        return new Network(parsed.getAddress(), bits);
    }

    /** An IP address written as one, never a host name: nothing here ever asks DNS. */
    static Optional<InetAddress> literal(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(parts[i]);
                    if (part > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) part;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            if (IPV6.matcher(text).matches()) {
                // With a colon in it, InetAddress reads an IPv6 literal and never resolves a name.
                return Optional.of(InetAddress.getByName(text));
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** {@code 203.0.113.7:4711} and {@code [2001:db8::1]:4711}, as some proxies write them, without the port. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':')) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
