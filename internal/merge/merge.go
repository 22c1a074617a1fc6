// Package merge holds the import rules that every concord.VoteStore shares,
// so that the SQLite store, an in-memory store and a later PostgreSQL store
// merge data identically. A store reads what it already holds through a
// Source, calls Prepare, and writes the resulting Plan in one transaction.
//
// The rules: a roll call already stored gets its empty fields filled in and
// its issue tags unioned (MergeRollCall); metadata that disagrees keeps the
// stored value and yields a warning; a vote equal to the stored one is counted
// as unchanged; a vote that differs from the stored one, or from another vote
// of the same dataset for the same state and roll call, is a *ConflictError;
// a vote on a roll call neither in the dataset nor in the store is an error.
package merge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
)

// Source is what a store already holds, as Prepare needs to see it. Prepare
// calls it inside the store's import transaction.
type Source interface {
	// RollCalls returns those of rcids that are stored, keyed by RCID, with
	// their issue tags.
	RollCalls(ctx context.Context, rcids []int) (map[int]concord.RollCall, error)
	// Votes calls fn for every vote stored on roll call rcid.
	Votes(ctx context.Context, rcid int, fn func(state string, v concord.Vote)) error
}

// Update is a stored roll call whose empty fields or issue tags an import fills in.
type Update struct {
	RollCall  concord.RollCall // the merged roll call to store
	AddIssues []concord.Issue  // issue tags to add to the stored ones
}

// Plan is what a store must write to import a dataset.
type Plan struct {
	Insert []concord.RollCall // roll calls new to the store, by RCID, issues normalised
	Update []Update           // stored roll calls to rewrite, by RCID
	Order  []int32            // every index of ds.Votes, grouped by roll call in RCID order
	New    []bool             // New[i] reports whether ds.Votes[Order[i]] is to be written
	Stats  concord.ImportStats
}

// MaxErrors is how many errors Prepare reports before summarising the rest.
const MaxErrors = 10

// ConflictError is a vote that disagrees with the stored vote, or with an
// earlier vote of the same dataset, for the same state and roll call.
type ConflictError struct {
	Pos       concord.Pos  // where the new vote was read
	Index     int          // index of the new vote in Dataset.Votes
	RCID      int          // roll call
	State     string       // state code
	New       concord.Vote // the vote being imported
	Old       concord.Vote // the vote stored or read before
	InDataset bool         // Old comes from the same dataset, read at OldPos
	OldPos    concord.Pos  // where Old was read, when InDataset
}

func (e *ConflictError) Error() string {
	where := "the store has"
	if e.InDataset {
		where = "the same dataset has"
		if p := e.OldPos.String(); p != "" {
			where = "already read at " + p + ":"
		}
	}
	return fmt.Sprintf("%s: vote %s of %s on roll call %d conflicts: %s %s",
		votePlace(e.Pos, e.Index), e.New, e.State, e.RCID, where, e.Old)
}

// votePlace names a vote by its position, or by its index when it was not read from a file.
func votePlace(p concord.Pos, i int) string {
	if s := p.String(); s != "" {
		return s
	}
	return fmt.Sprintf("dataset vote %d", i)
}

// rollCallPlace names a roll call by the position where it was read, and its id.
func rollCallPlace(ds *concord.Dataset, rcid int) string {
	if p := ds.RollCallPos[rcid].String(); p != "" {
		return fmt.Sprintf("%s: roll call %d", p, rcid)
	}
	return fmt.Sprintf("roll call %d", rcid)
}

// errorList gathers errors in dataset order and reports the first MaxErrors.
type errorList struct {
	errs []indexedErr
}

type indexedErr struct {
	i   int
	err error
}

func (l *errorList) add(i int, err error) { l.errs = append(l.errs, indexedErr{i, err}) }

