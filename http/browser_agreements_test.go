package http

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	concord "github.com/concord-project/concord"
)

// An editor logs in, filters the agreements of France and Germany in
// science, opens one, marks a commitment done and sees it saved; then edits
// it again after someone else did and is shown the conflict. Pages are
// screenshot to testout/http/agreements-*.png.
func TestBrowserAgreements(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests take a few seconds")
	}
	e := newRegEnv(t, regBackends[0])
	ctx := browser(t)
	var errs consoleErrors
	errs.listen(t, ctx)
	noErrors := func(where string) {
		t.Helper()
		if m := errs.take(); len(m) > 0 {
			t.Errorf("%s: console errors: %q", where, m)
		}
	}

	step(t, ctx, "open the login page", chromedp.Navigate(e.ts.URL+"/login?next=/agreements"), chromedp.WaitVisible(chromedp.CSS("#password")))
	screenshot(t, ctx, "agreements-login")
	step(t, ctx, "log in as eve",
		chromedp.SendKeys(chromedp.CSS("#name"), "eve"),
		chromedp.SendKeys(chromedp.CSS("#password"), regPassword),
		chromedp.Click(chromedp.CSS("form.login button")),
		chromedp.WaitVisible(chromedp.CSS("#agreements")),
	)
	if s := text(t, ctx, ".regbar"); !strings.Contains(s, "Logged in as eve (editor)") {
		t.Errorf("after login the bar says %q", s)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#agreements tbody tr").length`); n != 4 {
		t.Errorf("the unfiltered list has %d rows, want the 4 agreements", n)
	}
	screenshot(t, ctx, "agreements-list")
	noErrors("list")

	step(t, ctx, "filter France, Germany, science",
		chromedp.SendKeys(chromedp.CSS("#party1"), "FRA"),
		chromedp.SendKeys(chromedp.CSS("#party2"), "Germany"),
		chromedp.SetValue(chromedp.CSS("#field"), "science"),
		chromedp.Click(chromedp.CSS("form.controls button")),
		chromedp.WaitVisible(chromedp.CSS("#tl-h")),
	)
	rows := eval[[]string](t, ctx, `[...document.querySelectorAll("#agreements tbody tr")].map(r => r.textContent)`)
	if len(rows) != 1 || !strings.Contains(rows[0], "Agreement on Scientific Cooperation") {
		t.Errorf("filtered rows: %q", rows)
	}
	if got := eval[string](t, ctx, `location.search`); !strings.Contains(got, "party=FRA") || !strings.Contains(got, "party=Germany") || !strings.Contains(got, "field=science") {
		t.Errorf("filter URL %s", got)
	}
	whole, err := e.reg.Timeline(context.Background(), "FRA", "DEU")
	if err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, "#tl-count"); s != fmt.Sprintf("Steps 1–%d of %d", len(whole), len(whole)) {
		t.Errorf("the timeline says %q; want all %d steps on one page", s, len(whole))
	}
	if href := eval[string](t, ctx, `document.querySelector("#tl-h ~ p a.csv").getAttribute("href")`); href != "/api/v1/timeline?a=FRA&b=DEU&format=csv&limit=0" {
		t.Errorf("timeline CSV link %q, want the whole timeline (limit=0)", href)
	}
	screenshot(t, ctx, "agreements-filtered")
	noErrors("filtered list")

	step(t, ctx, "open the agreement",
		chromedp.Click(chromedp.CSS(`#agreements a[href="/agreements/DEU-FRA_2001A"]`)),
		chromedp.WaitVisible(chromedp.CSS("#commitments")),
	)
	if s := text(t, ctx, "#c2 .cstatus"); !strings.Contains(s, "in-progress") || !strings.Contains(s, "overdue") {
		t.Errorf("commitment 2 before: %q", s)
	}
	screenshot(t, ctx, "agreements-detail")
	noErrors("detail")

	step(t, ctx, "edit commitment 2",
		chromedp.Click(chromedp.CSS(`#c2 a[href="/commitments/2/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#status")),
	)
	screenshot(t, ctx, "agreements-commitment-form")
	step(t, ctx, "mark it done",
		chromedp.SetValue(chromedp.CSS("#status"), "done"),
		chromedp.SetValue(chromedp.CSS("#progress"), "100"),
		chromedp.Click(chromedp.CSS("form.record button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".saved")),
	)
	if s := text(t, ctx, "#c2 .cstatus"); !strings.Contains(s, "done") || strings.Contains(s, "overdue") {
		t.Errorf("commitment 2 after saving: %q", s)
	}
	if s := text(t, ctx, "#history tbody tr:first-child"); !strings.Contains(s, "eve") || !strings.Contains(s, "commitment 2") || !strings.Contains(s, "progress, status") {
		t.Errorf("newest history row: %q", s)
	}
	screenshot(t, ctx, "agreements-saved")
	noErrors("saved")
	if c, err := e.reg.Commitment(t.Context(), 2); err != nil || c.Status != concord.CommitmentDone || c.Progress != 100 {
		t.Errorf("stored: %+v %v", c, err)
	}

	// Someone else saves while the form is open: the second save is refused, plainly.
	step(t, ctx, "open the form again", chromedp.Navigate(e.ts.URL+"/commitments/2/edit"), chromedp.WaitVisible(chromedp.CSS("#notes")))
	c, _ := e.reg.Commitment(t.Context(), 2)
	c.Notes = "Inaugurated in March."
	if _, err := e.reg.UpdateCommitment(t.Context(), concord.User{Name: "ed", Role: concord.RoleEditor}, c); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "save a stale form",
		chromedp.SendKeys(chromedp.CSS("#notes"), "Opening delayed."),
		chromedp.Click(chromedp.CSS("form.record button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#conflict")),
	)
	if s := text(t, ctx, "#conflict"); !strings.Contains(s, "not saved") || !strings.Contains(s, "ed saved this commitment") || !strings.Contains(s, "Inaugurated in March.") || !strings.Contains(s, "Opening delayed.") {
		t.Errorf("conflict message: %q", s)
	}
	screenshot(t, ctx, "agreements-conflict")
	for _, m := range errs.take() { // the browser logs the 409 itself; nothing else may be logged
		if !strings.Contains(m, "409") {
			t.Errorf("conflict: console error %q", m)
		}
	}
	if c, _ := e.reg.Commitment(t.Context(), 2); c.Notes != "Inaugurated in March." {
		t.Errorf("the stale save overwrote: %q", c.Notes)
	}

	// In this order: the rates page must be the one loaded when its rows are counted.
	for _, p := range []struct{ name, path string }{
		{"agreements-overdue", "/commitments?view=overdue&as_of=2013-01-01"},
		{"agreements-rates", "/agreements/rates?by=pair&party=FRA&as_of=2013-01-01"},
	} {
		step(t, ctx, "loading "+p.path, chromedp.Navigate(e.ts.URL+p.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		screenshot(t, ctx, p.name)
		noErrors(p.path)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#rates tbody tr").length`); n != 3 {
		t.Errorf("rates of France's pairs: %d rows, want 3 (CAN, DEU, USA)", n)
	}
}
