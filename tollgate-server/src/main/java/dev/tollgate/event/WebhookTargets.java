package dev.tollgate.event;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Keeps webhook delivery away from the deployment's own network. Whoever holds an admin key could
 * otherwise register {@code http://169.254.169.254/...} or an internal service and have Tollgate call
 * it. Checked when an endpoint is registered and again, on the resolved addresses, before every
 * attempt, so a name that later resolves to a private address is refused too.
 */
final class WebhookTargets {

    private WebhookTargets() {}

    /** Why the URL's host may not be called, or empty when every address it resolves to is public. */
    static Optional<String> refusal(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Optional.of("the URL names no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return Optional.of("the host " + host + " resolves to a private, loopback or link-local address");
            }
        }
        return Optional.empty();
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            // 100.64.0.0/10 (carrier-grade NAT, used by cloud VPCs) and 0.0.0.0/8.
            return first == 0 || first == 100 && second >= 64 && second <= 127;
        }
        if (address instanceof Inet6Address) {
            // fc00::/7, unique local addresses.
            return (bytes[0] & 0xfe) == 0xfc;
        }
        return false;
    }
}