func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	sort.SliceStable(l.errs, func(a, b int) bool { return l.errs[a].i < l.errs[b].i })
	var out []error
	for _, e := range l.errs[:min(len(l.errs), MaxErrors)] {
		out = append(out, e.err)
	}
	if n := len(l.errs) - MaxErrors; n > 0 {
		out = append(out, fmt.Errorf("and %d more errors", n))
	}
	return errors.Join(out...)
}

// ValidateRollCall checks the fields of rc that a store cannot keep otherwise:
// a positive RCID, a non-negative session, a date at UTC midnight, defined
// flags and known issue codes. where names the roll call in the error.
func ValidateRollCall(rc concord.RollCall, where string) error {
	if rc.RCID <= 0 {
		return fmt.Errorf("%s: rcid must be positive", where)
	}
	if rc.Session < 0 {
		return fmt.Errorf("%s: negative session %d", where, rc.Session)
	}
	if !rc.Date.IsZero() {
		d := rc.Date
		y, m, day := d.Date()
		if !d.Equal(time.Date(y, m, day, 0, 0, 0, 0, time.UTC)) {
			return fmt.Errorf("%s: date %s is not a day at UTC midnight", where, d.Format(time.RFC3339Nano))
		}
		if y < 1 || y > 9999 {
			return fmt.Errorf("%s: date %s out of range", where, d.Format(time.DateOnly))
		}
	}
	for _, f := range []struct {
		name string
		f    concord.Flag
	}{{"important", rc.Important}, {"amend", rc.Amend}, {"para", rc.Para}} {
		if f.f != concord.FlagUnknown && f.f != concord.FlagFalse && f.f != concord.FlagTrue {
			return fmt.Errorf("%s: invalid %s flag %d", where, f.name, f.f)
		}
	}
	for _, i := range rc.Issues {
		if !slices.Contains(concord.Issues, i) {
			return fmt.Errorf("%s: unknown issue %q (want one of me, nu, di, hr, co, ec)", where, string(i))
		}
	}
	return nil
}

