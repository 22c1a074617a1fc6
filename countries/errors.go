package countries

import (
	"fmt"
	"strings"

	concord "github.com/concord-project/concord"
)

// UnknownError is returned by Lookup for a query that names no state; its
// Suggestions are the closest matches, best first, possibly none, and
// Reason, when not empty, says why a code matched nothing.
type UnknownError struct {
	Query       string
	Suggestions []concord.State
	Reason      string
}

// Error reads like: unknown state "Iram": did you mean Iran (IRN), Iraq (IRQ)?
func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("unknown state %q", e.Query)
	if strings.TrimSpace(e.Query) == "" {
		return msg + ": empty name or code"
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	if len(e.Suggestions) == 0 {
		return msg
	}
	sep := ": "
	if e.Reason != "" {
		sep = "; "
	}
	return msg + sep + "did you mean " + list(e.Suggestions) + "?"
}

// AmbiguousError is returned by Lookup for a name shared by several states,
// such as "Korea"; Candidates are those states.
type AmbiguousError struct {
	Query      string
	Candidates []concord.State
}

// Error reads like: ambiguous state "Korea": could be North Korea (PRK), South Korea (KOR).
func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("ambiguous state %q: could be %s", e.Query, list(e.Candidates))
}

func list(ss []concord.State) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.Name + " (" + s.Code + ")"
	}
	return strings.Join(parts, ", ")
}
