package ideal

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
)

// nonLopsided returns the columns of sessions from … to on which, with
// abstentions as missing, at least 3 states voted yes and at least 3 no: the
// roll calls that the reference scripts in shared/bench keep.
func nonLopsided(m *concord.Matrix, from, to int) []int {
	var out []int
	for _, c := range sessionCols(m, from, to) {
		var yes, no int
		for s := range m.States {
			switch m.Vote(s, c) {
			case concord.Yes:
				yes++
			case concord.No:
				no++
			}
		}
		if yes >= 3 && no >= 3 {
			out = append(out, c)
		}
	}
	return out
}

// TestComparePscl compares the static yes/no fit of one session with
// pscl::ideal's, from the CSV that shared/bench/mcmc_ideal.R writes
// (pscl_sSESSION.csv). It runs only when IDEAL_PSCL names that file; see
// testdata/compare.sh.
func TestComparePscl(t *testing.T) {
	path := os.Getenv("IDEAL_PSCL")
	if path == "" {
		t.Skip("set IDEAL_PSCL to a pscl_sNN.csv written by shared/bench/mcmc_ideal.R (see testdata/compare.sh)")
	}
	sm := regexp.MustCompile(`pscl_s(\d+)\.csv$`).FindStringSubmatch(path)
	if sm == nil {
		t.Fatalf("%s: name is not pscl_sSESSION.csv", path)
	}
	session, _ := strconv.Atoi(sm[1])
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m := realMatrix(t)
	cols := nonLopsided(m, session, session)
	start := time.Now()
	res, err := Estimate(context.Background(), m, cols, Options{Binary: true})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	ours := map[string]float64{}
	for _, p := range res.Points {
		ours[p.State] = p.Ideal
	}
	var x, y []float64
	for i, r := range recs[1:] {
		st, err := countries.Lookup(r[0])
		if err != nil {
			t.Fatalf("%s:%d: %v", path, i+2, err)
		}
		key := st.Code
		v, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatalf("%s:%d: %v", path, i+2, err)
		}
		if o, ok := ours[key]; ok {
			x, y = append(x, o), append(y, v)
		}
	}
	r := corr(x, y)
	t.Logf("session %d: %d roll calls, %d states in common; |cor(concord, pscl)| = %.4f; concord %v (%d iterations)",
		session, len(cols), len(x), math.Abs(r), took, res.Iterations)
	// For information: the ordinal fit of all the session's roll calls.
	ord, err := Estimate(context.Background(), m, sessionCols(m, session, session), Options{})
	if err != nil {
		t.Fatal(err)
	}
	oi := map[string]float64{}
	for _, p := range ord.Points {
		oi[p.State] = p.Ideal
	}
	x, y = x[:0], y[:0]
	for _, r := range recs[1:] {
		st, _ := countries.Lookup(r[0])
		v, _ := strconv.ParseFloat(r[1], 64)
		if o, ok := oi[st.Code]; ok {
			x, y = append(x, o), append(y, v)
		}
	}
	t.Logf("ordinal fit of all %d roll calls of the session: |cor| with pscl = %.4f", len(sessionCols(m, session, session)), math.Abs(corr(x, y)))
	if math.Abs(r) < 0.95 {
		t.Errorf("|correlation| with pscl::ideal %.4f < 0.95", math.Abs(r))
	}
}
