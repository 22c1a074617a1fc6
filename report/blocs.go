package report

import (
	"fmt"

	"github.com/concord-project/concord/blocs"
)

// BlocsKey is the key under which the blocs of options o are kept in a
// concord.ResultCache (kind "blocs"): every option spelled out.
func BlocsKey(o blocs.Options) string { return fmt.Sprintf("%+v", o) }
