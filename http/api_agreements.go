package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// The parameters of the registry's endpoints, with the names of the flags of
// `concord agreements list` and `concord commitments`.
var (
	pParty     = param{Name: "party", Type: "string", Repeated: true, Description: "a state that must be a party (repeat for several: all of them must be); code or name", Example: "FRA"}
	pAgField   = param{Name: "field", Type: "string", Enum: concord.Fields, Description: "policy field", Example: "science"}
	pAgKind    = param{Name: "kind", Type: "string", Enum: enumOf(concord.AgreementKinds), Description: "kind of instrument"}
	pAgStatus  = param{Name: "status", Type: "string", Enum: enumOf(concord.AgreementStatuses), Description: "status of the agreement"}
	pAgFrom    = param{Name: "from", Type: "integer", Max: 9999, Description: "first calendar year of the signing date (inclusive)", Example: "1990"}
	pAgTo      = param{Name: "to", Type: "integer", Max: 9999, Description: "last calendar year of the signing date (inclusive)", Example: "2020"}
	pAgSearch  = param{Name: "search", Type: "string", Description: "only agreements whose id or title contains this text (case-insensitive)"}
	pWithParty = param{Name: "parties", Type: "boolean", Description: "fill each agreement's parties with their dates (n_parties is always filled)"}
	pPageLimit = param{Name: "limit", Type: "integer", Min: 1, Max: maxPage, Default: "100", Description: "at most this many rows"}
	pOffset    = param{Name: "offset", Type: "integer", Max: 100_000_000, Default: "0", Description: "skip this many rows first (next page: offset + limit)"}
	pAgID      = param{Name: "id", In: "path", Type: "string", Description: "agreement id, e.g. a GGO treatyID", Example: "DEU-FRA_2001A"}
	pCmID      = param{Name: "id", In: "path", Type: "integer", Min: 1, Description: "commitment id", Example: "1"}
	pCmAgr     = param{Name: "agreement", Type: "string", Description: "of this agreement (id)"}
	pCmResp    = param{Name: "responsible", Type: "string", Description: "with this responsible state (code or name)"}
	pCmStatus  = param{Name: "status", Type: "string", Enum: enumOf(concord.CommitmentStatuses), Description: "with this stored status"}
	pDueFrom   = param{Name: "due_from", Type: "string", Description: "due on or after this date (YYYY-MM-DD)", Example: "2000-01-01"}
	pDueTo     = param{Name: "due_to", Type: "string", Description: "due on or before this date (YYYY-MM-DD)", Example: "2030-12-31"}
	pOverdue   = param{Name: "overdue", Type: "boolean", Description: "only commitments overdue on as_of: neither done nor cancelled and due before it"}
	pWithin    = param{Name: "within", Type: "integer", Max: 3660, Description: "only commitments due within this many days from as_of that are neither done nor cancelled (the due view; not with due_from or due_to)"}
	pAsOf      = param{Name: "as_of", Type: "string", Description: "the day overdue is counted on, YYYY-MM-DD (default today, UTC)"}
	pRateBy    = param{Name: "by", Type: "string", Enum: []string{"agreement", "pair", "field"}, Default: "agreement", Description: "one rate per agreement, per pair of states (give one or two party), or per field"}
	pTlA       = param{Name: "a", Type: "string", Required: true, Description: "a state: code or name", Example: "FRA"}
	pTlB       = param{Name: "b", Type: "string", Required: true, Description: "the other state", Example: "DEU"}
	pTlLimit   = param{Name: "limit", Type: "integer", Min: 0, Max: maxPage, Default: "100", Description: "at most this many steps; 0 for the whole timeline"}
)

// maxPage bounds the rows of one page of a list.
const maxPage = 5000

