package concord

import (
	"fmt"
	"time"
)

// Flag is a yes/no attribute that a data set may leave unknown.
type Flag int8

// The values of a Flag. The zero value is FlagUnknown.
const (
	FlagUnknown Flag = 0
	FlagFalse   Flag = 1
	FlagTrue    Flag = 2
)

// FlagOf returns FlagTrue or FlagFalse for b.
func FlagOf(b bool) Flag {
	if b {
		return FlagTrue
	}
	return FlagFalse
}

// RollCall is one recorded vote of the UN General Assembly.
type RollCall struct {
	RCID       int       // roll-call id of Voeten's data; unique
	Session    int       // UN General Assembly session (1 = 1946)
	Date       time.Time // day of the vote (UTC midnight); zero when unknown
	Resolution string    // resolution code such as A/RES/74/56, or ""
	Important  Flag      // classified important by the US State Department
	Amend      Flag      // the vote was on an amendment
	Para       Flag      // the vote was on a paragraph only
	Short      string    // short description
	Descr      string    // long description or title
	Issues     []Issue   // issue tags, sorted in the order of Issues
}

// Year returns the calendar year of the vote date, or 0 if it is unknown.
func (r RollCall) Year() int {
	if r.Date.IsZero() {
		return 0
	}
	return r.Date.Year()
}

// HasIssue reports whether r is tagged with issue i.
func (r RollCall) HasIssue(i Issue) bool {
	for _, x := range r.Issues {
		if x == i {
			return true
		}
	}
	return false
}

// VoteRecord is one state's vote on one roll call.
type VoteRecord struct {
	RCID  int
	State string // State.Code
	Vote  Vote
	Pos   Pos // where it was read, for error messages; zero when not from a file
}

// Pos is a place in an input file.
type Pos struct {
	File   string
	Line   int // 1-based; 0 when unknown
	Column int // 1-based; 0 when unknown
}

// String formats p as file:line:column, leaving out the parts that are unknown.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Dataset is a batch of roll calls and votes read from files, ready to import.
type Dataset struct {
	RollCalls   []RollCall
	Votes       []VoteRecord
	RollCallPos map[int]Pos // where each roll call was first read
	Warnings    []string    // things a reader noticed but did not reject, e.g. roll-call fields on which two files disagree
}
