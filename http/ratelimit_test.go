package http

import (
	"fmt"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable time for the limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var testLimits = LoginLimits{PerName: 3, PerAddr: 5, Window: 10 * time.Minute, Cooldown: 5 * time.Minute, MaxEntries: 100}

// fail makes one attempt that fails; it reports whether the attempt was let through.
func fail(l *loginLimiter, lim LoginLimits, name, addr string, now time.Time) (bool, time.Duration) {
	_, wait, ok := l.begin(lim, name, addr, now)
	return ok, wait // a failure stays counted
}

func TestLoginLimiterPerName(t *testing.T) {
	var l loginLimiter
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	// Three failures for eve from three addresses are checked; the fourth attempt is refused, whatever its address.
	for i := range 3 {
		if ok, _ := fail(&l, testLimits, "eve", fmt.Sprintf("192.0.2.%d:4000", i+1), t0.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("failure %d refused before the limit", i+1)
		}
	}
	at := t0.Add(time.Minute)
	_, wait, ok := l.begin(testLimits, "eve", "198.51.100.7:5000", at)
	if ok || wait != testLimits.Cooldown-time.Minute+2*time.Second {
		t.Fatalf("fourth attempt for eve: let through %v, wait %v; want refused for the rest of the cool-down (%v)", ok, wait, testLimits.Cooldown-time.Minute+2*time.Second)
	}
	// Case and spaces do not make another name.
	if _, _, ok := l.begin(testLimits, " EVE ", "198.51.100.7:5000", at); ok {
		t.Error("\" EVE \" is counted apart from eve")
	}
	// Other names are not affected.
	a, _, ok := l.begin(testLimits, "ada", "198.51.100.7:5000", at)
	if !ok {
		t.Fatal("ada refused because of eve's failures")
	}
	a.succeeded()
	// After the cool-down eve may try again.
	if _, _, ok := l.begin(testLimits, "eve", "198.51.100.8:5000", t0.Add(2*time.Second+testLimits.Cooldown)); !ok {
		t.Error("eve still refused after the cool-down")
	}
}

func TestLoginLimiterSuccessResetsName(t *testing.T) {
	var l loginLimiter
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 2 {
		fail(&l, testLimits, "eve", "192.0.2.1:1", t0.Add(time.Duration(i)*time.Second))
	}
	a, _, ok := l.begin(testLimits, "eve", "192.0.2.1:1", t0.Add(3*time.Second))
	if !ok {
		t.Fatal("third attempt refused")
	}
	a.succeeded()
	// The name's count starts again: two more failures are checked, not refused.
	for i := range 2 {
		if ok, _ := fail(&l, testLimits, "eve", "192.0.2.1:1", t0.Add(time.Duration(10+i)*time.Second)); !ok {
			t.Fatalf("failure %d after a success refused: the success did not reset the name", i+1)
		}
	}
	// The address's failures are not reset by a success: 4 failures counted (2 + 2), the 5th reaches the limit of 5.
	if ok, _ := fail(&l, testLimits, "someone", "192.0.2.1:1", t0.Add(20*time.Second)); !ok {
		t.Fatal("fifth failure from the address refused before the limit")
	}
	if _, _, ok := l.begin(testLimits, "another", "192.0.2.1:2", t0.Add(21*time.Second)); ok {
		t.Fatal("sixth failure from 192.0.2.1 let through: a success reset the address's count, or it is counted per port")
	}
}

func TestLoginLimiterPerAddress(t *testing.T) {
	var l loginLimiter
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	// Five names from one address: each under its own limit, the address reaches its.
	for i := range 5 {
		if ok, _ := fail(&l, testLimits, fmt.Sprintf("user%d", i), "203.0.113.9:1234", t0); !ok {
			t.Fatalf("failure %d from one address refused before the limit", i+1)
		}
	}
	if _, _, ok := l.begin(testLimits, "user9", "203.0.113.9:999", t0); ok {
		t.Error("sixth name from one address let through")
	}
	if _, _, ok := l.begin(testLimits, "user9", "203.0.113.10:999", t0); !ok {
		t.Error("another address refused")
	}
	// IPv6: one /64 is one address; another /64 is not; IPv4 mapped in IPv6 is IPv4.
	for i := range 5 {
		fail(&l, testLimits, fmt.Sprintf("v6user%d", i), fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1), t0)
	}
	if _, _, ok := l.begin(testLimits, "x", "[2001:db8:1:2:ffff::1]:443", t0); ok {
		t.Error("another address of the same IPv6 /64 let through")
	}
	if _, _, ok := l.begin(testLimits, "x", "[2001:db8:1:3::1]:443", t0); !ok {
		t.Error("another IPv6 /64 refused")
	}
	if _, _, ok := l.begin(testLimits, "y", "[::ffff:203.0.113.9]:1", t0); ok {
		t.Error("203.0.113.9 written as IPv4-mapped IPv6 is counted apart")
	}
	// A window that is over starts the count again.
	var m loginLimiter
	for i := range 4 {
		fail(&m, testLimits, fmt.Sprintf("u%d", i), "192.0.2.50:1", t0)
	}
	later := t0.Add(testLimits.Window + time.Second)
	for i := range 4 {
		if ok, _ := fail(&m, testLimits, fmt.Sprintf("w%d", i), "192.0.2.50:1", later); !ok {
			t.Fatalf("failure %d of a new window refused: old failures still counted", i+1)
		}
	}
	// A negative limit turns counting per address off (a server behind a proxy).
	noAddr := testLimits
	noAddr.PerAddr = -1
	var n loginLimiter
	for i := range 20 {
		if ok, _ := fail(&n, noAddr, fmt.Sprintf("p%d", i), "10.0.0.1:1", t0); !ok {
			t.Fatalf("PerAddr -1: failure %d refused", i+1)
		}
	}
}

