package com.example.subscriptions.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private static InetAddress ip(String text) {
        return ClientAddresses.literal(text).orElseThrow();
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsNeverRead() {
        ClientAddresses direct = ClientAddresses.direct();

        assertEquals(ip("203.0.113.9"), direct.clientOf(ip("203.0.113.9"), List.of("198.51.100.1")));
    }

    @Test
    void aTrustedProxysHeaderNamesTheNearestUntrustedHopNotWhatTheClientWrote() {
        ClientAddresses proxies = ClientAddresses.trusting(List.of("10.0.0.0/8", "192.168.1.5"));

        // The client wrote 1.1.1.1 itself; the edge proxy (10.0.0.2) appended the address it saw, 203.0.113.9.
        assertEquals(
                ip("203.0.113.9"), proxies.clientOf(ip("192.168.1.5"), List.of("1.1.1.1, 203.0.113.9", "10.0.0.2")));
        assertEquals(ip("203.0.113.9"), proxies.clientOf(ip("10.1.2.3"), List.of("203.0.113.9:51234")));
        assertEquals(ip("2001:db8::7"), proxies.clientOf(ip("10.1.2.3"), List.of("[2001:db8::7]:443")));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItsHeaderSays() {
        ClientAddresses proxies = ClientAddresses.trusting(List.of("10.0.0.0/8"));

        assertEquals(ip("198.51.100.4"), proxies.clientOf(ip("198.51.100.4"), List.of("10.0.0.1")));
    }

    @Test
    void garbageInTheChainStopsAtTheLastAddressAProxyVouchedFor() {
        ClientAddresses proxies = ClientAddresses.trusting(List.of("10.0.0.0/8"));

        assertEquals(ip("10.0.0.3"), proxies.clientOf(ip("10.0.0.1"), List.of("evil.example, 10.0.0.3")));
        assertEquals(ip("10.0.0.1"), proxies.clientOf(ip("10.0.0.1"), List.of("unknown")));
        assertEquals(ip("10.0.0.1"), proxies.clientOf(ip("10.0.0.1"), List.of()));
    }

    @Test
    void networksAreMatchedBitByBitAndHostNamesAreRefusedWithoutAskingDns() {
        ClientAddresses proxies = ClientAddresses.trusting(List.of("172.16.0.0/12", "fd00::/8"));

        assertTrue(proxies.trustsProxies());
        assertEquals(ip("203.0.113.1"), proxies.clientOf(ip("172.31.255.255"), List.of("203.0.113.1")));
        assertEquals(ip("172.32.0.1"), proxies.clientOf(ip("172.32.0.1"), List.of("203.0.113.1")));
        assertEquals(ip("203.0.113.1"), proxies.clientOf(ip("fd12::1"), List.of("203.0.113.1")));
        for (String bad : List.of("proxy.example.com", "10.0.0.0/33", "10.0.0.256", "1234", "::/129", "10.0.0.0/x")) {
            assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting(List.of(bad)), bad);
        }
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        assertEquals("2001:db8:1:2:0:0:0:0/64", ClientAddresses.rateKey(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        assertEquals("203.0.113.9", ClientAddresses.rateKey(ip("203.0.113.9")));
        assertEquals("203.0.113.9", ClientAddresses.rateKey(ip("::ffff:203.0.113.9")));
    }
}
