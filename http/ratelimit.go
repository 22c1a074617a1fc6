package http

import (
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// Failed logins are limited, so that a password cannot be guessed by trying
// many: after PerName failed attempts for one user name, or PerAddr from one
// client address, within Window, further attempts are answered 429 with
// Retry-After, without checking the password, until Cooldown has passed.
// A successful login resets the name's count (not the address's, so that
// one account of one's own does not buy more guesses at others).
//
// Each attempt is counted when it starts, as if it would fail, and given
// back when it succeeds: however many attempts are sent at once, no more
// than the limit are checked. The table of counts holds at most MaxEntries
// names and addresses; when it is full, entries whose window and cool-down
// are over go first, then the oldest of those not locked, then the oldest.
// IPv6 addresses are counted per /64, the block one subscriber usually has.
// The address is the client's (clientip.go): the connection's, or behind a
// reverse proxy listed in Server.TrustedProxies the one the proxies forward.
// Behind a proxy that is not listed every client has the proxy's address, so
// list it (or set PerAddr to a negative number to count names only).

// LoginLimits bound failed logins per user name and per client address.
type LoginLimits struct {
	PerName    int           // failed attempts allowed per user name within Window; negative: no limit per name
	PerAddr    int           // failed attempts allowed per client address (IPv6: per /64) within Window; negative: no limit per address
	Window     time.Duration // the period failures are counted over, from the first one
	Cooldown   time.Duration // how long attempts are refused once a limit is reached
	MaxEntries int           // names and addresses remembered at most
}

// DefaultLoginLimits are the limits of a server whose LoginLimits is the zero value.
var DefaultLoginLimits = LoginLimits{PerName: 5, PerAddr: 20, Window: 15 * time.Minute, Cooldown: 15 * time.Minute, MaxEntries: 10_000}

// orDefault returns l with its zero fields taken from DefaultLoginLimits.
func (l LoginLimits) orDefault() LoginLimits {
	d := DefaultLoginLimits
	if l.PerName == 0 {
		l.PerName = d.PerName
	}
	if l.PerAddr == 0 {
		l.PerAddr = d.PerAddr
	}
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.Cooldown <= 0 {
		l.Cooldown = d.Cooldown
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	return l
}

// loginLimiter counts login attempts per name and per address; its zero
// value is ready to use and it is safe for concurrent use.
type loginLimiter struct {
	mu      sync.Mutex
	entries map[string]*loginCount // "n:" + name or "a:" + address
	clock   func() time.Time       // time.Now when nil; tests may set it
}

// now returns the limiter's time.
func (l *loginLimiter) now() time.Time {
	if l.clock != nil {
		return l.clock()
	}
	return time.Now()
}

// loginCount is the count of one name or address.
type loginCount struct {
	start  time.Time // first failure of the window
	n      int       // failures (and attempts in flight) since start
	locked time.Time // attempts are refused until then
	last   time.Time // last attempt, for eviction
}

// loginAttempt is one attempt begun with begin, to be ended with done.
type loginAttempt struct {
	l          *loginLimiter
	lim        LoginLimits
	name, addr string   // keys, "" when not counted
	locks      []string // the keys this attempt locked, were it to fail (for the log)
}

// nameKey and addrKey are the keys of the table.
func nameKey(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return ""
	}
	if len(name) > 128 {
		name = name[:128]
	}
	return "n:" + name
}

func addrKey(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		if len(host) > 64 {
			host = host[:64]
		}
		return "a:" + host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return "a:" + p.String()
	}
	return "a:" + ip.String()
}

// begin starts an attempt to log in as name from remoteAddr at now. When a
// limit is reached it reports false and how long to wait; otherwise the
// attempt is counted as a failure until done says it succeeded.
func (l *loginLimiter) begin(lim LoginLimits, name, remoteAddr string, now time.Time) (*loginAttempt, time.Duration, bool) {
	lim = lim.orDefault()
	a := &loginAttempt{l: l, lim: lim}
	if lim.PerName >= 0 {
		a.name = nameKey(name)
	}
	if lim.PerAddr >= 0 {
		a.addr = addrKey(remoteAddr)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range []string{a.name, a.addr} {
		if c := l.entries[k]; k != "" && c != nil && now.Before(c.locked) {
			wait = max(wait, c.locked.Sub(now))
		}
	}
	if wait > 0 {
		return nil, wait, false
	}
	if l.count(a.name, lim.PerName, lim, now) {
		a.locks = append(a.locks, a.name)
	}
	if l.count(a.addr, lim.PerAddr, lim, now) {
		a.locks = append(a.locks, a.addr)
	}
	return a, 0, true
}

// count adds one (presumed) failure to key and reports whether that locks it.
func (l *loginLimiter) count(key string, limit int, lim LoginLimits, now time.Time) bool {
	if key == "" {
		return false
	}
	c := l.entries[key]
	if c == nil {
		if l.entries == nil {
			l.entries = map[string]*loginCount{}
		}
		if len(l.entries) >= lim.MaxEntries {
			l.evict(lim, now)
		}
		c = &loginCount{start: now}
		l.entries[key] = c
	}
	if now.Sub(c.start) > lim.Window {
		c.start, c.n = now, 0
	}
	c.n++
	c.last = now
	if c.n >= limit {
		c.locked = now.Add(lim.Cooldown)
		return true
	}
	return false
}

// evict makes room: it drops the entries that are over, and if that is not
// enough a tenth of the table, those not locked and the oldest first.
func (l *loginLimiter) evict(lim LoginLimits, now time.Time) {
	for k, c := range l.entries {
		if now.Sub(c.start) > lim.Window && !now.Before(c.locked) {
			delete(l.entries, k)
		}
	}
	target := lim.MaxEntries - max(lim.MaxEntries/10, 1)
	if len(l.entries) <= target {
		return
	}
	type kc struct {
		k string
		c *loginCount
	}
	all := make([]kc, 0, len(l.entries))
	for k, c := range l.entries {
		all = append(all, kc{k, c})
	}
	slices.SortFunc(all, func(x, y kc) int {
		xl, yl := now.Before(x.c.locked), now.Before(y.c.locked)
		if xl != yl {
			if xl {
				return 1
			}
			return -1
		}
		return x.c.last.Compare(y.c.last)
	})
	for _, e := range all[:len(all)-target] {
		delete(l.entries, e.k)
	}
}

// succeeded ends an attempt that logged in: the name's failures are
// forgotten and the address's count of this attempt is given back.
func (a *loginAttempt) succeeded() {
	a.l.mu.Lock()
	defer a.l.mu.Unlock()
	if a.name != "" {
		delete(a.l.entries, a.name)
	}
	a.l.giveBack(a.addr, a.lim.PerAddr)
}

// undecided ends an attempt that could not be checked (the store failed):
// it counts against neither the name nor the address.
func (a *loginAttempt) undecided() {
	a.l.mu.Lock()
	defer a.l.mu.Unlock()
	a.l.giveBack(a.name, a.lim.PerName)
	a.l.giveBack(a.addr, a.lim.PerAddr)
}

// giveBack takes one attempt off key's count, unlocking it if it falls under limit.
func (l *loginLimiter) giveBack(key string, limit int) {
	c := l.entries[key]
	if key == "" || c == nil {
		return
	}
	if c.n > 0 {
		c.n--
	}
	if c.n < limit {
		c.locked = time.Time{}
	}
}

// size returns how many names and addresses the limiter holds.
func (l *loginLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}
