package unga

import (
	"fmt"

	concord "github.com/concord-project/concord"
)

// InputError is a problem with an input file, located at Pos.
type InputError struct {
	Pos concord.Pos // where the problem is (file, line and column when known)
	Msg string      // what is wrong, starting with the column name when it concerns one field
}

// Error formats the error as file:line:column: message.
func (e *InputError) Error() string {
	return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
}

// inputErrorf returns an *InputError at pos.
func inputErrorf(pos concord.Pos, format string, args ...any) error {
	return &InputError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
