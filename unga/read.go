package unga

import (
	"bufio"
	"cmp"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
)

// UNDLRCIDBase is added to a UN Digital Library record number (undl_id, below
// 1,000,000,000) to make the rcid of its roll call, so that the same record
// always gets the same rcid. Voeten's rcids are small (at most 9,147 in the
// 2021 release) and the readers reject rcids from UNDLRCIDBase up in his
// layouts, so the two id spaces cannot collide.
const UNDLRCIDBase = 1_000_000_000

// Reunification is the day the Federal Republic of Germany became Germany:
// votes filed under the Federal Republic on or after it are Germany's.
var Reunification = time.Date(1990, time.October, 3, 0, 0, 0, 0, time.UTC)

// checkEvery is how many rows are read between checks of the context.
const checkEvery = 1 << 13

// ReadFiles reads the files at paths as one batch and joins them into a Dataset.
func ReadFiles(ctx context.Context, paths ...string) (*concord.Dataset, error) {
	if len(paths) == 0 {
		return nil, errors.New("unga: no files to read")
	}
	b := NewBatch()
	for _, p := range paths {
		if err := b.AddFile(ctx, p); err != nil {
			return nil, err
		}
	}
	return b.Dataset()
}

// Read reads one stream, plain or gzip, as a batch of its own; name is used
// in error messages. A votes file alone is an error: its roll calls are in
// another file, so read the files of a release together with ReadFiles or a Batch.
func Read(r io.Reader, name string) (*concord.Dataset, error) {
	b := NewBatch()
	if err := b.Add(context.Background(), r, name); err != nil {
		return nil, err
	}
	return b.Dataset()
}

// Batch reads files of any of the recognised layouts and joins them into one
// Dataset: issue rows attach to roll calls, every vote must have its roll
// call somewhere in the batch, roll calls read from several files merge, and
// duplicate votes collapse. Use it to read streams that are not files; after
// an error, or after Dataset, the batch cannot be used again.
type Batch struct {
	rcs      map[int]*rcEntry
	tags     map[int]*tagEntry
	tagOrder []int    // rcids of tags in the order first read
	chunks   [][]vrec // votes in the order read, in chunks that never move
	nvotes   int      // votes in chunks
	votes    []vrec   // all votes, gathered by Dataset
	files    []string // names of the files read, indexed by vrec.file
	stateIdx map[string]uint16
	stateOf  []string // state codes, indexed by vrec.state
	states   *stateCache
	warnings []string
	warned   map[warnKey]bool
	err      error
}

// chunkSize is the number of votes in a chunk of Batch.chunks (2 MB).
const chunkSize = 1 << 16

// vrec is a vote as a batch keeps it until Dataset: small and free of
// pointers, so that millions of them are cheap to hold, sort and collect.
type vrec struct {
	key       uint64 // rcid and the rank of state, set for sorting
	rcid      int
	line, col int32
	seq       int32 // order read
	state     uint16
	file      uint16
	vote      concord.Vote
}

// addVote records the vote of state on rcid, read in layout field i of f's current record.
func (b *Batch) addVote(f *fileReader, rcid int, state string, v concord.Vote, i int) error {
	si, ok := b.stateIdx[state]
	if !ok {
		if len(b.stateOf) > math.MaxUint16 {
			return inputErrorf(f.pos(i), "too many distinct states in one import")
		}
		si = uint16(len(b.stateOf))
		b.stateIdx[state] = si
		b.stateOf = append(b.stateOf, state)
	}
	if b.nvotes >= math.MaxInt32 {
		return inputErrorf(f.pos(i), "too many votes in one import")
	}
	line, col := f.cr.FieldPos(f.idx[i])
	k := len(b.chunks) - 1
	if k < 0 || len(b.chunks[k]) == cap(b.chunks[k]) {
		b.chunks = append(b.chunks, make([]vrec, 0, chunkSize))
		k++
	}
	b.chunks[k] = append(b.chunks[k], vrec{rcid: rcid, line: int32(line), col: int32(col), seq: int32(b.nvotes), state: si, file: f.id, vote: v})
	b.nvotes++
	return nil
}

// pos is where v was read.
func (b *Batch) pos(v *vrec) concord.Pos {
	return concord.Pos{File: b.files[v.file], Line: int(v.line), Column: int(v.col)}
}

type rcEntry struct {
	rc     concord.RollCall
	issues uint8 // bit i: tagged with concord.Issues[i]
	pos    concord.Pos
}

type tagEntry struct {
	issues uint8
	pos    concord.Pos
}

type warnKey struct {
	rcid  int
	field string
}

// NewBatch returns an empty batch.
func NewBatch() *Batch {
	return &Batch{
		rcs:      map[int]*rcEntry{},
		tags:     map[int]*tagEntry{},
		stateIdx: map[string]uint16{},
		states:   newStateCache(),
		warned:   map[warnKey]bool{},
	}
}

