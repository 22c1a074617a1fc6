package unga

import (
	"context"
	"strconv"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
)

// readVotes reads the votes file of the three-table release.
func (b *Batch) readVotes(ctx context.Context, f *fileReader) error {
	for {
		ok, err := f.next(ctx)
		if !ok {
			return err
		}
		rcid, err := f.rcid(vRCID)
		if err != nil {
			return err
		}
		state, msg := b.states.votesState(f.field(vCountry), f.field(vCode))
		if msg != "" {
			i := vCountry
			if f.idx[i] < 0 || f.field(vCode) != "" {
				i = vCode
			}
			return f.errf(i, "%s", msg)
		}
		raw := f.field(vVote)
		v, err := concord.ParseVote(raw)
		if err != nil || v == concord.VoteMissing {
			return f.errf(vVote, "bad vote %q (want yes, no or abstain)", raw)
		}
		if err := b.addVote(f, rcid, state, v, vVote); err != nil {
			return err
		}
	}
}

// readRollCalls reads the roll-calls file of the three-table release.
func (b *Batch) readRollCalls(ctx context.Context, f *fileReader) error {
	for {
		ok, err := f.next(ctx)
		if !ok {
			return err
		}
		var rc concord.RollCall
		if rc.RCID, err = f.rcid(rRCID); err != nil {
			return err
		}
		if rc.Session, err = f.session(rSession); err != nil {
			return err
		}
		if rc.Date, err = f.date(rDate); err != nil {
			return err
		}
		if rc.Important, err = f.flag(rImportant); err != nil {
			return err
		}
		if rc.Amend, err = f.flag(rAmend); err != nil {
			return err
		}
		if rc.Para, err = f.flag(rPara); err != nil {
			return err
		}
		rc.Resolution = strings.Clone(f.field(rUnres))
		rc.Short = strings.Clone(f.field(rShort))
		rc.Descr = strings.Clone(f.field(rDescr))
		b.addRollCall(rc, 0, f.pos(rRCID))
	}
}

// readIssues reads the issues file of the three-table release.
func (b *Batch) readIssues(ctx context.Context, f *fileReader) error {
	for {
		ok, err := f.next(ctx)
		if !ok {
			return err
		}
		rcid, err := f.rcid(iRCID)
		if err != nil {
			return err
		}
		code := f.field(iShort)
		iss, err := concord.ParseIssue(code)
		if err != nil || code == "" {
			return f.errf(iShort, "unknown issue code %q (want one of me, nu, di, hr, co, ec)", code)
		}
		if name := f.field(iName); name != "" && !strings.EqualFold(name, iss.Name()) {
			return f.errf(iName, "issue %q does not match short_name %q (%s)", name, code, iss.Name())
		}
		t := b.tags[rcid]
		if t == nil {
			t = &tagEntry{pos: f.pos(iRCID)}
			b.tags[rcid] = t
			b.tagOrder = append(b.tagOrder, rcid)
		}
		t.issues |= issueBit(iss)
	}
}

// issueBit is the bit of issue i in a roll call's issue mask.
func issueBit(i concord.Issue) uint8 {
	for k, x := range concord.Issues {
		if x == i {
			return 1 << k
		}
	}
	return 0
}

// readComplete reads Voeten's complete-votes layout: one row per state and
// roll call, the roll call's fields repeated on each row.
func (b *Batch) readComplete(ctx context.Context, f *fileReader) error {
	cache := newRowCache(f, cRCID, cSession, cImportant, cDate, cUnres, cAmend, cPara, cShort, cDescr, cME, cNU, cDI, cHR, cCO, cEC)
	var rcid int
	for {
		ok, err := f.next(ctx)
		if !ok {
			return err
		}
		if !cache.same(f.rec) {
			var rc concord.RollCall
			if rc.RCID, err = f.rcid(cRCID); err != nil {
				return err
			}
			if rc.Session, err = f.session(cSession); err != nil {
				return err
			}
			if rc.Date, err = f.date(cDate); err != nil {
				return err
			}
			if rc.Important, err = f.flag(cImportant); err != nil {
				return err
			}
			if rc.Amend, err = f.flag(cAmend); err != nil {
				return err
			}
			if rc.Para, err = f.flag(cPara); err != nil {
				return err
			}
			rc.Resolution = strings.Clone(f.field(cUnres))
			rc.Short = strings.Clone(f.field(cShort))
			rc.Descr = strings.Clone(f.field(cDescr))
			var issues uint8
			for k := range concord.Issues {
				fl, err := f.flag(cME + k)
				if err != nil {
					return err
				}
				if fl == concord.FlagTrue {
					issues |= 1 << k
				}
			}
			b.addRollCall(rc, issues, f.pos(cRCID))
			cache.save(f.rec)
			rcid = rc.RCID
		}
		ccode, err := f.integer(cCCode)
		if err != nil {
			return err
		}
		state, msg := b.states.cowState(ccode)
		if msg != "" {
			return f.errf(cCCode, "%s", msg)
		}
		raw := f.field(cVote)
		v := completeVote(raw)
		if v == concord.VoteMissing {
			return f.errf(cVote, "bad vote code %q (want 1 yes, 2 abstain, 3 no, 8 absent or 9 not a member)", raw)
		}
		if err := b.addVote(f, rcid, state, v, cVote); err != nil {
			return err
		}
	}
}

// completeVote parses a vote code of Voeten's data; VoteMissing when invalid.
func completeVote(s string) concord.Vote {
	if len(s) == 1 {
		switch s[0] {
		case '1':
			return concord.Yes
		case '2':
			return concord.Abstain
		case '3':
			return concord.No
		case '8':
			return concord.Absent
		case '9':
			return concord.NonMember
		}
	}
	return concord.VoteMissing
}

