package blocs

import (
	"fmt"
	"strconv"

	"github.com/concord-project/concord/align"
)

// Metric is the alignment measure that weights the edges of the agreement
// graph. Its zero value is Kappa, the default, so that Options that leave it
// unset get chance-corrected weights (see the package comment for why).
type Metric int

// The metrics of the agreement graph, each one of package align's.
const (
	Kappa       Metric = iota // Cohen's kappa (align.Kappa), chance-corrected: the default
	Agree                     // share of agreement (align.Agree)
	SScore                    // Signorino–Ritter S (align.SScore)
	Coincidence               // votes-only coincidence (align.Coincidence)
)

// DefaultMetric is the metric of Options that leave Metric unset, and of
// `concord blocs`, the API's /api/v1/blocs, the /blocs page and the brief
// unless told otherwise.
const DefaultMetric = Kappa

var toAlign = [...]align.Metric{Kappa: align.Kappa, Agree: align.Agree, SScore: align.SScore, Coincidence: align.Coincidence}

// MetricOf returns the Metric that is package align's m.
func MetricOf(m align.Metric) (Metric, error) {
	for b, a := range toAlign {
		if a == m {
			return Metric(b), nil
		}
	}
	return 0, fmt.Errorf("unknown metric %v", m)
}

// ParseMetric parses a metric name as align.ParseMetric does (agree, s_score,
// kappa or coincidence).
func ParseMetric(s string) (Metric, error) {
	m, err := align.ParseMetric(s)
	if err != nil {
		return 0, err
	}
	return MetricOf(m)
}

// Align returns package align's metric m is, or −1 when m is none of the four.
func (m Metric) Align() align.Metric {
	if !m.valid() {
		return -1
	}
	return toAlign[m]
}

func (m Metric) valid() bool { return m >= 0 && int(m) < len(toAlign) }

// String returns the metric's name as align.Metric writes it: kappa, agree, s_score or coincidence.
func (m Metric) String() string {
	if !m.valid() {
		return "Metric(" + strconv.Itoa(int(m)) + ")"
	}
	return toAlign[m].String()
}

// MarshalText writes the metric's name, so that it is a string in JSON.
func (m Metric) MarshalText() ([]byte, error) {
	if !m.valid() {
		return nil, fmt.Errorf("unknown metric %d", int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText reads a name as ParseMetric does.
func (m *Metric) UnmarshalText(b []byte) error {
	v, err := ParseMetric(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
