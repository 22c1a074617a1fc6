package blocs

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/internal/testdata"
)

// TestCompareWithIgraphLeiden runs the reference script
// /work/shared/bench/igraph_leiden.py (python-igraph's Leiden, best of 5 runs
// per year on the yearly agreement graphs) and Leiden of this package on the
// same graphs, and compares modularity year by year and the total time. It
// is outside CI: it runs only with CONCORD_IGRAPH=1 (and python3-igraph
// installed); set CONCORD_IGRAPH_SCRIPT to use another copy of the script.
func TestCompareWithIgraphLeiden(t *testing.T) {
	if os.Getenv("CONCORD_IGRAPH") != "1" {
		t.Skip("comparison with python-igraph: set CONCORD_IGRAPH=1")
	}
	script := os.Getenv("CONCORD_IGRAPH_SCRIPT")
	if script == "" {
		script = filepath.Join(testdata.Dir(t), "..", "bench", "igraph_leiden.py")
	}
	cmd := exec.Command("/usr/bin/python3", script)
	var env []string
	for _, e := range os.Environ() { // the reference is timed without these OpenBLAS settings
		if !bytes.HasPrefix([]byte(e), []byte("OPENBLAS_CORETYPE=")) && !bytes.HasPrefix([]byte(e), []byte("OPENBLAS_L2_SIZE=")) {
			env = append(env, e)
		}
	}
	cmd.Env = append(env, "UNGA="+filepath.Join(testdata.Dir(t), "unga"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	line := regexp.MustCompile(`^(\d+) states=(\d+) rollcalls=(\d+) blocs=(\d+) Q=([0-9.\-]+) graph_s=[0-9.]+ leiden_s=([0-9.]+)`)
	ix := realIndex(t)
	var igraphTotal, oursTotal time.Duration
	worst, sumRel, n := 0.0, 0.0, 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	var report bytes.Buffer
	fmt.Fprintf(&report, "%-5s %7s %7s %10s %10s %7s %7s\n", "year", "states", "blocs", "Q igraph", "Q concord", "blocs", "Δ%")
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		year, _ := strconv.Atoi(m[1])
		qRef, _ := strconv.ParseFloat(m[5], 64)
		secs, _ := strconv.ParseFloat(m[6], 64)
		igraphTotal += time.Duration(secs * float64(time.Second))
		pairs, err := ix.AllPairs(align.Window{From: year, To: year}, align.Agree)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		g, err := AgreementGraph(pairs, GraphOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p := Leiden(g, LeidenOptions{Restarts: 5})
		oursTotal += time.Since(start)
		rel := 0.0
		if qRef != 0 {
			rel = (p.Quality - qRef) / qRef
		}
		fmt.Fprintf(&report, "%-5d %7s %7s %10.5f %10.5f %7d %+7.2f\n", year, m[2], m[4], qRef, p.Quality, len(p.Communities), 100*rel)
		worst = min(worst, rel)
		sumRel += rel
		n++
		if rel < -0.01 {
			t.Errorf("%d: modularity %.5f more than 1%% below igraph's %.5f", year, p.Quality, qRef)
		}
	}
	if n == 0 {
		t.Fatalf("no yearly results in the reference output:\n%s", out)
	}
	t.Logf("\n%s", report.String())
	t.Logf("%d years: mean Δ %+.3f%%, worst %+.3f%%; time for graph + 5 Leiden runs per year: igraph %.3f s, concord %.3f s",
		n, 100*sumRel/float64(n), 100*worst, igraphTotal.Seconds(), oursTotal.Seconds())
}
