package blocs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/concord-project/concord/align"
)

func TestMetricZeroValueIsKappaAndNamesMatchAlign(t *testing.T) {
	var o Options
	if o.Metric != Kappa || DefaultMetric != Kappa || o.Metric.Align() != align.Kappa {
		t.Errorf("zero Options weigh by %v, want kappa", o.Metric)
	}
	for _, a := range align.Metrics {
		m, err := MetricOf(a)
		if err != nil || m.Align() != a || m.String() != a.String() {
			t.Errorf("%v: MetricOf gives %v, %v", a, m, err)
		}
		p, err := ParseMetric(strings.ToUpper(a.String()))
		if err != nil || p != m {
			t.Errorf("ParseMetric(%q) = %v, %v; want %v", strings.ToUpper(a.String()), p, err, m)
		}
		js, err := json.Marshal(struct{ M Metric }{m})
		var back struct{ M Metric }
		if err != nil || json.Unmarshal(js, &back) != nil || back.M != m || !strings.Contains(string(js), `"`+a.String()+`"`) {
			t.Errorf("%v: JSON %s, read back %v", m, js, back.M)
		}
	}
	if _, err := ParseMetric("ideal"); err == nil || !strings.Contains(err.Error(), "ideal") {
		t.Errorf("ParseMetric(ideal): %v", err)
	}
	if _, err := MetricOf(align.Metric(9)); err == nil {
		t.Error("MetricOf(9) gave no error")
	}
	if _, err := Analyze(align.NewIndex(synthetic()), Options{Metric: Metric(7)}); err == nil || !strings.Contains(err.Error(), "metric 7") {
		t.Errorf("Analyze with metric 7: %v", err)
	}
	if s := Metric(7).String(); s != "Metric(7)" {
		t.Errorf("Metric(7) prints as %q", s)
	}
}
