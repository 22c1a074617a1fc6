// Package countries turns any spelling or code of a state into concord's
// canonical State. (STUB: the API is fixed, the table is being written.)
package countries

import (
	"errors"

	concord "github.com/concord-project/concord"
)

// All returns every state, present and historical, sorted by Code.
func All() []concord.State { return nil }

// ByCode returns the state whose Code is code (upper case, exact).
func ByCode(code string) (concord.State, bool) { return concord.State{}, false }

// ByCOW returns the state with Correlates of War numeric code n.
func ByCOW(n int) (concord.State, bool) { return concord.State{}, false }

// ByISO2 returns the state with ISO 3166-1 alpha-2 code c, including the
// former codes of dissolved states (CS, YU, DD, YD, SU).
func ByISO2(c string) (concord.State, bool) { return concord.State{}, false }

// Lookup resolves q, any code or spelling of a state, case-insensitive.
func Lookup(q string) (concord.State, error) { return concord.State{}, errors.New("not implemented") }

// Search returns the states whose codes or names match q, best first.
func Search(q string) []concord.State { return nil }