// readUNDL reads the UN Digital Library's voting data: one row per member
// state and voting record. The roll call's rcid is UNDLRCIDBase + undl_id.
func (b *Batch) readUNDL(ctx context.Context, f *fileReader) error {
	cache := newRowCache(f, uID, uDate, uSession, uResolution, uTitle, uAgenda)
	var rcid int
	var date time.Time
	for {
		ok, err := f.next(ctx)
		if !ok {
			return err
		}
		if !cache.same(f.rec) {
			id, err := f.integer(uID)
			if err != nil {
				return err
			}
			if id <= 0 || id >= UNDLRCIDBase {
				return f.errf(uID, "record number %d out of range (want 1 to %d)", id, UNDLRCIDBase-1)
			}
			rc := concord.RollCall{RCID: UNDLRCIDBase + id, Amend: concord.FlagFalse, Para: concord.FlagFalse}
			if rc.Date, err = f.date(uDate); err != nil {
				return err
			}
			if rc.Session, err = f.undlSession(rc.Date); err != nil {
				return err
			}
			rc.Resolution = strings.Clone(f.field(uResolution))
			rc.Descr = strings.Clone(f.field(uTitle))
			rc.Short = strings.Clone(f.field(uAgenda))
			b.addRollCall(rc, 0, f.pos(uID))
			cache.save(f.rec)
			rcid, date = rc.RCID, rc.Date
		}
		state, msg := b.states.undlState(f.field(uCode), f.field(uName), date)
		if msg != "" {
			i := uCode
			if f.idx[i] < 0 {
				i = uName
			}
			return f.errf(i, "%s", msg)
		}
		raw := f.field(uVote)
		var v concord.Vote
		switch strings.ToUpper(raw) {
		case "Y":
			v = concord.Yes
		case "N":
			v = concord.No
		case "A":
			v = concord.Abstain
		case "", "X", "NV":
			v = concord.Absent
		default:
			return f.errf(uVote, "bad vote %q (want Y, N, A, or X, NV or empty for non-voting)", raw)
		}
		if err := b.addVote(f, rcid, state, v, uVote); err != nil {
			return err
		}
	}
}

// integer parses layout field i as a decimal integer.
func (f *fileReader) integer(i int) (int, error) {
	s := f.field(i)
	n, err := strconv.Atoi(s)
	if err != nil {
		if s == "" {
			return 0, f.errf(i, "empty; want a whole number")
		}
		return 0, f.errf(i, "malformed number %q", s)
	}
	return n, nil
}

// rcid parses layout field i as a positive roll-call id.
func (f *fileReader) rcid(i int) (int, error) {
	n, err := f.integer(i)
	if err == nil && (n <= 0 || n >= UNDLRCIDBase) {
		return 0, f.errf(i, "rcid %d out of range (want 1 to %d; larger ids are those of UN Digital Library records)", n, UNDLRCIDBase-1)
	}
	return n, err
}

// session parses layout field i as a session number (1 = 1946).
func (f *fileReader) session(i int) (int, error) {
	n, err := f.integer(i)
	if err == nil && (n < 1 || n > 999) {
		return 0, f.errf(i, "session %d out of range (want 1 to 999)", n)
	}
	return n, err
}

// undlSession reads the session of a UN Digital Library row. A number is a
// regular session. A special (S-n) or emergency special (ES-n) session is
// filed, as Voeten's data files them, under the regular session numbered
// after the vote's calendar year (year − 1945). Without a session, the vote
// is placed in the regular session running at its date: year − 1945 from
// September on, else year − 1946.
func (f *fileReader) undlSession(date time.Time) (int, error) {
	s := f.field(uSession)
	if s == "" {
		if date.IsZero() {
			return 0, f.errf(uSession, "no session and no date")
		}
		if date.Month() >= time.September {
			return date.Year() - 1945, nil
		}
		return date.Year() - 1946, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 999 {
			return 0, f.errf(uSession, "session %d out of range (want 1 to 999)", n)
		}
		return n, nil
	}
	u := strings.ToUpper(s)
	num, special := strings.CutPrefix(u, "ES-")
	if !special {
		num, special = strings.CutPrefix(u, "S-")
	}
	if n, err := strconv.Atoi(num); !special || err != nil || n < 1 {
		return 0, f.errf(uSession, "malformed session %q (want a number, S-n or ES-n)", s)
	}
	if date.IsZero() {
		return 0, f.errf(uSession, "special session %q without a date: cannot place it in a regular session", s)
	}
	return date.Year() - 1945, nil
}

// flag parses layout field i as 0, 1 or empty (unknown).
func (f *fileReader) flag(i int) (concord.Flag, error) {
	switch f.field(i) {
	case "":
		return concord.FlagUnknown, nil
	case "0":
		return concord.FlagFalse, nil
	case "1":
		return concord.FlagTrue, nil
	}
	return concord.FlagUnknown, f.errf(i, "malformed flag %q (want 0, 1 or empty)", f.field(i))
}

// date parses layout field i as yyyy-mm-dd (optionally followed by a time) or
// m/d/yyyy; empty is the zero time.
func (f *fileReader) date(i int) (time.Time, error) {
	s := f.field(i)
	if s == "" {
		return time.Time{}, nil
	}
	var t time.Time
	var err error
	switch {
	case len(s) >= 10 && s[4] == '-' && (len(s) == 10 || s[10] == 'T' || s[10] == ' '):
		t, err = time.Parse(time.DateOnly, s[:10])
	case strings.Count(s, "/") == 2:
		t, err = time.Parse("1/2/2006", s)
	default:
		err = strconv.ErrSyntax
	}
	if err != nil {
		return time.Time{}, f.errf(i, "malformed date %q (want yyyy-mm-dd)", s)
	}
	return t, nil
}
