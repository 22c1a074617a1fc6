package http

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// browser starts headless Chromium (Debian's chromium) for the test, with the
// flags a sandboxed CI machine needs. It skips when no browser is installed,
// unless CI is set (then the browser tests must run: .ci/run installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no chromium installed; .ci/run installs Debian's chromium package")
		}
		t.Skip("no chromium installed (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// Start the browser now, with a bound on how long that may take.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("starting %s: %v", path, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start within 60 s", path)
	}
	return ctx
}

// consoleErrors collects the errors a page writes to the console: console.error
// calls, uncaught exceptions and error entries of the browser log (such as
// Content-Security-Policy violations and failed loads).
type consoleErrors struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleErrors) listen(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				msg = "console." + string(e.Type) + ": " + strings.Join(parts, " ")
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				msg = "log (" + string(e.Entry.Source) + "): " + e.Entry.Text + " " + e.Entry.URL
			}
		}
		if msg != "" {
			c.mu.Lock()
			c.msgs = append(c.msgs, msg)
			c.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// take returns and clears the errors collected so far.
func (c *consoleErrors) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.msgs
	c.msgs = nil
	return m
}

// screenshotDir is the gitignored test-output folder at the root of the module.
func screenshotDir(t *testing.T) string {
	dir := filepath.Join("..", "testout", "http")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir(t), name+".png"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// step runs actions with a time bound, failing the test with what was being done.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds (at most 20 s).
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		// Evaluations may fail while the page navigates: try again.
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", cond, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests take a few seconds")
	}
	_, ts := newTestServer(t, fixtureStore(t))
	ctx := browser(t)
	var errs consoleErrors
	errs.listen(t, ctx)

	// Every page loads without console errors (CSP violations included).
	pages := map[string]string{
		"home": "/", "state-picker": "/state", "pair-picker": "/pair", "state": "/states/IRN?issue=hr",
		"pair": "/pairs/USA/IRN", "blocs": "/blocs?span=10", "coalitions": "/coalitions?seeds=IRN&issue=hr&build=4",
		"agreements": "/agreements", "not-found": "/states/Atlantis",
	}
	for name, path := range pages {
		step(t, ctx, "loading "+path, chromedp.Navigate(ts.URL+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		// The optional script ran (it adds sort buttons where a table has rows to sort).
		if name == "state" || name == "pair" || name == "coalitions" {
			if n := eval[int](t, ctx, `document.querySelectorAll("table.sortable th button").length`); n == 0 {
				t.Errorf("%s: the sort buttons of app.js are missing", path)
			}
		}
		// The blocs page shows the world map, each state filled by its bloc.
		if name == "blocs" {
			fills := eval[[]string](t, ctx, `["USA", "CUB", "BRA"].map(c => { const p = document.querySelector("#bloc-map path[data-state='" + c + "']"); return p && p.getBoundingClientRect().width > 0 ? getComputedStyle(p).fill : "" })`)
			if n := eval[int](t, ctx, `document.querySelectorAll("#bloc-map path").length`); n != 176 || fills[0] == "" || fills[0] == fills[1] || fills[2] == fills[0] {
				t.Errorf("%s: the map has %d paths; USA, CUB, BRA as %q (want three different fills, each drawn)", path, n, fills)
			}
			if w := eval[float64](t, ctx, `document.querySelector("#bloc-map").getBoundingClientRect().width`); w < 400 {
				t.Errorf("%s: the map is %g px wide", path, w)
			}
		}
		screenshot(t, ctx, name)
		if m := errs.take(); name != "not-found" && len(m) > 0 {
			t.Errorf("%s: console errors: %q", path, m)
		} else if name == "not-found" {
			// the 404 status itself is logged by the browser; nothing else may be
			for _, x := range m {
				if !strings.Contains(x, "404") {
					t.Errorf("%s: console error %q", path, x)
				}
			}
		}
	}

	// The listener does see console errors (so that the checks above can fail).
	eval[bool](t, ctx, `console.error("probe-of-the-listener"), true`)
	time.Sleep(100 * time.Millisecond)
	if m := errs.take(); len(m) != 1 || !strings.Contains(m[0], "probe-of-the-listener") {
		t.Errorf("the console listener caught %q, want the probe", m)
	}

	// Keyboard: the first Tab reaches the skip link, which moves focus to the content.
	step(t, ctx, "tab to the skip link", chromedp.Navigate(ts.URL+"/"), chromedp.KeyEvent(kb.Tab))
	if got := eval[string](t, ctx, `document.activeElement.textContent`); got != "Skip to content" {
		t.Errorf("first Tab focuses %q, want the skip link", got)
	}

	// A user picks a state and an issue on the start page, with the keyboard, and sees its partners on that issue.
	step(t, ctx, "pick Iran and human rights",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.SendKeys(chromedp.CSS("#home-state"), "Iran"),
		chromedp.SetValue(chromedp.CSS("#home-issue"), "hr"),
		chromedp.SendKeys(chromedp.CSS("#home-state"), kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("#partners-h")),
	)
	if h := text(t, ctx, "h1"); !strings.HasPrefix(h, "Iran") {
		t.Errorf("after picking Iran the page is %q", h)
	}
	if h := text(t, ctx, "#partners-h"); h != "Closest partners on Human rights" {
		t.Errorf("partners heading %q", h)
	}
	// On human rights IRN votes yes always: CHN and CUB agree fully, RUS abstains (½), FRA, ISR and USA vote no.
	rows := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#partners-h ~ .chart-table tbody tr td:nth-child(2)")).map(td => td.textContent.trim())`)
	want := []string{"CHN China", "CUB Cuba", "RUS Russia", "FRA France", "ISR Israel", "USA United States"}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("partners on human rights: %q, want %q", rows, want)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#partners-chart rect").length`); n != 6 {
		t.Errorf("the bar chart has %d bars, want 6", n)
	}

	// Then compares it over time with chosen states.
	step(t, ctx, "compare with USA and France",
		chromedp.SetValue(chromedp.CSS("#with"), "USA, France"),
		chromedp.Click(chromedp.CSS("form.controls button[type=submit]")),
	)
	// The previous page has a chart too: wait for the new address and its load.
	waitFor(t, ctx, `location.search.includes("with=") && document.readyState === "complete" && !!document.querySelector("#time-chart")`)
	if h := text(t, ctx, "#time-h"); h != "agree over time with USA, FRA" {
		t.Errorf("over-time heading %q", h)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#time-chart .series").length`); n != 2 {
		t.Errorf("%d lines in the chart, want 2", n)
	}
	// FRA joins IRN on me from 2005: on human rights it never does, so FRA's agreement stays 0 on hr.
	cells := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#time-h ~ .chart-table tbody tr")).map(tr => Array.from(tr.cells).map(c => c.textContent.trim()).join(" "))`)
	if len(cells) != 10 || cells[0] != "2000 0 0" {
		t.Errorf("over-time table: %q", cells)
	}
	screenshot(t, ctx, "state-compare")

	// The same page shows Iran's ideal point per year with its band: Iran votes against the United States, so it is negative.
	if n := eval[int](t, ctx, `document.querySelectorAll("#ideal-chart .band").length`); n != 1 {
		t.Errorf("the ideal-point chart has %d bands, want 1 (error: %q)", n, eval[string](t, ctx, `(document.querySelector("#ideal-h ~ .error") || {}).textContent || ""`))
	}
	ideals := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#ideal-h ~ .chart-table tbody tr")).map(tr => tr.cells[0].textContent.trim() + " " + tr.cells[1].textContent.trim())`)
	if len(ideals) != 10 || !strings.HasPrefix(ideals[0], "2000 -") || !strings.HasPrefix(ideals[9], "2009 -") {
		t.Errorf("ideal-point table: %q, want Iran negative in each year 2000–2009", ideals)
	}
	if href := eval[string](t, ctx, `document.querySelector("#ideal-h ~ p a.csv").getAttribute("href")`); !strings.Contains(href, "/api/v1/ideal?") || !strings.Contains(href, "states=IRN") {
		t.Errorf("ideal-point CSV link %q", href)
	}

	// A user picks two states and an issue and sees the roll calls on which they split.
	step(t, ctx, "pick a pair",
		chromedp.Navigate(ts.URL+"/pair"),
		chromedp.SendKeys(chromedp.CSS("#a"), "United States"),
		chromedp.SendKeys(chromedp.CSS("#b"), "IRN"),
		chromedp.Click(chromedp.CSS("form.controls button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#splits-h")),
		chromedp.SetValue(chromedp.CSS("#issue"), "ec"),
		chromedp.Click(chromedp.CSS("form.controls button[type=submit]")),
	)
	waitFor(t, ctx, `location.search.includes("issue=ec") && document.readyState === "complete" && !!document.querySelector("#splits-count")`)
	if got := text(t, ctx, "#splits-count"); !strings.HasPrefix(got, "10 roll calls on Economic development") {
		t.Errorf("splits: %q", got)
	}
	if loc := eval[string](t, ctx, `location.pathname + location.search`); loc != "/pairs/USA/IRN?issue=ec" {
		t.Errorf("the address %q does not hold the choice", loc)
	}
	if v := eval[string](t, ctx, `document.querySelector(".splits tbody tr td:nth-child(4)").textContent`); v != "abstain" {
		t.Errorf("USA's vote on the newest ec split: %q, want abstain", v)
	}
	// Sorting a table by keyboard: focus a header button and press Enter.
	step(t, ctx, "sort the splits by date", chromedp.Focus(chromedp.CSS(".splits th:first-child button")), chromedp.KeyEvent(kb.Enter))
	if s := eval[string](t, ctx, `document.querySelector(".splits th:first-child").getAttribute("aria-sort")`); s != "ascending" {
		t.Errorf("aria-sort after sorting: %q", s)
	}
	if d := eval[string](t, ctx, `document.querySelector(".splits tbody tr td").textContent`); d != "2000-12-06" {
		t.Errorf("first date after sorting ascending: %q", d)
	}
	screenshot(t, ctx, "pair-ec")
	if m := errs.take(); len(m) > 0 {
		t.Errorf("console errors: %q", m)
	}
}
