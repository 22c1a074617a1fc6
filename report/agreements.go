package report

import (
	"fmt"
	"strconv"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
)

// AgreementTable is one agreement as `concord agreements show` prints it: one
// row per fact, one per party with its dates, then one per commitment in cs.
func AgreementTable(a concord.Agreement, cs []concord.Commitment) output.Table {
	t := output.Table{Columns: []string{"what", "value", "signature", "ratification", "force", "withdrawal"}}
	row := func(k, v string) { t.Rows = append(t.Rows, []any{k, v, "", "", "", ""}) }
	row("id", a.ID)
	row("title", a.Title)
	row("kind", string(a.Kind))
	row("fields", strings.Join(a.Fields, " "))
	row("subject", a.Subject)
	row("status", string(a.Status))
	row("signed", a.Signed)
	row("in force", a.Force)
	row("ended", a.End)
	row("place", a.Place)
	row("sources", strings.Join(a.Sources, " | "))
	row("tags", strings.Join(a.Tags, " "))
	row("summary", a.Summary)
	row("version", strconv.Itoa(a.Version))
	for _, p := range a.Parties {
		name := p.State
		if p.NonState {
			name += " (not a state)"
		}
		t.Rows = append(t.Rows, []any{"party", name, p.Signature, p.Ratification, p.Force, p.Withdrawal})
	}
	for _, c := range cs {
		row(fmt.Sprintf("commitment %d", c.ID), fmt.Sprintf("%s — %s, due %s, %s %d%%", c.Text, c.Responsible, c.Due, c.Status, c.Progress))
	}
	return t
}