// AddFile reads the file at path into the batch.
func (b *Batch) AddFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return b.fail(err)
	}
	defer f.Close()
	return b.Add(ctx, f, path)
}

// Add reads one stream, plain or gzip (recognised by its magic bytes), into
// the batch; its layout is recognised from its header and name is used in messages.
func (b *Batch) Add(ctx context.Context, r io.Reader, name string) error {
	if b.err != nil {
		return b.err
	}
	return b.fail(b.add(ctx, r, name))
}

// fail records the first error; the batch is unusable after it.
func (b *Batch) fail(err error) error {
	if err != nil && b.err == nil {
		b.err = err
	}
	return err
}

func (b *Batch) add(ctx context.Context, r io.Reader, name string) error {
	if len(b.files) > math.MaxUint16 {
		return fmt.Errorf("unga: too many files in one batch")
	}
	f := &fileReader{name: name, id: uint16(len(b.files))}
	b.files = append(b.files, name)
	br := bufio.NewReaderSize(r, 1<<16)
	magic, _ := br.Peek(2)
	var src io.Reader = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return inputErrorf(concord.Pos{File: name}, "not a valid gzip stream: %v", err)
		}
		defer zr.Close()
		src, f.gz = zr, true
	}
	f.cr = csv.NewReader(src)
	f.cr.ReuseRecord = true
	header, err := f.cr.Read()
	if err == io.EOF {
		return inputErrorf(concord.Pos{File: name, Line: 1}, "empty file: no CSV header")
	}
	if err != nil {
		return f.readError(err, len(header))
	}
	header = slices.Clone(header)
	format := DetectFormat(header)
	if format == FormatUnknown {
		return inputErrorf(concord.Pos{File: name, Line: 1}, "unrecognised header %q: want the columns of %s, %s, %s, %s or %s",
			strings.Join(header, ","), FormatVotes, FormatRollCalls, FormatIssues, FormatComplete, FormatUNDL)
	}
	idx, msg := columnIndexes(format, header)
	if msg != "" {
		return inputErrorf(concord.Pos{File: name, Line: 1}, "%s", msg)
	}
	f.idx, f.header = idx, header
	switch format {
	case FormatVotes:
		return b.readVotes(ctx, f)
	case FormatRollCalls:
		return b.readRollCalls(ctx, f)
	case FormatIssues:
		return b.readIssues(ctx, f)
	case FormatComplete:
		return b.readComplete(ctx, f)
	case FormatUNDL:
		return b.readUNDL(ctx, f)
	}
	panic("unreachable")
}

// fileReader reads the records of one CSV stream and locates fields in it.
type fileReader struct {
	name   string
	id     uint16 // index in Batch.files
	gz     bool
	cr     *csv.Reader
	header []string
	idx    []int // column of each field of the layout, -1 when absent
	rec    []string
	line   int // line of the current record
	rows   int
}

// next reads the next record; it returns false at the end of the stream.
func (f *fileReader) next(ctx context.Context) (bool, error) {
	rec, err := f.cr.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, f.readError(err, len(rec))
	}
	f.rec = rec
	f.line, _ = f.cr.FieldPos(0)
	f.rows++
	if f.rows%checkEvery == 0 {
		if err := ctx.Err(); err != nil {
			return false, err
		}
	}
	return true, nil
}

// readError turns an error of the CSV or gzip reader into an *InputError;
// nfields is the length of the record read with it.
func (f *fileReader) readError(err error, nfields int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return inputErrorf(concord.Pos{File: f.name, Line: pe.StartLine}, "row has %d fields but the header has %d",
				nfields, len(f.header))
		}
		return inputErrorf(concord.Pos{File: f.name, Line: pe.Line, Column: pe.Column}, "malformed CSV: %v", pe.Err)
	}
	pos := concord.Pos{File: f.name, Line: f.line + 1}
	var corrupt flate.CorruptInputError
	switch {
	case f.gz && errors.Is(err, io.ErrUnexpectedEOF):
		return inputErrorf(pos, "truncated gzip stream: the file ends in the middle of its compressed data (incomplete download or copy?)")
	case f.gz && (errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.As(err, &corrupt)):
		return inputErrorf(pos, "corrupt gzip stream: %v", err)
	}
	return inputErrorf(pos, "read error: %v", err)
}

// field returns the trimmed value of layout field i, "" when the column is absent.
func (f *fileReader) field(i int) string {
	j := f.idx[i]
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(f.rec[j])
}

