package concord

import (
	"fmt"
	"strings"
)

// Vote is one state's recorded position on one roll call. The numeric values
// are those of Voeten's UN General Assembly voting data.
type Vote uint8

// The recorded positions. VoteMissing means no record exists at all.
const (
	VoteMissing Vote = 0
	Yes         Vote = 1
	Abstain     Vote = 2
	No          Vote = 3
	Absent      Vote = 8
	NonMember   Vote = 9
)

// Cast reports whether v is a vote actually cast: yes, abstain or no.
func (v Vote) Cast() bool { return v == Yes || v == Abstain || v == No }

// Valid reports whether v is one of the defined positions other than VoteMissing.
func (v Vote) Valid() bool { return v.Cast() || v == Absent || v == NonMember }

// String returns the lower-case name of v: yes, abstain, no, absent, nonmember or missing.
func (v Vote) String() string {
	switch v {
	case Yes:
		return "yes"
	case Abstain:
		return "abstain"
	case No:
		return "no"
	case Absent:
		return "absent"
	case NonMember:
		return "nonmember"
	case VoteMissing:
		return "missing"
	}
	return fmt.Sprintf("Vote(%d)", uint8(v))
}

// ParseVote parses the name of a vote as printed by String (case-insensitive).
func ParseVote(s string) (Vote, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes":
		return Yes, nil
	case "abstain":
		return Abstain, nil
	case "no":
		return No, nil
	case "absent":
		return Absent, nil
	case "nonmember", "non-member", "not a member":
		return NonMember, nil
	}
	return VoteMissing, fmt.Errorf("unknown vote %q (want yes, abstain, no, absent or nonmember)", s)
}
