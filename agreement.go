package concord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AgreementKind is the type of instrument an agreement is.
type AgreementKind string

// The kinds of instrument the registry knows.
const (
	KindTreaty           AgreementKind = "treaty"
	KindAgreement        AgreementKind = "agreement"
	KindMoU              AgreementKind = "mou"
	KindProtocol         AgreementKind = "protocol"
	KindJointDeclaration AgreementKind = "joint-declaration"
	KindActionPlan       AgreementKind = "action-plan"
	KindAmendment        AgreementKind = "amendment"
	KindResolution       AgreementKind = "resolution"
	KindRegulation       AgreementKind = "regulation"
	KindReport           AgreementKind = "report"
	KindExtension        AgreementKind = "extension"
)

// AgreementKinds lists every valid kind.
var AgreementKinds = []AgreementKind{KindTreaty, KindAgreement, KindMoU, KindProtocol, KindJointDeclaration, KindActionPlan,
	KindAmendment, KindResolution, KindRegulation, KindReport, KindExtension}

// ParseAgreementKind reads a kind case-insensitively ("MoU", "joint declaration" and "joint-declaration" are accepted).
func ParseAgreementKind(s string) (AgreementKind, error) {
	k := AgreementKind(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-"))
	if slices.Contains(AgreementKinds, k) {
		return k, nil
	}
	return "", fmt.Errorf("unknown agreement kind %q (want one of %s)", s, joinStrings(AgreementKinds))
}

// Fields are the policy fields an agreement can belong to.
var Fields = []string{"trade", "science", "energy", "health", "education", "culture", "security", "environment", "human-rights", "labour", "other"}

// ParseField reads a field name case-insensitively ("Human Rights" reads as "human-rights").
func ParseField(s string) (string, error) {
	f := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
	if slices.Contains(Fields, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown field %q (want one of %s)", s, strings.Join(Fields, ", "))
}

// AgreementStatus is where an agreement stands as a whole.
type AgreementStatus string

// The statuses of an agreement.
const (
	StatusSigned     AgreementStatus = "signed"
	StatusInForce    AgreementStatus = "in-force"
	StatusSuspended  AgreementStatus = "suspended"
	StatusTerminated AgreementStatus = "terminated"
	StatusExpired    AgreementStatus = "expired"
)

// AgreementStatuses lists every valid status.
var AgreementStatuses = []AgreementStatus{StatusSigned, StatusInForce, StatusSuspended, StatusTerminated, StatusExpired}

// ParseAgreementStatus reads a status case-insensitively ("in force" reads as "in-force").
func ParseAgreementStatus(s string) (AgreementStatus, error) {
	st := AgreementStatus(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-"))
	if slices.Contains(AgreementStatuses, st) {
		return st, nil
	}
	return "", fmt.Errorf("unknown agreement status %q (want one of %s)", s, joinStrings(AgreementStatuses))
}

// Party is one party to an agreement with the dates of its own steps.
// Dates are in the registry's date notation (see [CheckDate]); "" is unknown.
type Party struct {
	State        string `json:"state"`                  // canonical state code, or the source's name for a party that is not a state
	NonState     bool   `json:"non_state,omitempty"`    // an international organisation, a sub-state unit or another non-state party
	Signature    string `json:"signature,omitempty"`    // date the party signed
	Ratification string `json:"ratification,omitempty"` // date the party ratified, accepted or acceded
	Force        string `json:"force,omitempty"`        // date the agreement entered into force for the party
	Withdrawal   string `json:"withdrawal,omitempty"`   // date the party withdrew or the agreement ended for it
}

// Agreement is an international agreement, treaty or memorandum of understanding in the registry.
type Agreement struct {
	ID       string          `json:"id"`                // registry identifier, e.g. the GGO treatyID
	Title    string          `json:"title"`             // title of the instrument
	Kind     AgreementKind   `json:"kind"`              // type of instrument
	Fields   []string        `json:"fields"`            // policy fields, sorted, each one of [Fields]
	Subject  string          `json:"subject,omitempty"` // finer subject, e.g. "Fishing"
	Parties  []Party         `json:"parties"`           // parties sorted by State; empty in list results unless asked for
	NParties int             `json:"n_parties"`         // number of parties (filled in list results too)
	Signed   string          `json:"signed,omitempty"`  // signing (or opening) date
	Force    string          `json:"force,omitempty"`   // date of entry into force
	End      string          `json:"end,omitempty"`     // date of termination or expiry
	Place    string          `json:"place,omitempty"`   // place of signature
	Status   AgreementStatus `json:"status"`            // current status
	Sources  []string        `json:"sources,omitempty"` // where the record comes from (references, URLs)
	Summary  string          `json:"summary,omitempty"` // free-text summary
	Tags     []string        `json:"tags,omitempty"`    // free tags, sorted
	Version  int             `json:"version"`           // optimistic-locking version: 1 when created, +1 per update
	Created  time.Time       `json:"created"`           // when the record was created
	Updated  time.Time       `json:"updated"`           // when the record was last changed
}

// Year returns the year of the signing date, or 0 when it is unknown.
func (a Agreement) Year() int { return DateYear(a.Signed) }

// HasParty reports whether the state with this code is a party.
func (a Agreement) HasParty(code string) bool {
	return slices.ContainsFunc(a.Parties, func(p Party) bool { return p.State == code && !p.NonState })
}

// Normalize sorts and de-duplicates the list fields and sets NParties.
func (a *Agreement) Normalize() {
	slices.Sort(a.Fields)
	a.Fields = slices.Compact(a.Fields)
	slices.Sort(a.Tags)
	a.Tags = slices.Compact(a.Tags)
	slices.SortFunc(a.Parties, func(x, y Party) int { return strings.Compare(x.State, y.State) })
	a.NParties = len(a.Parties)
}

// Validate checks an agreement and returns an error naming the first bad field.
func (a *Agreement) Validate() error {
	if strings.TrimSpace(a.ID) == "" {
		return errors.New("agreement: empty id")
	}
	if strings.ContainsAny(a.ID, "/?#% \t\n") {
		return fmt.Errorf("agreement %s: id must not contain spaces, '/', '?', '#' or '%%'", a.ID)
	}
	if strings.TrimSpace(a.Title) == "" {
		return fmt.Errorf("agreement %s: empty title", a.ID)
	}
	if !slices.Contains(AgreementKinds, a.Kind) {
		return fmt.Errorf("agreement %s: kind: unknown kind %q (want one of %s)", a.ID, a.Kind, joinStrings(AgreementKinds))
	}
	for _, f := range a.Fields {
		if !slices.Contains(Fields, f) {
			return fmt.Errorf("agreement %s: fields: unknown field %q (want one of %s)", a.ID, f, strings.Join(Fields, ", "))
		}
	}
	if !slices.Contains(AgreementStatuses, a.Status) {
		return fmt.Errorf("agreement %s: status: unknown status %q (want one of %s)", a.ID, a.Status, joinStrings(AgreementStatuses))
	}
	for name, d := range map[string]string{"signed": a.Signed, "force": a.Force, "end": a.End} {
		if err := CheckDate(d); err != nil {
			return fmt.Errorf("agreement %s: %s: %w", a.ID, name, err)
		}
	}
	seen := map[string]bool{}
	for _, p := range a.Parties {
		if strings.TrimSpace(p.State) == "" {
			return fmt.Errorf("agreement %s: a party without a state", a.ID)
		}
		if seen[p.State] {
			return fmt.Errorf("agreement %s: party %s listed twice", a.ID, p.State)
		}
		seen[p.State] = true
		for name, d := range map[string]string{"signature": p.Signature, "ratification": p.Ratification, "force": p.Force, "withdrawal": p.Withdrawal} {
			if err := CheckDate(d); err != nil {
				return fmt.Errorf("agreement %s: party %s: %s: %w", a.ID, p.State, name, err)
			}
		}
	}
	return nil
}

// CheckDate accepts the registry's date notation, that of the GGO data
// ("messydates"): "" (unknown), YYYY, YYYY-MM or YYYY-MM-DD, where an unknown
// month or day may be XX, optionally followed by "?" (uncertain) or "~"
// (approximate); or a range of two such dates joined by "..".
func CheckDate(s string) error {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "..")
	if len(parts) > 2 {
		return fmt.Errorf("date %q: a range has two ends", s)
	}
	for _, p := range parts {
		if err := checkOneDate(p); err != nil {
			return fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD (XX for an unknown month or day, a final '?' or '~', or a range A..B)", s)
		}
	}
	if len(parts) == 2 && parts[1] < parts[0] {
		return fmt.Errorf("date %q: the range ends before it starts", s)
	}
	return nil
}

func checkOneDate(s string) error {
	d := strings.TrimSuffix(strings.TrimSuffix(s, "?"), "~")
	layout := ""
	switch len(d) {
	case 4:
		layout = "2006"
	case 7:
		layout = "2006-01"
	case 10:
		layout = "2006-01-02"
	default:
		return errors.New("bad length")
	}
	if len(d) >= 7 && d[5:7] == "XX" {
		d = d[:5] + "01" + d[7:]
	}
	if len(d) == 10 && d[8:10] == "XX" {
		d = d[:8] + "01"
	}
	_, err := time.Parse(layout, d)
	return err
}

// DateYear returns the year of a date in the registry's notation, or 0.
func DateYear(s string) int {
	if len(s) < 4 {
		return 0
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil {
		return 0
	}
	return y
}

// CommitmentStatus is where a commitment stands.
type CommitmentStatus string

// The statuses of a commitment. A commitment whose due date has passed and
// that is neither done nor cancelled is reported overdue by the queries
// whatever its stored status; StatusOverdue may also be set by hand.
const (
	CommitmentNotStarted CommitmentStatus = "not-started"
	CommitmentInProgress CommitmentStatus = "in-progress"
	CommitmentDone       CommitmentStatus = "done"
	CommitmentOverdue    CommitmentStatus = "overdue"
	CommitmentCancelled  CommitmentStatus = "cancelled"
)

// CommitmentStatuses lists every valid commitment status.
var CommitmentStatuses = []CommitmentStatus{CommitmentNotStarted, CommitmentInProgress, CommitmentDone, CommitmentOverdue, CommitmentCancelled}

// ParseCommitmentStatus reads a status case-insensitively ("in progress" reads as "in-progress").
func ParseCommitmentStatus(s string) (CommitmentStatus, error) {
	st := CommitmentStatus(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-"))
	if slices.Contains(CommitmentStatuses, st) {
		return st, nil
	}
	return "", fmt.Errorf("unknown commitment status %q (want one of %s)", s, joinStrings(CommitmentStatuses))
}

// Commitment is something a party promised under an agreement, with how far it has come.
type Commitment struct {
	ID          int64            `json:"id"`                    // registry identifier, assigned by the store
	AgreementID string           `json:"agreement"`             // the agreement it belongs to
	Text        string           `json:"text"`                  // what is promised
	Responsible string           `json:"responsible,omitempty"` // state code of the party responsible, "" for all parties
	Due         string           `json:"due,omitempty"`         // due date YYYY-MM-DD, "" for none
	Status      CommitmentStatus `json:"status"`                // stored status
	Progress    int              `json:"progress"`              // percent done, 0–100
	Evidence    []string         `json:"evidence,omitempty"`    // links to evidence of implementation
	Notes       string           `json:"notes,omitempty"`       // free-text notes
	Version     int              `json:"version"`               // optimistic-locking version
	Created     time.Time        `json:"created"`               // when the record was created
	Updated     time.Time        `json:"updated"`               // when the record was last changed
}

// Open reports whether the commitment still has to be carried out.
func (c Commitment) Open() bool { return c.Status != CommitmentDone && c.Status != CommitmentCancelled }

// OverdueOn reports whether the commitment is open and its due date is before day (YYYY-MM-DD).
func (c Commitment) OverdueOn(day string) bool { return c.Open() && c.Due != "" && c.Due < day }

// Validate checks a commitment and returns an error naming the first bad field.
func (c *Commitment) Validate() error {
	if strings.TrimSpace(c.AgreementID) == "" {
		return errors.New("commitment: no agreement")
	}
	if strings.TrimSpace(c.Text) == "" {
		return errors.New("commitment: empty text (what is promised)")
	}
	if c.Due != "" {
		if _, err := time.Parse("2006-01-02", c.Due); err != nil {
			return fmt.Errorf("commitment: due: %q is not a date YYYY-MM-DD", c.Due)
		}
	}
	if !slices.Contains(CommitmentStatuses, c.Status) {
		return fmt.Errorf("commitment: status: unknown status %q (want one of %s)", c.Status, joinStrings(CommitmentStatuses))
	}
	if c.Progress < 0 || c.Progress > 100 {
		return fmt.Errorf("commitment: progress %d is not a percentage 0–100", c.Progress)
	}
	return nil
}

// Change is one recorded change of a registry record: who made it, when, and the record before and after (JSON).
type Change struct {
	ID       int64     `json:"id"`               // sequence number, increasing
	Entity   string    `json:"entity"`           // "agreement", "commitment" or "user"
	EntityID string    `json:"entity_id"`        // the record's id
	Action   string    `json:"action"`           // "create", "update" or "delete"
	Version  int       `json:"version"`          // the record's version after the change (0 after a delete)
	Who      string    `json:"who"`              // name of the acting user
	At       time.Time `json:"at"`               // when, UTC
	Before   string    `json:"before,omitempty"` // JSON of the record before, "" on create
	After    string    `json:"after,omitempty"`  // JSON of the record after, "" on delete
}

// AgreementFilter selects agreements. Zero fields select everything.
type AgreementFilter struct {
	Parties     []string        // state codes that must all be parties
	Field       string          // policy field
	Kind        AgreementKind   // kind of instrument
	Status      AgreementStatus // status
	From, To    int             // calendar years of the signing date, inclusive; 0 leaves the bound open
	Search      string          // case-insensitive substring of id or title
	WithParties bool            // fill Parties of each result (NParties is always filled)
	Limit       int             // at most this many results; 0 for all
	Offset      int             // skip this many results first
}

// CommitmentFilter selects commitments. Zero fields select everything.
type CommitmentFilter struct {
	AgreementID string           // of this agreement
	Responsible string           // with this responsible state
	Status      CommitmentStatus // with this stored status
	DueFrom     string           // due on or after this date (YYYY-MM-DD)
	DueTo       string           // due on or before this date
	OverdueOn   string           // open and due before this date
	Parties     []string         // of agreements to which all these states are parties
	Field       string           // of agreements in this field
	Limit       int              // at most this many results; 0 for all
	Offset      int              // skip this many results first
}

// RateBy names what implementation rates are grouped by.
type RateBy string

// Groupings of implementation rates.
const (
	RateByAgreement RateBy = "agreement"
	RateByPair      RateBy = "pair"
	RateByField     RateBy = "field"
)

// Rate is the implementation rate of one group of commitments: Done / (Total − Cancelled).
type Rate struct {
	Key       string  `json:"key"`       // agreement id, "AAA-BBB" pair of states, or field
	Total     int     `json:"total"`     // commitments
	Done      int     `json:"done"`      // done
	Cancelled int     `json:"cancelled"` // cancelled (left out of the rate)
	Overdue   int     `json:"overdue"`   // open and past due on the day asked
	Rate      float64 `json:"rate"`      // Done/(Total−Cancelled); NaN when nothing is left to count
}

// TimelineEntry is one dated step in the relations of two states under the agreements they share.
type TimelineEntry struct {
	Date        string `json:"date"`            // date in the registry's notation
	AgreementID string `json:"agreement"`       // the agreement
	Title       string `json:"title"`           // its title
	State       string `json:"state,omitempty"` // the state that took the step, "" for the agreement as a whole
	Event       string `json:"event"`           // signed, ratified, in-force, withdrew, ended, commitment-due, commitment-done
}

// AgreementImportStats reports what an agreement import changed.
type AgreementImportStats struct {
	Added       int `json:"added"`       // agreements new to the registry
	Updated     int `json:"updated"`     // agreements replaced by a different record
	Unchanged   int `json:"unchanged"`   // agreements already stored as they are
	Parties     int `json:"parties"`     // party rows of the imported agreements
	Commitments int `json:"commitments"` // commitments added (one with the same agreement, text, responsible and due date as a stored one is skipped)
}

// Errors the registry stores return; test with errors.Is.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict: the record was changed by someone else since it was read")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("not authenticated")
	ErrExists       = errors.New("already exists")
)

// AgreementStore keeps the registry of agreements and commitments and the
// history of their changes. Every write is made by a user, goes through
// [Authorize] and is recorded as a [Change]; updates carry the version they
// were read at and fail with [ErrConflict] when the stored one differs.
type AgreementStore interface {
	// ImportAgreements adds or replaces agreements (by ID) and adds commitments in one transaction: all or nothing.
	ImportAgreements(ctx context.Context, by User, as []Agreement, cs []Commitment) (AgreementImportStats, error)
	// CreateAgreement adds a new agreement; its ID must be unused ([ErrExists]).
	CreateAgreement(ctx context.Context, by User, a Agreement) (Agreement, error)
	// UpdateAgreement replaces the agreement with a.ID if its stored version is a.Version.
	UpdateAgreement(ctx context.Context, by User, a Agreement) (Agreement, error)
	// DeleteAgreement removes an agreement and its commitments if its stored version is version.
	DeleteAgreement(ctx context.Context, by User, id string, version int) error
	// Agreement returns one agreement with its parties, or [ErrNotFound].
	Agreement(ctx context.Context, id string) (Agreement, error)
	// Agreements returns the agreements that pass f, by signing date then ID.
	Agreements(ctx context.Context, f AgreementFilter) ([]Agreement, error)
	// CountAgreements returns the number of agreements and party rows stored.
	CountAgreements(ctx context.Context) (agreements, parties int, err error)
	// CreateCommitment adds a commitment to an existing agreement and returns it with its ID.
	CreateCommitment(ctx context.Context, by User, c Commitment) (Commitment, error)
	// UpdateCommitment replaces the commitment with c.ID if its stored version is c.Version.
	UpdateCommitment(ctx context.Context, by User, c Commitment) (Commitment, error)
	// DeleteCommitment removes a commitment if its stored version is version.
	DeleteCommitment(ctx context.Context, by User, id int64, version int) error
	// Commitment returns one commitment, or [ErrNotFound].
	Commitment(ctx context.Context, id int64) (Commitment, error)
	// Commitments returns the commitments that pass f, by due date (undated last) then ID.
	Commitments(ctx context.Context, f CommitmentFilter) ([]Commitment, error)
	// Rates returns implementation rates grouped by, over the commitments that pass f; overdue counted on day asOf.
	Rates(ctx context.Context, by RateBy, f CommitmentFilter, asOf string) ([]Rate, error)
	// Timeline returns the dated steps of the agreements both states are party to, by date.
	Timeline(ctx context.Context, a, b string) ([]TimelineEntry, error)
	// TimelinePage returns at most limit steps (all when limit is 0) of a and b's timeline from offset on, and the number of steps in all.
	TimelinePage(ctx context.Context, a, b string, limit, offset int) ([]TimelineEntry, int, error)
	// History returns the changes of one record (entity "" and id "" for all), oldest first.
	History(ctx context.Context, entity, id string) ([]Change, error)
	// AgreementHistory returns every change made under an agreement, oldest first: its own and its commitments', deleted ones and the agreement's own deletion included (none for an id never used).
	AgreementHistory(ctx context.Context, id string) ([]Change, error)
}

// Registry is a store of agreements and users, what a server needs.
type Registry interface {
	AgreementStore
	UserStore
}

func joinStrings[S ~string](xs []S) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// MarshalJSON writes the rate as null when it is NaN (nothing to count).
func (r Rate) MarshalJSON() ([]byte, error) {
	type plain Rate
	v := struct {
		plain
		Rate *float64 `json:"rate"`
	}{plain: plain(r)}
	if !math.IsNaN(r.Rate) {
		v.Rate = &r.Rate
	}
	return json.Marshal(v)
}