// ValidState reports whether code can be a state code: not empty, without
// control characters (stores may use them as separators).
func ValidState(code string) bool {
	if code == "" {
		return false
	}
	for _, c := range code {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// NormaliseIssues returns the issues sorted in the order of concord.Issues,
// without duplicates; nil when there are none.
func NormaliseIssues(issues []concord.Issue) []concord.Issue {
	var out []concord.Issue
	for _, i := range concord.Issues {
		if slices.Contains(issues, i) {
			out = append(out, i)
		}
	}
	return out
}

// MergeRollCall merges in into stored: empty fields of stored are filled from
// in and issue tags are unioned; a field set in both to different values keeps
// the stored value and adds a warning prefixed by where. changed reports
// whether merged differs from stored; added lists the issues in added.
func MergeRollCall(stored, in concord.RollCall, where string) (merged concord.RollCall, changed bool, added []concord.Issue, warnings []string) {
	merged = stored
	warn := func(field, newV, oldV string) {
		warnings = append(warnings, fmt.Sprintf("%s: %s %s differs from stored %s; kept the stored value", where, field, newV, oldV))
	}
	mergeInt := func(dst *int, v int, field string) {
		switch {
		case v == 0 || v == *dst:
		case *dst == 0:
			*dst, changed = v, true
		default:
			warn(field, fmt.Sprint(v), fmt.Sprint(*dst))
		}
	}
	mergeStr := func(dst *string, v string, field string) {
		switch {
		case v == "" || v == *dst:
		case *dst == "":
			*dst, changed = v, true
		default:
			warn(field, fmt.Sprintf("%q", v), fmt.Sprintf("%q", *dst))
		}
	}
	mergeFlag := func(dst *concord.Flag, v concord.Flag, field string) {
		switch {
		case v == concord.FlagUnknown || v == *dst:
		case *dst == concord.FlagUnknown:
			*dst, changed = v, true
		default:
			warn(field, flagString(v), flagString(*dst))
		}
	}
	mergeInt(&merged.Session, in.Session, "session")
	switch {
	case in.Date.IsZero() || in.Date.Equal(stored.Date):
	case stored.Date.IsZero():
		merged.Date, changed = in.Date, true
	default:
		warn("date", in.Date.Format(time.DateOnly), stored.Date.Format(time.DateOnly))
	}
	mergeStr(&merged.Resolution, in.Resolution, "resolution")
	mergeFlag(&merged.Important, in.Important, "important")
	mergeFlag(&merged.Amend, in.Amend, "amend")
	mergeFlag(&merged.Para, in.Para, "para")
	mergeStr(&merged.Short, in.Short, "short description")
	mergeStr(&merged.Descr, in.Descr, "description")
	for _, i := range NormaliseIssues(in.Issues) {
		if !slices.Contains(stored.Issues, i) {
			added = append(added, i)
		}
	}
	if len(added) > 0 {
		changed = true
		merged.Issues = NormaliseIssues(append(slices.Clone(stored.Issues), added...))
	}
	return merged, changed, added, warnings
}

func flagString(f concord.Flag) string {
	switch f {
	case concord.FlagTrue:
		return "true"
	case concord.FlagFalse:
		return "false"
	}
	return "unknown"
}

// Prepare checks ds against the store seen through src and returns what the
// store must write. It changes nothing; on any error the store must write
// nothing. Errors name the position (file:line:column) of the offending input.
func Prepare(ctx context.Context, ds *concord.Dataset, src Source) (*Plan, error) {
	if ds == nil {
		return nil, errors.New("import: nil dataset")
	}
	var errs errorList

	// Roll calls of the dataset, merged by RCID (the first read wins).
	inRC := make(map[int]concord.RollCall, len(ds.RollCalls))
	var rcids []int
	var warnings []string
	for i, rc := range ds.RollCalls {
		where := rollCallPlace(ds, rc.RCID)
		if err := ValidateRollCall(rc, where); err != nil {
			errs.add(i, err)
			continue
		}
		rc.Issues = NormaliseIssues(rc.Issues)
		if prev, ok := inRC[rc.RCID]; ok {
			merged, _, _, w := MergeRollCall(prev, rc, where)
			inRC[rc.RCID] = merged
			warnings = append(warnings, w...)
			continue
		}
		inRC[rc.RCID] = rc
		rcids = append(rcids, rc.RCID)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}

	// Group the votes by roll call: count, then place (a counting sort).
	count := map[int]int{}
	last, lastN := 0, 0
	flush := func() {
		if lastN > 0 {
			count[last] += lastN
		}
	}
	for _, v := range ds.Votes {
		if v.RCID != last || lastN == 0 {
			flush()
			last, lastN = v.RCID, 0
		}
		lastN++
	}
	flush()
	voteRCIDs := make([]int, 0, len(count))
	for r := range count {
		voteRCIDs = append(voteRCIDs, r)
		if _, ok := inRC[r]; !ok {
			rcids = append(rcids, r)
		}
	}
	slices.Sort(voteRCIDs)
	slices.Sort(rcids)

	stored, err := src.RollCalls(ctx, rcids)
	if err != nil {
		return nil, err
	}

	plan := &Plan{}
	for _, r := range rcids {
		in, ok := inRC[r]
		if !ok {
			continue
		}
		st, ok := stored[r]
		if !ok {
			plan.Insert = append(plan.Insert, in)
			continue
		}
		merged, changed, added, w := MergeRollCall(st, in, rollCallPlace(ds, r))
		warnings = append(warnings, w...)
		if changed {
			plan.Update = append(plan.Update, Update{RollCall: merged, AddIssues: added})
		}
	}

	start := make(map[int]int, len(voteRCIDs))
	off := 0
	for _, r := range voteRCIDs {
		start[r] = off
		off += count[r]
	}
	plan.Order = make([]int32, len(ds.Votes))
	plan.New = make([]bool, len(ds.Votes))
	next := make(map[int]int, len(start))
	for r, s := range start {
		next[r] = s
	}
	last, pos := 0, -1
	for i, v := range ds.Votes {
		if v.RCID != last || pos < 0 {
			if pos >= 0 {
				next[last] = pos
			}
			last, pos = v.RCID, next[v.RCID]
		}
		plan.Order[pos] = int32(i)
		pos++
	}

	// Check each roll call's votes against the dataset and the store.
	seen := map[string]int32{}
	have := map[string]concord.Vote{}
	o := 0
	for _, r := range voteRCIDs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		group := plan.Order[o : o+count[r]]
		_, inDS := inRC[r]
		_, inStore := stored[r]
		clear(seen)
		clear(have)
		if inStore {
			if err := src.Votes(ctx, r, func(state string, v concord.Vote) { have[state] = v }); err != nil {
				return nil, err
			}
		}
		for k, idx := range group {
			v := ds.Votes[idx]
			switch {
			case !inDS && !inStore:
				errs.add(int(idx), fmt.Errorf("%s: vote of %s on roll call %d: no such roll call in the dataset or the store",
					votePlace(v.Pos, int(idx)), v.State, r))
				continue
			case !ValidState(v.State):
				if v.State == "" {
					errs.add(int(idx), fmt.Errorf("%s: vote on roll call %d has no state code", votePlace(v.Pos, int(idx)), r))
				} else {
					errs.add(int(idx), fmt.Errorf("%s: vote on roll call %d: invalid state code %q (control character)", votePlace(v.Pos, int(idx)), r, v.State))
				}
				continue
			case !v.Vote.Valid():
				errs.add(int(idx), fmt.Errorf("%s: vote of %s on roll call %d: invalid vote %s", votePlace(v.Pos, int(idx)), v.State, r, v.Vote))
				continue
			}
			if j, dup := seen[v.State]; dup {
				prev := ds.Votes[j]
				if prev.Vote != v.Vote {
					errs.add(int(idx), &ConflictError{Pos: v.Pos, Index: int(idx), RCID: r, State: v.State,
						New: v.Vote, Old: prev.Vote, InDataset: true, OldPos: prev.Pos})
				} else {
					plan.Stats.VotesUnchanged++
				}
				continue
			}
			seen[v.State] = idx
			if old, ok := have[v.State]; ok {
				if old != v.Vote {
					errs.add(int(idx), &ConflictError{Pos: v.Pos, Index: int(idx), RCID: r, State: v.State, New: v.Vote, Old: old})
				} else {
					plan.Stats.VotesUnchanged++
				}
				continue
			}
			plan.New[o+k] = true
			plan.Stats.VotesAdded++
		}
		o += len(group)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	plan.Stats.RollCallsAdded = len(plan.Insert)
	plan.Stats.RollCallsUpdated = len(plan.Update)
	plan.Stats.Warnings = warnings
	return plan, nil
}

// Files lists the distinct files the dataset was read from, in order of first appearance.
func Files(ds *concord.Dataset) []string {
	var out []string
	add := func(f string) {
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, rc := range ds.RollCalls {
		add(ds.RollCallPos[rc.RCID].File)
	}
	last := ""
	for _, v := range ds.Votes {
		if v.Pos.File != last {
			last = v.Pos.File
			add(last)
		}
	}
	return out
}

// Summary describes an import in one line, for import logs.
func Summary(ds *concord.Dataset, st concord.ImportStats) string {
	files := Files(ds)
	src := "generated data"
	if len(files) > 0 {
		src = strings.Join(files, ", ")
	}
	return fmt.Sprintf("%s: %d roll calls added, %d updated, %d votes added, %d unchanged, %d warnings",
		src, st.RollCallsAdded, st.RollCallsUpdated, st.VotesAdded, st.VotesUnchanged, len(st.Warnings))
}