// An attempt that the store could not check counts against nobody.
func TestLoginLimiterUndecided(t *testing.T) {
	var l loginLimiter
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for range 10 {
		a, _, ok := l.begin(testLimits, "eve", "192.0.2.1:1", t0)
		if !ok {
			t.Fatal("attempts the store could not check were counted as failures")
		}
		a.undecided()
	}
}

// Attempts sent at once are counted as they start: no more than the limit get through to the password check.
func TestLoginLimiterConcurrent(t *testing.T) {
	var l loginLimiter
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var through atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, _, ok := l.begin(testLimits, "eve", fmt.Sprintf("192.0.2.%d:1", i%250), t0); ok {
				through.Add(1) // and each fails
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := through.Load(); n != int32(testLimits.PerName) {
		t.Fatalf("%d concurrent attempts for one name got through, want exactly %d", n, testLimits.PerName)
	}
}

// The table never holds more than MaxEntries; full, it drops what is over,
// then unlocked entries, and keeps the locks of names under attack.
func TestLoginLimiterBounded(t *testing.T) {
	var l loginLimiter
	lim := testLimits
	lim.MaxEntries = 50
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for range 3 {
		fail(&l, lim, "victim", "192.0.2.1:1", t0)
	}
	for i := range 10_000 {
		at := t0.Add(time.Duration(i) * time.Millisecond)
		a, _, ok := l.begin(lim, fmt.Sprintf("name%d", i), fmt.Sprintf("10.%d.%d.%d:1", i>>16&255, i>>8&255, i&255), at)
		if ok && i%2 == 0 {
			a.succeeded()
		}
		if n := l.size(); n > lim.MaxEntries {
			t.Fatalf("after %d attempts the limiter holds %d entries, more than %d", i+1, n, lim.MaxEntries)
		}
	}
	if _, _, ok := l.begin(lim, "victim", "198.51.100.1:1", t0.Add(20*time.Second)); ok {
		t.Error("a flood of other names evicted the lock of the name under attack")
	}
	// Entries whose window and cool-down are over go first.
	later := t0.Add(time.Hour)
	for i := range 10 {
		fail(&l, lim, fmt.Sprintf("late%d", i), "192.0.2.200:1", later)
	}
	if n := l.size(); n > 12 {
		t.Errorf("an hour later the table still holds %d entries, want the expired ones dropped", n)
	}
}

// Through HTTP: the login form answers 429 with Retry-After once the limit
// is reached, even with the right password, until the cool-down is over;
// the failures are logged once; a success resets the name.
func TestLoginRateLimitHTTP(t *testing.T) {
	e := newRegEnv(t, regBackends[0])
	clock := &fakeClock{t: time.Now()}
	e.s.logins.clock = clock.now
	e.s.LoginLimits = LoginLimits{PerName: 3, PerAddr: 8, Cooldown: 2 * time.Minute}
	login := func(name, password string) resp {
		return e.post(t, "/login", nil, url.Values{"name": {name}, "password": {password}, "next": {"/agreements"}})
	}
	for i := range 3 {
		if r := login("eve", "guess"+strconv.Itoa(i)); r.code != 401 {
			t.Fatalf("failure %d: %d, want 401", i+1, r.code)
		}
	}
	r := login("eve", regPassword)
	if r.code != 429 || r.header.Get("Set-Cookie") != "" {
		t.Fatalf("the right password after 3 failures: %d (cookie %q), want 429 and no session", r.code, r.header.Get("Set-Cookie"))
	}
	if ra, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || ra < 119 || ra > 120 {
		t.Errorf("Retry-After %q, want about 120 seconds", r.header.Get("Retry-After"))
	}
	mustContain(t, "refused login page", r, 429, "Too many failed logins", "2 minutes", `name="password"`)
	// The API is not affected: tokens are not passwords.
	if r := e.do(t, req{method: "GET", path: "/api/v1/me", token: e.tokens["eve"]}); r.code != 200 {
		t.Errorf("eve's API token while her logins are refused: %d", r.code)
	}
	// Another user logs in from the same address (3 failures of 8 so far).
	if r := login("ada", regPassword); r.code != 303 {
		t.Errorf("ada from the same address: %d, want 303", r.code)
	}
	clock.add(2*time.Minute + time.Second)
	if r := login("eve", regPassword); r.code != 303 {
		t.Fatalf("eve after the cool-down: %d %.200s", r.code, r.body)
	}
	// The success reset eve's count: three more failures are checked.
	for i := range 3 {
		if r := login("eve", "again"+strconv.Itoa(i)); r.code != 401 {
			t.Fatalf("failure %d after a success: %d, want 401", i+1, r.code)
		}
	}
	// The address has now failed 6 times of 8: two more names, then it is refused too.
	for _, n := range []string{"nobody", "vic"} {
		if r := login(n, "wrong"); r.code != 401 {
			t.Fatalf("%s: %d, want 401", n, r.code)
		}
	}
	if r := login("ed", regPassword); r.code != 429 || !strings.Contains(string(r.body), "this address") {
		t.Errorf("ed from an address with 8 failures: %d, want 429", r.code)
	}
}

// The limit holds under load: many concurrent wrong guesses for one name,
// only PerName of them are checked against the store.
func TestLoginRateLimitConcurrentHTTP(t *testing.T) {
	e := newRegEnv(t, regBackends[0])
	e.s.LoginLimits = LoginLimits{PerName: 5, PerAddr: -1}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.post(t, "/login", nil, url.Values{"name": {"vic"}, "password": {"guess" + strconv.Itoa(i)}})
			mu.Lock()
			codes[r.code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[nethttp.StatusUnauthorized] != 5 || codes[nethttp.StatusTooManyRequests] != 35 {
		t.Fatalf("40 concurrent guesses: %v, want 5 checked (401) and 35 refused (429)", codes)
	}
}