// pos locates layout field i of the current record (the row when the column is absent).
func (f *fileReader) pos(i int) concord.Pos {
	j := f.idx[i]
	if j < 0 {
		return concord.Pos{File: f.name, Line: f.line}
	}
	line, col := f.cr.FieldPos(j)
	return concord.Pos{File: f.name, Line: line, Column: col}
}

// errf reports a problem with layout field i of the current record.
func (f *fileReader) errf(i int, format string, args ...any) error {
	j := f.idx[i]
	name := ""
	if j >= 0 {
		name = f.header[j]
	}
	return &InputError{Pos: f.pos(i), Msg: fmt.Sprintf("column %s: ", name) + fmt.Sprintf(format, args...)}
}

// rowCache remembers the raw roll-call fields of the previous row, so that
// files with one row per state and roll call parse them once per roll call.
type rowCache struct {
	cols []int
	vals []string
	ok   bool
}

func newRowCache(f *fileReader, fields ...int) *rowCache {
	c := &rowCache{vals: make([]string, len(fields))}
	for _, i := range fields {
		c.cols = append(c.cols, f.idx[i])
	}
	return c
}

func (c *rowCache) same(rec []string) bool {
	if !c.ok {
		return false
	}
	for k, j := range c.cols {
		if j >= 0 && rec[j] != c.vals[k] {
			return false
		}
	}
	return true
}

func (c *rowCache) save(rec []string) {
	for k, j := range c.cols {
		if j >= 0 {
			c.vals[k] = strings.Clone(rec[j])
		}
	}
	c.ok = true
}

// Dataset joins the batch: issue tags attach to their roll calls, votes of the
// Federal Republic of Germany on roll calls of Germany's time become Germany's
// (see Reunification), identical duplicate votes collapse, and votes or tags
// whose roll call is not in the batch, or two different votes of a state on a
// roll call, are errors. Roll calls are sorted by rcid, votes by rcid then state.
func (b *Batch) Dataset() (*concord.Dataset, error) {
	if b.err != nil {
		return nil, b.err
	}
	b.err = errors.New("unga: Batch.Dataset called twice")
	for _, id := range b.tagOrder {
		t := b.tags[id]
		e, ok := b.rcs[id]
		if !ok {
			return nil, noRollCall(t.pos, id)
		}
		e.issues |= t.issues
	}
	b.votes = make([]vrec, 0, b.nvotes)
	for _, c := range b.chunks {
		b.votes = append(b.votes, c...)
	}
	b.chunks = nil
	last := 0
	for i := range b.votes {
		v := &b.votes[i]
		if v.rcid == last {
			continue
		}
		if _, ok := b.rcs[v.rcid]; !ok {
			return nil, noRollCall(b.pos(v), v.rcid)
		}
		last = v.rcid
	}
	b.reunify()
	// Sort by rcid, state code, then order read, and collapse duplicates.
	rank := make([]int, len(b.stateOf))
	byName := make([]int, len(b.stateOf))
	for i := range byName {
		byName[i] = i
	}
	sort.Slice(byName, func(i, j int) bool { return b.stateOf[byName[i]] < b.stateOf[byName[j]] })
	for r, i := range byName {
		rank[i] = r
	}
	for i := range b.votes {
		v := &b.votes[i]
		v.key = uint64(v.rcid)<<16 | uint64(rank[v.state])
	}
	slices.SortFunc(b.votes, func(a, c vrec) int {
		if a.key != c.key {
			return cmp.Compare(a.key, c.key)
		}
		return cmp.Compare(a.seq, c.seq)
	})
	n := 0
	for i := range b.votes {
		if i == 0 || b.votes[i].rcid != b.votes[i-1].rcid || b.votes[i].state != b.votes[i-1].state {
			n++
		}
	}
	votes := make([]concord.VoteRecord, 0, n)
	for i := range b.votes {
		v := &b.votes[i]
		if k := len(votes) - 1; k >= 0 && votes[k].RCID == v.rcid && votes[k].State == b.stateOf[v.state] {
			if votes[k].Vote != v.vote {
				first := votes[k]
				return nil, &InputError{Pos: b.pos(v), Msg: fmt.Sprintf("%s votes %s on rcid %d here but %s at %s: two different votes of one state on one roll call",
					first.State, v.vote, v.rcid, first.Vote, first.Pos)}
			}
			continue
		}
		votes = append(votes, concord.VoteRecord{RCID: v.rcid, State: b.stateOf[v.state], Vote: v.vote, Pos: b.pos(v)})
	}
	b.votes = nil

	ds := &concord.Dataset{
		RollCalls:   make([]concord.RollCall, 0, len(b.rcs)),
		Votes:       votes,
		RollCallPos: make(map[int]concord.Pos, len(b.rcs)),
		Warnings:    b.warnings,
	}
	for id, e := range b.rcs {
		rc := e.rc
		for i, iss := range concord.Issues {
			if e.issues&(1<<i) != 0 {
				rc.Issues = append(rc.Issues, iss)
			}
		}
		ds.RollCalls = append(ds.RollCalls, rc)
		ds.RollCallPos[id] = e.pos
	}
	sort.Slice(ds.RollCalls, func(i, j int) bool { return ds.RollCalls[i].RCID < ds.RollCalls[j].RCID })
	b.rcs, b.tags = nil, nil
	return ds, nil
}