func enumOf[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// Error statuses the registry's endpoints document.
var (
	errsRead   = map[int]string{404: "no such record, or an unknown state", 401: "reading needs a login on this server (PrivateRegistry)"}
	errsWrite  = map[int]string{401: "no or bad credentials: an API token (Authorization: Bearer) or a session cookie", 403: "the role may not do this, or a session's CSRF token is missing or wrong", 413: "body larger than 1 MiB", 415: "body is not application/json"}
	errsUpdate = map[int]string{404: "no such record", 412: "If-Match is not the stored version: someone changed the record since you read it; read it again", 428: "If-Match missing: send the ETag you read"}
)

func merge(ms ...map[int]string) map[int]string {
	out := map[int]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// agreementEndpoints are the endpoints of the agreements registry (`concord agreements`, `concord commitments`).
func (s *Server) agreementEndpoints() []endpoint {
	listParams := []param{pParty, pAgField, pAgKind, pAgStatus, pAgFrom, pAgTo, pAgSearch, pWithParty, pPageLimit, pOffset}
	cmParams := []param{pCmAgr, pParty, pAgField, pCmResp, pCmStatus, pDueFrom, pDueTo, pOverdue, pWithin, pAsOf, pPageLimit, pOffset}
	return []endpoint{
		{Path: "/api/v1/agreements", Registry: true, Errors: errsRead, Result: "AgreementPage",
			Summary:     "Agreements: between states (bilateral and shared multilateral), by field, kind, status and period",
			Description: "As `concord agreements list`: several party parameters mean all of them are parties. Ordered by signing date, then id; a page at a time (limit, offset).",
			Params:      listParams, Example: "party=FRA&party=DEU", handle: s.handleAgreements},
		{Method: "POST", Path: "/api/v1/agreements", Registry: true, Auth: concord.ActionWrite, Body: "Agreement", Result: "Agreement", Status: 201,
			Errors: merge(errsWrite, map[int]string{409: "an agreement with this id exists"}), Summary: "Add an agreement (editors and admins)",
			Description: "The body is an agreement; version, n_parties, created and updated are set by the server (any given are ignored). Answers 201 with the stored record, its ETag and Location.",
			serve:       s.createAgreement},
		{Path: "/api/v1/agreements/{id}", Registry: true, Errors: errsRead, Result: "Agreement", Params: []param{pAgID},
			Summary:     "One agreement with its parties and their dates",
			Description: "The ETag header is the record's version: send it back as If-Match to update or delete it.",
			serve:       s.showAgreement},
		{Method: "PUT", Path: "/api/v1/agreements/{id}", Registry: true, Auth: concord.ActionWrite, Body: "Agreement", Result: "Agreement", Params: []param{pAgID},
			Errors: merge(errsWrite, errsUpdate), Summary: "Replace an agreement (editors and admins), at the version read",
			Description: "Needs If-Match with the ETag read (428 without, 412 when someone changed the record since). The body replaces the whole record; its id, if given, must be the path's.",
			serve:       s.updateAgreement},
		{Method: "DELETE", Path: "/api/v1/agreements/{id}", Registry: true, Auth: concord.ActionDelete, Params: []param{pAgID}, Status: 204,
			Errors: merge(errsWrite, errsUpdate), Summary: "Delete an agreement and its commitments (admins), at the version read",
			Description: "Needs If-Match with the ETag read. The deletion is kept in the history.",
			serve:       s.deleteAgreement},
		{Path: "/api/v1/agreements/{id}/history", Registry: true, Errors: merge(errsRead, map[int]string{404: "no agreement ever had this id: nothing was recorded under it (a deleted agreement's history is still served)"}), Result: "History", Params: []param{pAgID},
			Summary:     "Who changed an agreement and its commitments, when, and the records before and after",
			Description: "Oldest first: the agreement's own changes and those of its commitments, including commitments deleted since, and the agreement's deletion with its commitments'. before and after are the records as JSON text (empty on create and delete). A deleted agreement keeps its history, still served here (200); an id never used is 404.",
			handle:      s.handleAgreementHistory},
		{Path: "/api/v1/commitments", Registry: true, Errors: errsRead, Result: "CommitmentPage", Params: cmParams,
			Summary:     "Commitments: due, overdue, by agreement, party or field",
			Description: "As `concord commitments list|due|overdue`. overdue in each row says whether it is overdue on as_of whatever its stored status. Ordered by due date (undated last), then id.",
			handle:      s.handleCommitments},
		{Method: "POST", Path: "/api/v1/commitments", Registry: true, Auth: concord.ActionWrite, Body: "Commitment", Result: "Commitment", Status: 201,
			Errors: merge(errsWrite, map[int]string{404: "no such agreement"}), Summary: "Add a commitment to an agreement (editors and admins)",
			Description: "The body is a commitment with its agreement; id, version, created and updated are set by the server. status defaults to not-started.",
			serve:       s.createCommitment},
		{Path: "/api/v1/commitments/{id}", Registry: true, Errors: errsRead, Result: "Commitment", Params: []param{pCmID, pAsOf},
			Summary: "One commitment", Description: "The ETag header is the record's version: send it back as If-Match to update or delete it.",
			serve: s.showCommitment},
		{Method: "PUT", Path: "/api/v1/commitments/{id}", Registry: true, Auth: concord.ActionWrite, Body: "Commitment", Result: "Commitment", Params: []param{pCmID},
			Errors: merge(errsWrite, errsUpdate), Summary: "Replace a commitment (editors and admins), at the version read",
			Description: "Needs If-Match with the ETag read (428 without, 412 on a conflict). A commitment stays with its agreement.",
			serve:       s.updateCommitment},
		{Method: "DELETE", Path: "/api/v1/commitments/{id}", Registry: true, Auth: concord.ActionDelete, Params: []param{pCmID}, Status: 204,
			Errors: merge(errsWrite, errsUpdate), Summary: "Delete a commitment (admins), at the version read",
			Description: "Needs If-Match with the ETag read (428 without, 412 when someone changed the record since). The deletion, with the record before it, is kept in the history.",
			serve:       s.deleteCommitment},
		{Path: "/api/v1/commitments/{id}/history", Registry: true, Errors: errsRead, Result: "History", Params: []param{pCmID},
			Summary: "Who changed a commitment, when, before and after", handle: s.handleCommitmentHistory},
		{Path: "/api/v1/rates", Registry: true, Errors: errsRead, Result: "Rates",
			Params:      []param{pRateBy, pCmAgr, pParty, pAgField, pCmResp, pAsOf},
			Summary:     "Implementation rates: done / commitments not cancelled, per agreement, pair of states or field",
			Description: "As `concord agreements rates`. by=pair needs one party (each pair it forms) or two (that pair). rate is null when nothing is left to count.",
			Example:     "by=agreement", handle: s.handleRates},
		{Path: "/api/v1/timeline", Registry: true, Errors: errsRead, Result: "Timeline", Params: []param{pTlA, pTlB, pTlLimit, pOffset},
			Summary: "Timeline of the agreements two states share",
			Description: "As `concord agreements timeline`: signatures, ratifications, entry into force, withdrawals and commitments due, by date " +
				"(then agreement). A page at a time (limit, offset; total counts the steps of the whole timeline); limit=0 gives the whole timeline.",
			handle: s.handleTimeline},
		{Path: "/api/v1/me", Registry: true, Auth: concord.ActionRead, Result: "Me", Errors: map[int]string{401: "no or bad credentials"},
			Summary: "Who the credentials sent belong to, and their role", serve: s.serveMe},
		{Path: "/api/v1/users", Registry: true, Auth: concord.ActionManageUsers, Result: "Users",
			Errors:  map[int]string{401: "no or bad credentials", 403: "only admins list the users"},
			Summary: "The registry's users and their roles (admins)", Description: "Accounts are managed with `concord users`.",
			handle: s.handleUsers},
	}
}

// ---- results ----

// agreementPage is one page of agreements.
type agreementPage struct {
	Agreements []concord.Agreement `json:"agreements"`
	Limit      int                 `json:"limit"`
	Offset     int                 `json:"offset"`
	More       bool                `json:"more"` // another page may follow
}

// Table is one row per agreement, as `concord agreements list`.
func (p agreementPage) Table() output.Table {
	t := output.Table{Columns: []string{"id", "signed", "kind", "fields", "status", "parties", "title"}}
	for _, a := range p.Agreements {
		t.Rows = append(t.Rows, []any{a.ID, a.Signed, string(a.Kind), strings.Join(a.Fields, " "), string(a.Status), a.NParties, a.Title})
	}
	return t
}

// agreementResult is one agreement.
type agreementResult struct{ concord.Agreement }

// Table is one row per fact and party, as `concord agreements show`.
func (d agreementResult) Table() output.Table { return report.AgreementTable(d.Agreement, nil) }

// commitmentRow is a commitment with whether it is overdue on the day asked.
type commitmentRow struct {
	concord.Commitment
	Overdue bool `json:"overdue"` // open and past due on as_of
}

// commitmentPage is one page of commitments.
type commitmentPage struct {
	AsOf        string          `json:"as_of"`
	Commitments []commitmentRow `json:"commitments"`
	Limit       int             `json:"limit"`
	Offset      int             `json:"offset"`
	More        bool            `json:"more"`
}

// Table is one row per commitment, as `concord commitments list`.
func (p commitmentPage) Table() output.Table {
	t := output.Table{Columns: []string{"id", "agreement", "responsible", "due", "status", "progress", "overdue", "text"}}
	for _, c := range p.Commitments {
		od := ""
		if c.Overdue {
			od = "overdue"
		}
		t.Rows = append(t.Rows, []any{c.ID, c.AgreementID, c.Responsible, c.Due, string(c.Status), c.Progress, od, c.Text})
	}
	return t
}

// Table is the one commitment's row.
func (c commitmentRow) Table() output.Table {
	return commitmentPage{Commitments: []commitmentRow{c}}.Table()
}

// historyResult is the changes of records.
type historyResult struct {
	Changes []concord.Change `json:"changes"`
}

// Table is one row per change, as `concord agreements history`.
func (h historyResult) Table() output.Table {
	t := output.Table{Columns: []string{"at", "who", "entity", "id", "action", "version"}}
	for _, c := range h.Changes {
		t.Rows = append(t.Rows, []any{c.At.Format(time.RFC3339), c.Who, c.Entity, c.EntityID, c.Action, c.Version})
	}
	return t
}

// rateResult is implementation rates.
type rateResult struct {
	By    string         `json:"by"`
	AsOf  string         `json:"as_of"`
	Rates []concord.Rate `json:"rates"`
}

// Table is one row per group, as `concord agreements rates`.
func (r rateResult) Table() output.Table {
	t := output.Table{Columns: []string{"key", "commitments", "done", "cancelled", "overdue", "rate"}}
	for _, x := range r.Rates {
		t.Rows = append(t.Rows, []any{x.Key, x.Total, x.Done, x.Cancelled, x.Overdue, x.Rate})
	}
	return t
}

// timelineResult is one page of the timeline of a pair.
type timelineResult struct {
	A       string                  `json:"a"`
	B       string                  `json:"b"`
	Entries []concord.TimelineEntry `json:"entries"`
	Total   int                     `json:"total"`  // steps in the whole timeline
	Limit   int                     `json:"limit"`  // 0: the whole timeline
	Offset  int                     `json:"offset"` // steps skipped
	More    bool                    `json:"more"`   // another page follows (offset + limit)
}

// jsonBody is the JSON of the page, with its final newline, for writeJSON:
// the same bytes as json.Marshal writes, without reflection over thousands of
// steps (the whole timeline of FRA and DEU is 3,668).
func (l timelineResult) jsonBody() []byte {
	b := make([]byte, 0, 128+96*len(l.Entries))
	b = append(b, `{"a":`...)
	b = appendJSONString(b, l.A)
	b = append(b, `,"b":`...)
	b = appendJSONString(b, l.B)
	b = append(b, `,"entries":[`...)
	for i, e := range l.Entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"date":`...)
		b = appendJSONString(b, e.Date)
		b = append(b, `,"agreement":`...)
		b = appendJSONString(b, e.AgreementID)
		b = append(b, `,"title":`...)
		b = appendJSONString(b, e.Title)
		if e.State != "" {
			b = append(b, `,"state":`...)
			b = appendJSONString(b, e.State)
		}
		b = append(b, `,"event":`...)
		b = appendJSONString(b, e.Event)
		b = append(b, '}')
	}
	b = append(b, `],"total":`...)
	b = strconv.AppendInt(b, int64(l.Total), 10)
	b = append(b, `,"limit":`...)
	b = strconv.AppendInt(b, int64(l.Limit), 10)
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, int64(l.Offset), 10)
	b = append(b, `,"more":`...)
	b = strconv.AppendBool(b, l.More)
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string, as json.Marshal writes it:
// printable ASCII other than the characters it escapes is copied, anything
// else is left to json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Table is one row per step, as `concord agreements timeline`.
func (l timelineResult) Table() output.Table {
	t := output.Table{Columns: []string{"date", "state", "event", "agreement", "title"}}
	for _, e := range l.Entries {
		t.Rows = append(t.Rows, []any{e.Date, e.State, e.Event, e.AgreementID, e.Title})
	}
	return t
}

// ---- parsing ----

// regErr maps the registry's errors to HTTP: not found 404, exists 409, a
// version conflict 412 when the caller sent If-Match (409 otherwise),
// unauthenticated 401, forbidden 403.
func regErr(err error, ifMatch bool) error {
	var e *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return e
	case errors.Is(err, concord.ErrNotFound):
		return &Error{Status: nethttp.StatusNotFound, Message: err.Error()}
	case errors.Is(err, concord.ErrExists):
		return &Error{Status: nethttp.StatusConflict, Param: "id", Message: err.Error()}
	case errors.Is(err, concord.ErrConflict):
		if ifMatch {
			return &Error{Status: nethttp.StatusPreconditionFailed, Param: "If-Match", Message: err.Error() + "; read it again (GET) and apply your change to the new version"}
		}
		return &Error{Status: nethttp.StatusConflict, Message: err.Error()}
	case errors.Is(err, concord.ErrUnauthorized), errors.Is(err, concord.ErrForbidden):
		return authError(err)
	}
	return err
}

// states resolves the party parameters to state codes.
func (q *query) states(name string) ([]string, error) {
	var out []string
	for _, v := range q.all(name) {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x == "" {
				continue
			}
			st, err := countries.Lookup(x)
			if err != nil {
				return nil, stateError(name, err)
			}
			out = append(out, st.Code)
		}
	}
	return out, nil
}

// date parses a YYYY-MM-DD parameter, "" when absent.
func (q *query) date(name string) (string, error) {
	s := q.get(name)
	if s == "" {
		return "", nil
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return "", badParam(name, fmt.Sprintf("want a date YYYY-MM-DD, got %q", clip(s)))
	}
	return s, nil
}

// asOf is the as_of parameter, today (UTC) by default.
func (q *query) asOf() (string, error) {
	d, err := q.date("as_of")
	if d == "" && err == nil {
		d = time.Now().UTC().Format("2006-01-02")
	}
	return d, err
}

// page parses limit and offset.
func (q *query) page() (limit, offset int, err error) {
	if limit, err = q.int(pPageLimit, 100); err != nil {
		return
	}
	offset, err = q.int(pOffset, 0)
	return
}

func (q *query) field() (string, error) {
	if s := q.get("field"); s != "" {
		f, err := concord.ParseField(s)
		if err != nil {
			return "", badParam("field", err.Error())
		}
		return f, nil
	}
	return "", nil
}

func (q *query) agreementFilter() (concord.AgreementFilter, error) {
	var f concord.AgreementFilter
	var err error
	if f.Parties, err = q.states("party"); err != nil {
		return f, err
	}
	if f.Field, err = q.field(); err != nil {
		return f, err
	}
	if s := q.get("kind"); s != "" {
		if f.Kind, err = concord.ParseAgreementKind(s); err != nil {
			return f, badParam("kind", err.Error())
		}
	}
	if s := q.get("status"); s != "" {
		if f.Status, err = concord.ParseAgreementStatus(s); err != nil {
			return f, badParam("status", err.Error())
		}
	}
	if f.From, err = q.int(pAgFrom, 0); err != nil {
		return f, err
	}
	if f.To, err = q.int(pAgTo, 0); err != nil {
		return f, err
	}
	if f.From != 0 && f.To != 0 && f.From > f.To {
		return f, badParam("from", fmt.Sprintf("from %d is after to %d", f.From, f.To))
	}
	f.Search = q.get("search")
	if f.WithParties, err = q.bool(pWithParty); err != nil {
		return f, err
	}
	f.Limit, f.Offset, err = q.page()
	return f, err
}

func (q *query) commitmentFilter() (concord.CommitmentFilter, error) {
	var f concord.CommitmentFilter
	var err error
	f.AgreementID = q.get("agreement")
	if f.Parties, err = q.states("party"); err != nil {
		return f, err
	}
	if f.Field, err = q.field(); err != nil {
		return f, err
	}
	if q.get("responsible") != "" {
		if f.Responsible, err = q.state("responsible"); err != nil {
			return f, err
		}
	}
	if s := q.get("status"); s != "" {
		if f.Status, err = concord.ParseCommitmentStatus(s); err != nil {
			return f, badParam("status", err.Error())
		}
	}
	return f, nil
}

// ---- reads ----

func (s *Server) handleAgreements(ctx context.Context, q *query) (output.Tabler, error) {
	f, err := q.agreementFilter()
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	f.Limit++ // one more tells whether another page follows
	as, err := s.Registry.Agreements(ctx, f)
	if err != nil {
		return nil, err
	}
	p := agreementPage{Agreements: as, Limit: limit, Offset: f.Offset}
	if len(as) > limit {
		p.Agreements, p.More = as[:limit], true
	}
	for i := range p.Agreements {
		emptyLists(&p.Agreements[i])
	}
	if p.Agreements == nil {
		p.Agreements = []concord.Agreement{}
	}
	return p, nil
}

// emptyLists makes the list fields of a print as [] rather than null.
func emptyLists(a *concord.Agreement) {
	if a.Parties == nil {
		a.Parties = []concord.Party{}
	}
	if a.Fields == nil {
		a.Fields = []string{}
	}
}

// etag is the ETag of a record at a version.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// ifMatch reads the version of the If-Match header: 428 when it is missing.
func ifMatch(r *nethttp.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, &Error{Status: nethttp.StatusPreconditionRequired, Param: "If-Match",
			Message: "If-Match required: send the ETag of the version you read (GET the record first), so that nobody's change is lost"}
	}
	if h == "*" {
		return 0, badParam("If-Match", `"*" would overwrite whatever is stored: send the ETag of the version you read`)
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || v < 1 {
		return 0, badParam("If-Match", fmt.Sprintf("%q is not an ETag of this server (a version number in quotes, e.g. \"3\")", clip(h)))
	}
	return v, nil
}

// notModified answers 304 when the request's If-None-Match is the record's ETag.
func notModified(w nethttp.ResponseWriter, r *nethttp.Request, tag string) bool {
	for _, t := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/")); t == tag || t == "*" {
			w.WriteHeader(nethttp.StatusNotModified)
			return true
		}
	}
	return false
}

func (s *Server) showAgreement(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	f, err := q.format()
	if err != nil {
		return err
	}
	a, err := s.Registry.Agreement(r.Context(), q.get("id"))
	if err != nil {
		return regErr(err, false)
	}
	emptyLists(&a)
	w.Header().Set("ETag", etag(a.Version))
	w.Header().Set("Cache-Control", "no-cache")
	if notModified(w, r, etag(a.Version)) {
		return nil
	}
	s.writeResult(w, r, f, nethttp.StatusOK, agreementResult{a})
	return nil
}

func (s *Server) handleCommitments(ctx context.Context, q *query) (output.Tabler, error) {
	f, err := q.commitmentFilter()
	if err != nil {
		return nil, err
	}
	day, err := q.asOf()
	if err != nil {
		return nil, err
	}
	if f.DueFrom, err = q.date("due_from"); err != nil {
		return nil, err
	}
	if f.DueTo, err = q.date("due_to"); err != nil {
		return nil, err
	}
	if f.DueFrom != "" && f.DueTo != "" && f.DueFrom > f.DueTo {
		return nil, badParam("due_from", fmt.Sprintf("due_from %s is after due_to %s", f.DueFrom, f.DueTo))
	}
	overdue, err := q.bool(pOverdue)
	if err != nil {
		return nil, err
	}
	if overdue {
		f.OverdueOn = day
	}
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	within := -1
	if q.get("within") != "" {
		if f.DueFrom != "" || f.DueTo != "" {
			return nil, badParam("within", "give either within or due_from/due_to")
		}
		if within, err = q.int(pWithin, 0); err != nil {
			return nil, err
		}
		d, _ := time.Parse("2006-01-02", day)
		f.DueFrom, f.DueTo = day, d.AddDate(0, 0, within).Format("2006-01-02")
	} else {
		f.Limit, f.Offset = limit+1, offset
	}
	cs, err := s.Registry.Commitments(ctx, f)
	if err != nil {
		return nil, err
	}
	if within >= 0 { // the due view: open ones only, paged here
		open := cs[:0]
		for _, c := range cs {
			if c.Open() {
				open = append(open, c)
			}
		}
		cs = open[min(offset, len(open)):]
		if len(cs) > limit+1 {
			cs = cs[:limit+1]
		}
	}
	p := commitmentPage{AsOf: day, Limit: limit, Offset: offset, Commitments: []commitmentRow{}}
	if len(cs) > limit {
		cs, p.More = cs[:limit], true
	}
	for _, c := range cs {
		p.Commitments = append(p.Commitments, commitmentRow{c, c.OverdueOn(day)})
	}
	return p, nil
}

func (s *Server) showCommitment(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	f, err := q.format()
	if err != nil {
		return err
	}
	id, err := q.int(pCmID, 0)
	if err != nil {
		return err
	}
	day, err := q.asOf()
	if err != nil {
		return err
	}
	c, err := s.Registry.Commitment(r.Context(), int64(id))
	if err != nil {
		return regErr(err, false)
	}
	w.Header().Set("ETag", etag(c.Version))
	w.Header().Set("Cache-Control", "no-cache")
	if notModified(w, r, etag(c.Version)) {
		return nil
	}
	s.writeResult(w, r, f, nethttp.StatusOK, commitmentRow{c, c.OverdueOn(day)})
	return nil
}

func (s *Server) handleAgreementHistory(ctx context.Context, q *query) (output.Tabler, error) {
	id := q.get("id")
	h, err := s.Registry.AgreementHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(h) == 0 { // 404 for an id never used; a stored agreement without recorded changes has an empty history
		if _, err := s.Registry.Agreement(ctx, id); err != nil {
			return nil, regErr(err, false)
		}
		h = []concord.Change{}
	}
	return historyResult{h}, nil
}

func (s *Server) handleCommitmentHistory(ctx context.Context, q *query) (output.Tabler, error) {
	id, err := q.int(pCmID, 0)
	if err != nil {
		return nil, err
	}
	h, err := s.Registry.History(ctx, "commitment", strconv.Itoa(id))
	if err != nil {
		return nil, err
	}
	if len(h) == 0 {
		if _, err := s.Registry.Commitment(ctx, int64(id)); err != nil {
			return nil, regErr(err, false)
		}
		h = []concord.Change{}
	}
	return historyResult{h}, nil
}

func (s *Server) handleRates(ctx context.Context, q *query) (output.Tabler, error) {
	f, err := q.commitmentFilter()
	if err != nil {
		return nil, err
	}
	day, err := q.asOf()
	if err != nil {
		return nil, err
	}
	by := concord.RateBy(q.get("by"))
	switch by {
	case "":
		by = concord.RateByAgreement
	case concord.RateByAgreement, concord.RateByField:
	case concord.RateByPair:
		if len(f.Parties) < 1 || len(f.Parties) > 2 {
			return nil, badParam("party", fmt.Sprintf("rates by pair need one party (each pair it forms) or two (that pair); got %d", len(f.Parties)))
		}
	default:
		return nil, badParam("by", fmt.Sprintf("unknown grouping %q (want agreement, pair or field)", clip(string(by))))
	}
	rs, err := s.Registry.Rates(ctx, by, f, day)
	if err != nil {
		return nil, err
	}
	if rs == nil {
		rs = []concord.Rate{}
	}
	return rateResult{By: string(by), AsOf: day, Rates: rs}, nil
}

func (s *Server) handleTimeline(ctx context.Context, q *query) (output.Tabler, error) {
	a, err := q.state("a")
	if err != nil {
		return nil, err
	}
	b, err := q.state("b")
	if err != nil {
		return nil, err
	}
	if a == b {
		return nil, badParam("b", "the same state as a: give two different states")
	}
	limit, err := q.int(pTlLimit, 100)
	if err != nil {
		return nil, err
	}
	offset, err := q.int(pOffset, 0)
	if err != nil {
		return nil, err
	}
	tl, total, err := s.Registry.TimelinePage(ctx, a, b, limit, offset)
	if err != nil {
		return nil, err
	}
	if tl == nil {
		tl = []concord.TimelineEntry{}
	}
	return timelineResult{A: a, B: b, Entries: tl, Total: total, Limit: limit, Offset: offset, More: offset+len(tl) < total}, nil
}

// meResult is who a request's credentials belong to.
type meResult struct {
	Name string       `json:"name"`
	Role concord.Role `json:"role"`
	CSRF string       `json:"csrf,omitempty"` // the session's CSRF token, for scripts of the web UI
}

func (s *Server) serveMe(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	p, err := s.principal(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, nethttp.StatusOK, meResult{p.User.Name, p.User.Role, p.CSRF})
	return nil
}

// userList is the registry's users.
type userList []concord.User

// Table is one row per user, as `concord users list`.
func (l userList) Table() output.Table {
	t := output.Table{Columns: []string{"name", "role", "disabled", "created"}}
	for _, u := range l {
		t.Rows = append(t.Rows, []any{u.Name, string(u.Role), u.Disabled, u.Created.Format(time.RFC3339)})
	}
	return t
}

func (s *Server) handleUsers(ctx context.Context, q *query) (output.Tabler, error) {
	us, err := s.Registry.Users(ctx)
	if err != nil {
		return nil, err
	}
	if us == nil {
		us = []concord.User{}
	}
	return userList(us), nil
}

// ---- writes ----

// decodeBody reads one JSON value of a write's body into v: application/json,
// at most maxBody bytes, no unknown fields, nothing after it.
func decodeBody(r *nethttp.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &Error{Status: nethttp.StatusUnsupportedMediaType, Param: "Content-Type", Message: "the body must be JSON: send Content-Type: application/json"}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		if _, e := dec.Token(); e != io.EOF {
			err = errors.New("text after the JSON value")
		}
	}
	if err == nil {
		return nil
	}
	var tooBig *nethttp.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return &Error{Status: nethttp.StatusRequestEntityTooLarge, Param: "body", Message: fmt.Sprintf("body larger than %d bytes", tooBig.Limit)}
	case errors.Is(err, io.EOF):
		return badParam("body", "empty body: send the record as JSON")
	case errors.As(err, &syn):
		return badParam("body", fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn))
	case errors.As(err, &typ):
		return badParam(typ.Field, fmt.Sprintf("want %s, got JSON %s", typ.Type, typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badParam(name, fmt.Sprintf("unknown field %q", name))
	}
	return badParam("body", err.Error())
}

// validationField names the field a validation message of the domain is about.
func validationField(msg string) string {
	for _, c := range []struct{ has, field string }{
		{"empty id", "id"}, {": id ", "id"}, {"empty title", "title"}, {": kind:", "kind"}, {": fields:", "fields"},
		{": status:", "status"}, {"party", "parties"}, {": signed:", "signed"}, {": force:", "force"}, {": end:", "end"},
		{"no agreement", "agreement"}, {"empty text", "text"}, {": due:", "due"}, {"progress", "progress"},
	} {
		if strings.Contains(msg, c.has) {
			return c.field
		}
	}
	return "body"
}

// reservedIDs would be shadowed by the pages /agreements/new and /agreements/rates.
var reservedIDs = map[string]bool{"new": true, "rates": true, "commitments": true}

// checkAgreement reads kind, fields and status as the CLI does ("MoU", "in
// force"), resolves the parties' states and validates a, naming the field at fault (400).
func checkAgreement(a *concord.Agreement) error {
	if a.Kind != "" {
		k, err := concord.ParseAgreementKind(string(a.Kind))
		if err != nil {
			return badParam("kind", err.Error())
		}
		a.Kind = k
	}
	if a.Status != "" {
		st, err := concord.ParseAgreementStatus(string(a.Status))
		if err != nil {
			return badParam("status", err.Error())
		}
		a.Status = st
	}
	for i, f := range a.Fields {
		pf, err := concord.ParseField(f)
		if err != nil {
			return badParam("fields", err.Error())
		}
		a.Fields[i] = pf
	}
	for i := range a.Parties {
		p := &a.Parties[i]
		if p.NonState || strings.TrimSpace(p.State) == "" {
			continue
		}
		st, err := countries.Lookup(p.State)
		if err != nil {
			e := stateError("parties", err)
			e.Status = nethttp.StatusBadRequest
			e.Message = fmt.Sprintf("party %d: %s (set non_state for an organisation or another non-state party)", i+1, err)
			return e
		}
		p.State = st.Code
	}
	a.Normalize()
	if a.Fields == nil {
		a.Fields = []string{}
	}
	if err := a.Validate(); err != nil {
		return badParam(validationField(err.Error()), err.Error())
	}
	return nil
}

// checkCommitment resolves the responsible state and validates c (400 naming the field).
func checkCommitment(c *concord.Commitment) error {
	if c.Status == "" {
		c.Status = concord.CommitmentNotStarted
	}
	st, err := concord.ParseCommitmentStatus(string(c.Status))
	if err != nil {
		return badParam("status", err.Error())
	}
	c.Status = st
	if strings.TrimSpace(c.Responsible) != "" {
		st, err := countries.Lookup(c.Responsible)
		if err != nil {
			e := stateError("responsible", err)
			e.Status = nethttp.StatusBadRequest
			return e
		}
		c.Responsible = st.Code
	}
	if err := c.Validate(); err != nil {
		return badParam(validationField(err.Error()), err.Error())
	}
	return nil
}

// written answers a write with the stored record, its ETag and, for a creation, its Location.
func written(w nethttp.ResponseWriter, status, version int, location string, v any) {
	w.Header().Set("ETag", etag(version))
	if location != "" {
		w.Header().Set("Location", location)
	}
	writeJSON(w, status, v)
}

func (s *Server) createAgreement(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	var a concord.Agreement
	if err := decodeBody(r, &a); err != nil {
		return err
	}
	if reservedIDs[strings.ToLower(strings.TrimSpace(a.ID))] {
		return badParam("id", fmt.Sprintf("%q is reserved (a page of the web UI): choose another id", a.ID))
	}
	if err := checkAgreement(&a); err != nil {
		return err
	}
	a, err := s.Registry.CreateAgreement(r.Context(), userFrom(r.Context()), a)
	if err != nil {
		return regErr(err, false)
	}
	emptyLists(&a)
	written(w, nethttp.StatusCreated, a.Version, "/api/v1/agreements/"+url.PathEscape(a.ID), a)
	return nil
}

func (s *Server) updateAgreement(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var a concord.Agreement
	if err := decodeBody(r, &a); err != nil {
		return err
	}
	id := q.get("id")
	if a.ID != "" && a.ID != id {
		return badParam("id", fmt.Sprintf("the body's id %q is not the path's %q (an agreement cannot be renamed)", clip(a.ID), clip(id)))
	}
	a.ID, a.Version = id, version
	if err := checkAgreement(&a); err != nil {
		return err
	}
	a, err = s.Registry.UpdateAgreement(r.Context(), userFrom(r.Context()), a)
	if err != nil {
		return regErr(err, true)
	}
	emptyLists(&a)
	written(w, nethttp.StatusOK, a.Version, "", a)
	return nil
}

func (s *Server) deleteAgreement(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.Registry.DeleteAgreement(r.Context(), userFrom(r.Context()), q.get("id"), version); err != nil {
		return regErr(err, true)
	}
	w.WriteHeader(nethttp.StatusNoContent)
	return nil
}

// commitmentTarget returns the commitment a PUT or DELETE names in its path
// and the version its If-Match says was read.
func commitmentTarget(r *nethttp.Request, q *query) (int64, int, error) {
	version, err := ifMatch(r)
	if err != nil {
		return 0, 0, err
	}
	id, err := q.int(pCmID, 0)
	if err != nil {
		return 0, 0, err
	}
	return int64(id), version, nil
}

func (s *Server) deleteCommitment(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	id, version, err := commitmentTarget(r, q)
	if err != nil {
		return err
	}
	if err := s.Registry.DeleteCommitment(r.Context(), userFrom(r.Context()), id, version); err != nil {
		return regErr(err, true)
	}
	w.WriteHeader(nethttp.StatusNoContent)
	return nil
}

// commitmentBody is a commitment as written: what a read gives (overdue too, which is ignored).
type commitmentBody struct {
	concord.Commitment
	Overdue *bool `json:"overdue"`
}

func (s *Server) createCommitment(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	var in commitmentBody
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	c := in.Commitment
	c.ID = 0
	if err := checkCommitment(&c); err != nil {
		return err
	}
	c, err := s.Registry.CreateCommitment(r.Context(), userFrom(r.Context()), c)
	if err != nil {
		return regErr(err, false)
	}
	written(w, nethttp.StatusCreated, c.Version, "/api/v1/commitments/"+strconv.FormatInt(c.ID, 10), c)
	return nil
}

func (s *Server) updateCommitment(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error {
	id, version, err := commitmentTarget(r, q)
	if err != nil {
		return err
	}
	var in commitmentBody
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	c := in.Commitment
	if c.ID != 0 && c.ID != id {
		return badParam("id", fmt.Sprintf("the body's id %d is not the path's %d", c.ID, id))
	}
	old, err := s.Registry.Commitment(r.Context(), id)
	if err != nil {
		return regErr(err, true)
	}
	if c.AgreementID == "" {
		c.AgreementID = old.AgreementID
	}
	if c.AgreementID != old.AgreementID {
		return badParam("agreement", fmt.Sprintf("commitment %d belongs to agreement %s and cannot move to %s", id, old.AgreementID, clip(c.AgreementID)))
	}
	c.ID, c.Version = id, version
	if err := checkCommitment(&c); err != nil {
		return err
	}
	c, err = s.Registry.UpdateCommitment(r.Context(), userFrom(r.Context()), c)
	if err != nil {
		return regErr(err, true)
	}
	written(w, nethttp.StatusOK, c.Version, "", c)
	return nil
}

// registrySchemas are the components/schemas of the registry's records and results.
func registrySchemas() schema {
	ro := func(sc schema) schema { sc["readOnly"] = true; return sc }
	enum := func(desc string, values []string) schema {
		return schema{"type": "string", "enum": values, "description": desc}
	}
	date := func(desc string) schema {
		return str(desc + ": YYYY, YYYY-MM or YYYY-MM-DD (XX for an unknown month or day, a final ? or ~, or a range A..B); empty if unknown")
	}
	return schema{
		"Party": object(schema{
			"state":     str("state code (any code or name is accepted and stored as the code), or the name of a non-state party"),
			"non_state": boolean("an international organisation or another party that is not a state"),
			"signature": date("date the party signed"), "ratification": date("date it ratified, accepted or acceded"),
			"force": date("date the agreement entered into force for it"), "withdrawal": date("date it withdrew or the agreement ended for it"),
		}, "state"),
		"Agreement": object(schema{
			"id": str("registry id, e.g. a GGO treatyID; no spaces, '/', '?', '#' or '%'"), "title": str("title of the instrument"),
			"kind": enum("kind of instrument", enumOf(concord.AgreementKinds)), "fields": array(enum("policy field", concord.Fields)),
			"subject": str("finer subject"), "parties": array(ref("Party")), "n_parties": ro(integer("number of parties")),
			"signed": date("signing (or opening) date"), "force": date("date of entry into force"), "end": date("date of termination or expiry"),
			"place": str("place of signature"), "status": enum("current status", enumOf(concord.AgreementStatuses)),
			"sources": array(str("a reference or URL")), "summary": str("free-text summary"), "tags": array(str("a free tag")),
			"version": ro(integer("version: 1 when created, +1 per update; the ETag")),
			"created": ro(schema{"type": "string", "format": "date-time", "description": "when the record was created"}),
			"updated": ro(schema{"type": "string", "format": "date-time", "description": "when it was last changed"}),
		}, "id", "title", "kind", "fields", "parties", "n_parties", "status", "version", "created", "updated"),
		"AgreementPage": object(schema{"agreements": array(ref("Agreement")), "limit": integer("rows asked for"), "offset": integer("rows skipped"),
			"more": boolean("another page follows (offset + limit)")}, "agreements", "limit", "offset", "more"),
		"Commitment": object(schema{
			"id": ro(integer("registry id")), "agreement": str("id of its agreement"), "text": str("what is promised"),
			"responsible": str("state code of the party responsible; empty for all parties"), "due": str("due date YYYY-MM-DD; empty for none"),
			"status": enum("stored status", enumOf(concord.CommitmentStatuses)), "progress": integer("percent done, 0–100"),
			"evidence": array(str("a link to evidence of implementation")), "notes": str("free-text notes"),
			"version": ro(integer("version: the ETag")),
			"created": ro(schema{"type": "string", "format": "date-time", "description": "when created"}),
			"updated": ro(schema{"type": "string", "format": "date-time", "description": "when last changed"}),
			"overdue": ro(boolean("in reads: neither done nor cancelled and due before as_of")),
		}, "id", "agreement", "text", "status", "progress", "version", "created", "updated"),
		"CommitmentPage": object(schema{"as_of": str("the day overdue is counted on"), "commitments": array(ref("Commitment")),
			"limit": integer("rows asked for"), "offset": integer("rows skipped"), "more": boolean("another page follows")},
			"as_of", "commitments", "limit", "offset", "more"),
		"History": object(schema{"changes": array(object(schema{
			"id": integer("sequence number"), "entity": str("agreement or commitment"), "entity_id": str("the record's id"),
			"action": enum("what was done", []string{"create", "update", "delete"}), "version": integer("the record's version after (0 after a delete)"),
			"who": str("the user who made the change"), "at": schema{"type": "string", "format": "date-time", "description": "when (UTC)"},
			"before": str("the record before, as JSON text; empty on create"), "after": str("the record after, as JSON text; empty on delete"),
		}, "id", "entity", "entity_id", "action", "version", "who", "at"))}, "changes"),
		"Rates": object(schema{"by": enum("grouping", []string{"agreement", "pair", "field"}), "as_of": str("the day overdue is counted on"),
			"rates": array(object(schema{
				"key": str("agreement id, AAA-BBB pair of states, or field"), "total": integer("commitments"), "done": integer("done"),
				"cancelled": integer("cancelled (left out of the rate)"), "overdue": integer("open and past due on as_of"),
				"rate": nullableNumber("done / (total − cancelled); null when nothing is left to count"),
			}, "key", "total", "done", "cancelled", "overdue", "rate"))}, "by", "as_of", "rates"),
		"Timeline": object(schema{"a": str("state code"), "b": str("state code"), "entries": array(object(schema{
			"date": str("date in the registry's notation"), "agreement": str("agreement id"), "title": str("its title"),
			"state": str("the state that took the step; empty for the agreement as a whole"),
			"event": str("signed, ratified, in-force, withdrew, ended, or commitment-due: TEXT"),
		}, "date", "agreement", "title", "event")),
			"total": integer("steps in the whole timeline"), "limit": integer("steps asked for; 0 for all"),
			"offset": integer("steps skipped"), "more": boolean("another page follows (offset + limit)")},
			"a", "b", "entries", "total", "limit", "offset", "more"),
		"Users": array(object(schema{"name": str("login name"), "role": enum("role", []string{"viewer", "editor", "admin"}),
			"disabled": boolean("cannot log in or act"), "created": schema{"type": "string", "format": "date-time", "description": "when the account was made"}},
			"name", "role", "disabled", "created")),
		"Me": object(schema{"name": str("user name"), "role": enum("role", []string{"viewer", "editor", "admin"}),
			"csrf": str("with a session cookie: the session's CSRF token, to send as X-CSRF-Token on writes")}, "name", "role"),
	}
}
