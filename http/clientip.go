package http

import (
	"fmt"
	"net"
	nethttp "net/http"
	"net/netip"
	"strings"
)

// The client's address. A request's peer (RemoteAddr) is the client unless
// it is a reverse proxy the server trusts (Server.TrustedProxies): then the
// client is read from X-Forwarded-For, where each proxy appends the address
// it was connected from. Only the right end of that list can be believed —
// anything to the left of what the trusted proxies wrote was sent by the
// client and may be made up — so the list is read from the right, past the
// addresses of trusted proxies, and the first other address is the client.
// A peer that is not trusted cannot move its address by sending the header.

// ParseTrustedProxy parses a trusted proxy range: a CIDR prefix (10.0.0.0/8,
// fd00::/8) or one address (its /32 or /128).
func ParseTrustedProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR range such as 10.0.0.0/8 or fd00::/8", s)
		}
		if p.Addr().Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q: a range cannot have a zone", s)
		}
		return p.Masked(), nil
	}
	ip, err := netip.ParseAddr(s)
	if err != nil || ip.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is neither a CIDR range (such as 10.0.0.0/8) nor an address", s)
	}
	ip = ip.Unmap()
	return netip.PrefixFrom(ip, ip.BitLen()), nil
}

// clientAddr returns the address of the client that sent r: the peer's host,
// or for a peer inside a trusted range the right-most address of
// X-Forwarded-For that is not itself trusted (the left-most one if all are).
func (s *Server) clientAddr(r *nethttp.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	client := peer
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		list := hops[i]
		for list != "" {
			var hop string
			if j := strings.LastIndexByte(list, ','); j >= 0 {
				list, hop = list[:j], list[j+1:]
			} else {
				list, hop = "", list
			}
			ip, ok := forwardedAddr(hop)
			if !ok {
				// What a trusted proxy wrote is always an address: this one was
				// not, so the last trusted hop is as near the client as is known.
				return client.String()
			}
			client = ip
			if !s.trusted(ip) {
				return ip.String()
			}
		}
	}
	return client.String()
}

// trusted reports whether ip is inside one of the trusted proxy ranges.
func (s *Server) trusted(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	for _, p := range s.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedAddr parses one element of X-Forwarded-For: an address, possibly
// with a port ("192.0.2.1:4711", "[2001:db8::1]:4711") as some proxies write.
func forwardedAddr(hop string) (netip.Addr, bool) {
	hop = strings.TrimSpace(hop)
	if ip, err := netip.ParseAddr(hop); err == nil {
		return ip.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(hop); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if strings.HasPrefix(hop, "[") && strings.HasSuffix(hop, "]") {
		if ip, err := netip.ParseAddr(hop[1 : len(hop)-1]); err == nil {
			return ip.Unmap().WithZone(""), true
		}
	}
	return netip.Addr{}, false
}
