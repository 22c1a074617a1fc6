package worker

import concord "github.com/concord-project/concord"

func concordFilter(a, b string) concord.EventFilter { return concord.EventFilter{A: a, B: b} }