// noRollCall is the error of a row whose rcid has no roll call in the batch.
func noRollCall(pos concord.Pos, rcid int) error {
	return &InputError{Pos: pos, Msg: fmt.Sprintf("rcid %d has no roll call in this import: import roll_calls.csv.gz (or another file with roll calls) with %s",
		rcid, filepath.Base(pos.File))}
}

// reunify files the Federal Republic of Germany's votes on roll calls dated on
// or after Reunification (or undated, from session 45 on) under Germany, as
// Voeten's 2016 release does; the 2021 release files session 45 under the
// Federal Republic.
func (b *Batch) reunify() {
	frg, ok1 := countries.ByCOW(cowFRG)
	de, ok2 := countries.ByCOW(cowGermany)
	if !ok1 || !ok2 || frg.Code == de.Code {
		return
	}
	fi, ok := b.stateIdx[frg.Code]
	if !ok {
		return
	}
	di, ok := b.stateIdx[de.Code]
	if !ok {
		di = uint16(len(b.stateOf))
		b.stateIdx[de.Code] = di
		b.stateOf = append(b.stateOf, de.Code)
	}
	for i := range b.votes {
		v := &b.votes[i]
		if v.state != fi {
			continue
		}
		rc := b.rcs[v.rcid].rc
		if (!rc.Date.IsZero() && !rc.Date.Before(Reunification)) || (rc.Date.IsZero() && rc.Session >= 45) {
			v.state = di
		}
	}
}

// addRollCall adds rc read at pos, or merges it into the roll call of the same
// rcid already read: empty fields are filled and issue tags unioned; fields
// that disagree keep the value read first, with a warning.
func (b *Batch) addRollCall(rc concord.RollCall, issues uint8, pos concord.Pos) {
	e, ok := b.rcs[rc.RCID]
	if !ok {
		b.rcs[rc.RCID] = &rcEntry{rc: rc, issues: issues, pos: pos}
		return
	}
	e.issues |= issues
	old := &e.rc
	if old.Session == 0 {
		old.Session = rc.Session
	} else if rc.Session != 0 && rc.Session != old.Session {
		b.conflict(e, "session", fmt.Sprint(old.Session), fmt.Sprint(rc.Session), pos)
	}
	if old.Date.IsZero() {
		old.Date = rc.Date
	} else if !rc.Date.IsZero() && !rc.Date.Equal(old.Date) {
		b.conflict(e, "date", old.Date.Format(time.DateOnly), rc.Date.Format(time.DateOnly), pos)
	}
	b.mergeString(e, &old.Resolution, rc.Resolution, "resolution", pos)
	b.mergeString(e, &old.Short, rc.Short, "short", pos)
	b.mergeString(e, &old.Descr, rc.Descr, "descr", pos)
	b.mergeFlag(e, &old.Important, rc.Important, "importantvote", pos)
	b.mergeFlag(e, &old.Amend, rc.Amend, "amend", pos)
	b.mergeFlag(e, &old.Para, rc.Para, "para", pos)
}

func (b *Batch) mergeString(e *rcEntry, old *string, s, field string, pos concord.Pos) {
	switch {
	case *old == "":
		*old = s
	case s != "" && s != *old:
		b.conflict(e, field, *old, s, pos)
	}
}

func (b *Batch) mergeFlag(e *rcEntry, old *concord.Flag, f concord.Flag, field string, pos concord.Pos) {
	switch {
	case *old == concord.FlagUnknown:
		*old = f
	case f != concord.FlagUnknown && f != *old:
		b.conflict(e, field, flagText(*old), flagText(f), pos)
	}
}

func flagText(f concord.Flag) string {
	if f == concord.FlagTrue {
		return "1"
	}
	return "0"
}

// conflict warns, once per roll call and field, that two files disagree.
func (b *Batch) conflict(e *rcEntry, field, kept, other string, pos concord.Pos) {
	k := warnKey{e.rc.RCID, field}
	if b.warned[k] {
		return
	}
	b.warned[k] = true
	b.warnings = append(b.warnings, fmt.Sprintf("rcid %d: %s %s at %s differs from %s at %s; kept %s",
		e.rc.RCID, field, quoteShort(other), pos, quoteShort(kept), e.pos, quoteShort(kept)))
}

// quoteShort quotes s, cut to 60 runes.
func quoteShort(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
