// Package sqlq holds what concord's SQL layers (internal/regsql,
// internal/eventsql) share to run one query text on SQLite and PostgreSQL.
package sqlq

import (
	"strconv"
	"strings"
)

// Dollar rewrites the '?' placeholders of query to PostgreSQL's $1, $2 …
// (queries hold no '?' inside string literals).
func Dollar(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
