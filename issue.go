package concord

import (
	"fmt"
	"strings"
)

// Issue is the two-letter code of an issue that roll calls are tagged with in
// Voeten's data.
type Issue string

// The issue codes of Voeten's UN General Assembly voting data.
const (
	IssueMiddleEast  Issue = "me"
	IssueNuclear     Issue = "nu"
	IssueArmsControl Issue = "di"
	IssueHumanRights Issue = "hr"
	IssueColonialism Issue = "co"
	IssueEconomic    Issue = "ec"
)

// Issues lists every issue code in the order of Voeten's data.
var Issues = []Issue{IssueMiddleEast, IssueNuclear, IssueArmsControl, IssueHumanRights, IssueColonialism, IssueEconomic}

// Name returns the issue's English name, as in Voeten's data.
func (i Issue) Name() string {
	switch i {
	case IssueMiddleEast:
		return "Palestinian conflict"
	case IssueNuclear:
		return "Nuclear weapons and nuclear material"
	case IssueArmsControl:
		return "Arms control and disarmament"
	case IssueHumanRights:
		return "Human rights"
	case IssueColonialism:
		return "Colonialism"
	case IssueEconomic:
		return "Economic development"
	}
	return ""
}

// ParseIssue accepts an issue code (me, nu, di, hr, co, ec) or its English name, case-insensitive.
func ParseIssue(s string) (Issue, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, i := range Issues {
		if t == string(i) || t == strings.ToLower(i.Name()) {
			return i, nil
		}
	}
	return "", fmt.Errorf("unknown issue %q (want one of me, nu, di, hr, co, ec)", s)
}
