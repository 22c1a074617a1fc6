package http

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/report"
)

// The registry's pages: the list of agreements with filters (and, for two
// states, their timeline), one agreement with its parties, commitments and
// history, edit forms for agreements and commitments, the commitments due or
// overdue, and implementation rates. Every form is a plain POST carrying the
// session's CSRF token and the version the record was read at, so the pages
// work without JavaScript and a second editor is told plainly when someone
// else saved first.

// agreementPages are the web pages of the agreements registry, and the login page.
func (s *Server) agreementPages() []page {
	return append([]page{
		{Path: "/agreements", Template: "agreements", Nav: "Agreements", load: s.loadAgreementList},
		{Path: "/agreements/{id}", Template: "agreements_detail", load: s.loadAgreementDetail},
		{Path: "/agreements/new", Template: "agreements_edit", load: s.loadAgreementNew},
		{Path: "/agreements/{id}/edit", Template: "agreements_edit", load: s.loadAgreementEdit},
		{Path: "/agreements/{id}/commitments/new", Template: "agreements_commitment", load: s.loadCommitmentNew},
		{Path: "/commitments/{id}/edit", Template: "agreements_commitment", load: s.loadCommitmentEdit},
		{Path: "/commitments", Template: "agreements_commitments", load: s.loadCommitmentList},
		{Path: "/agreements/rates", Template: "agreements_rates", load: s.loadRates},
	}, s.loginPages()...)
}

// agreementForms are the POST forms of the registry's pages.
func (s *Server) agreementForms() []formPost {
	return []formPost{
		{Path: "/agreements/new", handle: s.postAgreement},
		{Path: "/agreements/{id}/edit", handle: s.postAgreement},
		{Path: "/agreements/{id}/delete", handle: s.postAgreementDelete},
		{Path: "/agreements/{id}/commitments/new", handle: s.postCommitment},
		{Path: "/commitments/{id}/edit", handle: s.postCommitment},
		{Path: "/commitments/{id}/delete", handle: s.postCommitmentDelete},
	}
}

// regView is what every registry page shows besides its own data.
type regView struct {
	Who        whoData
	Configured bool   // a registry is configured
	Here       string // this page's path and query, to come back to after logging in
}

// regPage checks that a registry is configured and, on a private one, that the reader is logged in.
func (s *Server) regPage(r *nethttp.Request) (regView, error) {
	v := regView{Configured: s.Registry != nil, Here: r.URL.RequestURI()}
	if s.Registry == nil {
		return v, errNoRegistry
	}
	v.Who = s.who(r)
	if s.PrivateRegistry && v.Who.User.Name == "" {
		return v, loginRedirect(v.Here)
	}
	return v, nil
}

// pageParams are the filters of the list pages.
var (
	pPagePage   = param{Name: "page", Type: "integer", Min: 1, Max: 1_000_000, Description: "page number"}
	pTlPage     = param{Name: "tlpage", Type: "integer", Min: 1, Max: 1_000_000, Description: "page of the pair's timeline"}
	pFlash      = param{Name: "saved", Type: "string", Description: "what was just saved"}
	pPageStatus = param{Name: "status", Type: "string"}
)

const pageSize = 50

// timelinePageSize is the number of steps of a pair's timeline the list page
// shows at once (Server.timelineRows overrides it); the CSV has them all.
const timelinePageSize = 100

// agreementListData is what agreements.html shows.
type agreementListData struct {
	regView
	Parties                 [2]string
	Field, Kind, Status     string
	From, To                int
	Search                  string
	Rows                    []concord.Agreement
	Page                    int
	PrevURL, NextURL        string
	CSV                     string
	Filtered                bool
	Timeline                []concord.TimelineEntry // the steps of this page of the timeline
	TimelineCSV             string
	TimelineOf              [2]string
	TimelineTotal           int // steps in the whole timeline
	TimelineFirst           int // the number of the page's first step, from 1
	TimelineLast            int // the number of its last step
	TimelinePage            int
	TimelinePrevURL         string
	TimelineNextURL         string
	States                  []stateChoice
	Fields, Kinds, Statuses []string
	Deleted                 string
}

// PageTitle is the page's title.
func (agreementListData) PageTitle() string { return "Agreements" }

func (s *Server) loadAgreementList(r *nethttp.Request) (any, error) {
	d := agreementListData{Fields: concord.Fields, Kinds: enumOf(concord.AgreementKinds), Statuses: enumOf(concord.AgreementStatuses)}
	q, err := pageQuery(r, []param{pParty, pAgField, pAgKind, pAgStatus, pAgFrom, pAgTo, pAgSearch, pPagePage, pTlPage, {Name: "deleted", Type: "string"}})
	if err != nil {
		return nil, err
	}
	d.regView, err = s.regPage(r)
	if errors.Is(err, errNoRegistry) {
		return d, nil // the page says so
	}
	if err != nil {
		return nil, err
	}
	f, err := q.agreementFilter()
	if err != nil {
		return nil, err
	}
	for i, p := range f.Parties {
		if i < 2 {
			d.Parties[i] = p
		}
	}
	d.Field, d.Kind, d.Status, d.From, d.To, d.Search = f.Field, string(f.Kind), string(f.Status), f.From, f.To, f.Search
	d.Filtered = len(f.Parties) > 0 || f.Field != "" || f.Kind != "" || f.Status != "" || f.From != 0 || f.To != 0 || f.Search != ""
	d.Deleted = q.get("deleted")
	if d.Page, err = q.int(pPagePage, 1); err != nil {
		return nil, err
	}
	f.Limit, f.Offset = pageSize+1, (d.Page-1)*pageSize
	as, err := s.Registry.Agreements(r.Context(), f)
	if err != nil {
		return nil, err
	}
	if len(as) > pageSize {
		as = as[:pageSize]
		d.NextURL = withPage(r.URL, d.Page+1)
	}
	if d.Page > 1 {
		d.PrevURL = withPage(r.URL, d.Page-1)
	}
	d.Rows = as
	v := url.Values{}
	for k, vs := range r.URL.Query() {
		if k != "page" && k != "deleted" {
			v[k] = vs
		}
	}
	v.Set("format", "csv")
	v.Set("limit", strconv.Itoa(maxPage))
	d.CSV = "/api/v1/agreements?" + v.Encode()
	if len(f.Parties) == 2 {
		d.TimelineOf = [2]string{f.Parties[0], f.Parties[1]}
		if d.TimelinePage, err = q.int(pTlPage, 1); err != nil {
			return nil, err
		}
		size := cmp.Or(s.timelineRows, timelinePageSize)
		offset := (d.TimelinePage - 1) * size
		if d.Timeline, d.TimelineTotal, err = s.Registry.TimelinePage(r.Context(), f.Parties[0], f.Parties[1], size, offset); err != nil {
			return nil, err
		}
		d.TimelineFirst, d.TimelineLast = offset+1, offset+len(d.Timeline)
		if d.TimelinePage > 1 {
			d.TimelinePrevURL = withPageOf(r.URL, "tlpage", min(d.TimelinePage-1, (d.TimelineTotal+size-1)/size)) + "#tl-h"
		}
		if offset+len(d.Timeline) < d.TimelineTotal {
			d.TimelineNextURL = withPageOf(r.URL, "tlpage", d.TimelinePage+1) + "#tl-h"
		}
		// limit=0, the whole timeline, by hand: apiURL leaves out zeros.
		d.TimelineCSV = apiURL("/api/v1/timeline", "a", f.Parties[0], "b", f.Parties[1], "format", "csv") + "&limit=0"
	}
	d.States = s.voterChoices(r)
	return d, nil
}

// withPage returns u's path and query with page set to n.
func withPage(u *url.URL, n int) string { return withPageOf(u, "page", n) }

// withPageOf returns u's path and query with the page parameter key set to n
// (left out for the first page).
func withPageOf(u *url.URL, key string, n int) string {
	v := u.Query()
	v.Del("deleted")
	if n <= 1 {
		v.Del(key)
	} else {
		v.Set(key, strconv.Itoa(n))
	}
	if len(v) == 0 {
		return u.Path
	}
	return u.Path + "?" + v.Encode()
}

// historyRow is one change as the detail page shows it.
type historyRow struct {
	concord.Change
	Fields []string // the fields that changed (updates)
}

// changedFields lists the top-level JSON fields that differ between before and after.
func changedFields(before, after string) []string {
	var b, a map[string]json.RawMessage
	if json.Unmarshal([]byte(before), &b) != nil || json.Unmarshal([]byte(after), &a) != nil {
		return nil
	}
	var out []string
	for k, v := range a {
		switch k {
		case "version", "updated", "created", "n_parties":
			continue
		}
		if string(b[k]) != string(v) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// agreementDetailData is what agreements_detail.html shows.
type agreementDetailData struct {
	regView
	A           concord.Agreement
	Commitments []commitmentRow
	History     []historyRow
	Rate        *concord.Rate
	AsOf        string
	Saved       string
	Deleted     int64 // the commitment just deleted, 0 for none
	PairURL     string
}

// PageTitle is the page's title.
func (d agreementDetailData) PageTitle() string { return d.A.Title }

func (s *Server) loadAgreementDetail(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, []param{pAgID, pFlash, pDeletedCm})
	if err != nil {
		return nil, err
	}
	d := agreementDetailData{AsOf: time.Now().UTC().Format("2006-01-02"), Saved: q.get("saved")}
	if n, err := q.int(pDeletedCm, 0); err == nil {
		d.Deleted = int64(n)
	}
	if d.regView, err = s.regPage(r); err != nil {
		return nil, err
	}
	ctx := r.Context()
	if d.A, err = s.Registry.Agreement(ctx, q.get("id")); err != nil {
		return nil, regErr(err, false)
	}
	cs, err := s.Registry.Commitments(ctx, concord.CommitmentFilter{AgreementID: d.A.ID})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		d.Commitments = append(d.Commitments, commitmentRow{c, c.OverdueOn(d.AsOf)})
	}
	if len(cs) > 0 {
		rs, err := s.Registry.Rates(ctx, concord.RateByAgreement, concord.CommitmentFilter{AgreementID: d.A.ID}, d.AsOf)
		if err != nil {
			return nil, err
		}
		if len(rs) == 1 {
			d.Rate = &rs[0]
		}
	}
	h, err := s.Registry.AgreementHistory(ctx, d.A.ID)
	if err != nil {
		return nil, err
	}
	for i := len(h) - 1; i >= 0; i-- { // newest first
		d.History = append(d.History, historyRow{h[i], changedFields(h[i].Before, h[i].After)})
	}
	var states []string
	for _, p := range d.A.Parties {
		if !p.NonState {
			states = append(states, p.State)
		}
	}
	if len(states) == 2 {
		d.PairURL = "/agreements?party=" + url.QueryEscape(states[0]) + "&party=" + url.QueryEscape(states[1])
	}
	return d, nil
}

// agreementFormData is what agreements_edit.html shows: an agreement as form values.
type agreementFormData struct {
	regView
	New                                bool
	ID, Title, Kind, Subject, Status   string
	Signed, Force, End, Place, Summary string
	Fields                             []string
	Sources, Tags, Parties             string
	Version                            int
	Error                              *Error
	Conflict                           *conflictInfo
	AllFields, Kinds, Statuses         []string
}

// PageTitle is the page's title.
func (d agreementFormData) PageTitle() string {
	if d.New {
		return "New agreement"
	}
	return "Edit " + d.ID
}

// Invalid reports whether the error is about the named form field.
func (d agreementFormData) Invalid(name string) bool { return d.Error != nil && d.Error.Param == name }

// HasField reports whether the agreement is in field f.
func (d agreementFormData) HasField(f string) bool { return slices.Contains(d.Fields, f) }

// conflictInfo tells the second editor who saved first and how their version differs.
type conflictInfo struct {
	Who     string
	At      time.Time
	Version int
	Diffs   []fieldDiff
	Deleted bool
}

// fieldDiff is one field whose stored value differs from the one submitted.
type fieldDiff struct{ Field, Theirs, Yours string }

func agreementForm(a concord.Agreement) agreementFormData {
	d := agreementFormData{ID: a.ID, Title: a.Title, Kind: string(a.Kind), Subject: a.Subject, Status: string(a.Status),
		Signed: a.Signed, Force: a.Force, End: a.End, Place: a.Place, Summary: a.Summary, Fields: a.Fields,
		Sources: strings.Join(a.Sources, "\n"), Tags: strings.Join(a.Tags, ", "), Version: a.Version}
	var lines []string
	for _, p := range a.Parties {
		l := strings.TrimRight(strings.Join([]string{p.State, p.Signature, p.Ratification, p.Force, p.Withdrawal}, ", "), ", ")
		if p.NonState {
			l = strings.Join([]string{p.State, p.Signature, p.Ratification, p.Force, p.Withdrawal, "non-state"}, ", ")
		}
		lines = append(lines, l)
	}
	d.Parties = strings.Join(lines, "\n")
	return d
}

func (d *agreementFormData) choices() {
	d.AllFields, d.Kinds, d.Statuses = concord.Fields, enumOf(concord.AgreementKinds), enumOf(concord.AgreementStatuses)
}

// splitList splits text on newlines (and commas when commas is set), trimmed, empty items left out.
func splitList(s string, commas bool) []string {
	sep := func(r rune) bool { return r == '\n' || r == '\r' || (commas && r == ',') }
	var out []string
	for _, x := range strings.FieldsFunc(s, sep) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// agreementFromForm reads the agreement the form describes.
func agreementFromForm(f url.Values) (concord.Agreement, agreementFormData, error) {
	d := agreementFormData{ID: strings.TrimSpace(f.Get("id")), Title: f.Get("title"), Kind: f.Get("kind"), Subject: f.Get("subject"), Status: f.Get("status"),
		Signed: strings.TrimSpace(f.Get("signed")), Force: strings.TrimSpace(f.Get("force")), End: strings.TrimSpace(f.Get("end")), Place: f.Get("place"),
		Summary: f.Get("summary"), Fields: f["fields"], Sources: f.Get("sources"), Tags: f.Get("tags"), Parties: f.Get("parties")}
	a := concord.Agreement{ID: d.ID, Title: strings.TrimSpace(d.Title), Kind: concord.AgreementKind(d.Kind), Subject: strings.TrimSpace(d.Subject),
		Status: concord.AgreementStatus(d.Status), Signed: d.Signed, Force: d.Force, End: d.End, Place: strings.TrimSpace(d.Place),
		Summary: strings.TrimSpace(d.Summary), Fields: append([]string{}, d.Fields...), Sources: splitList(d.Sources, false), Tags: splitList(d.Tags, true)}
	v, err := strconv.Atoi(f.Get("version"))
	if err != nil && f.Get("version") != "" {
		return a, d, badParam("version", "the form's version is not a number: reload the page")
	}
	d.Version, a.Version = v, v
	for i, line := range splitList(d.Parties, false) {
		cols := strings.Split(line, ",")
		for len(cols) < 6 {
			cols = append(cols, "")
		}
		for j := range cols {
			cols[j] = strings.TrimSpace(cols[j])
		}
		if len(cols) > 6 {
			return a, d, badParam("parties", fmt.Sprintf("line %d: %q has more than 6 columns (state, signature, ratification, force, withdrawal, non-state)", i+1, clip(line)))
		}
		ns := strings.EqualFold(cols[5], "non-state")
		if cols[5] != "" && !ns {
			return a, d, badParam("parties", fmt.Sprintf("line %d: the sixth column is %q; write non-state for a party that is not a state, or leave it empty", i+1, clip(cols[5])))
		}
		a.Parties = append(a.Parties, concord.Party{State: cols[0], Signature: cols[1], Ratification: cols[2], Force: cols[3], Withdrawal: cols[4], NonState: ns})
	}
	return a, d, nil
}

func (s *Server) loadAgreementNew(r *nethttp.Request) (any, error) {
	if _, err := pageQuery(r, nil); err != nil {
		return nil, err
	}
	rv, err := s.regPage(r)
	if err != nil {
		return nil, err
	}
	if !rv.Who.CanWrite() {
		return nil, s.needRole(rv, concord.ActionWrite)
	}
	d := agreementFormData{regView: rv, New: true, Kind: string(concord.KindAgreement), Status: string(concord.StatusSigned)}
	d.choices()
	return d, nil
}

// needRole is the answer to a reader who may not open a form: log in, or 403.
func (s *Server) needRole(rv regView, action concord.Action) error {
	if rv.Who.User.Name == "" {
		return loginRedirect(rv.Here)
	}
	return authError(concord.Authorize(rv.Who.User, action))
}

func (s *Server) loadAgreementEdit(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, []param{pAgID})
	if err != nil {
		return nil, err
	}
	rv, err := s.regPage(r)
	if err != nil {
		return nil, err
	}
	if !rv.Who.CanWrite() {
		return nil, s.needRole(rv, concord.ActionWrite)
	}
	a, err := s.Registry.Agreement(r.Context(), q.get("id"))
	if err != nil {
		return nil, regErr(err, false)
	}
	d := agreementForm(a)
	d.regView = rv
	d.choices()
	return d, nil
}

// lastChange returns who changed a record last and when.
func (s *Server) lastChange(ctx context.Context, entity, id string) (concord.Change, bool) {
	h, err := s.Registry.History(ctx, entity, id)
	if err != nil || len(h) == 0 {
		return concord.Change{}, false
	}
	return h[len(h)-1], true
}

// formError renders a form again with the error, or the error page when it is not about the form.
func (s *Server) formError(w nethttp.ResponseWriter, r *nethttp.Request, err error) bool {
	var red redirect
	if errors.As(err, &red) {
		nethttp.Redirect(w, r, string(red), nethttp.StatusSeeOther)
		return true
	}
	e := asError(err)
	switch e.Status {
	case nethttp.StatusUnauthorized:
		// The session ended: log in again and come back to the form.
		nethttp.Redirect(w, r, string(loginRedirect(r.URL.Path)), nethttp.StatusSeeOther)
		return true
	case nethttp.StatusBadRequest:
		return false
	}
	s.renderError(w, r, err)
	return true
}

// formWriter returns the user behind a POSTed form allowed to do action, or
// answers the request itself (no registry, not logged in, forbidden, bad
// CSRF token) and reports false.
func (s *Server) formWriter(w nethttp.ResponseWriter, r *nethttp.Request, action concord.Action) (concord.User, bool) {
	if s.Registry == nil {
		s.renderError(w, r, errNoRegistry)
		return concord.User{}, false
	}
	u, err := s.formUser(r, action)
	if err != nil {
		s.formError(w, r, err)
		return concord.User{}, false
	}
	return u, true
}

func (s *Server) postAgreement(w nethttp.ResponseWriter, r *nethttp.Request) {
	u, ok := s.formWriter(w, r, concord.ActionWrite)
	if !ok {
		return
	}
	isNew := r.PathValue("id") == ""
	a, d, err := agreementFromForm(r.PostForm)
	d.regView = regView{Who: s.who(r), Configured: true, Here: r.URL.Path}
	d.New = isNew
	d.choices()
	if !isNew {
		a.ID, d.ID = r.PathValue("id"), r.PathValue("id")
	}
	if err == nil && isNew && reservedIDs[strings.ToLower(a.ID)] {
		err = badParam("id", fmt.Sprintf("%q is reserved (a page of this site): choose another id", a.ID))
	}
	if err == nil {
		err = checkAgreement(&a)
	}
	if err == nil {
		if isNew {
			a, err = s.Registry.CreateAgreement(r.Context(), u, a)
		} else {
			a, err = s.Registry.UpdateAgreement(r.Context(), u, a)
		}
	}
	if err == nil {
		nethttp.Redirect(w, r, "/agreements/"+url.PathEscape(a.ID)+"?saved=agreement", nethttp.StatusSeeOther)
		return
	}
	status := nethttp.StatusBadRequest
	switch {
	case errors.Is(err, concord.ErrConflict):
		status = nethttp.StatusConflict
		cur, gerr := s.Registry.Agreement(r.Context(), a.ID)
		if errors.Is(gerr, concord.ErrNotFound) {
			d.Conflict = &conflictInfo{Deleted: true}
			d.Error = &Error{Status: status, Message: "Your changes were not saved: someone deleted this agreement after you opened it."}
			break
		}
		if gerr != nil {
			s.renderError(w, r, gerr)
			return
		}
		d.Conflict = agreementConflict(cur, d)
		if ch, ok := s.lastChange(r.Context(), "agreement", a.ID); ok {
			d.Conflict.Who, d.Conflict.At = ch.Who, ch.At
		}
		d.Version = cur.Version // saving again now overwrites theirs, knowingly
		d.Error = &Error{Status: status, Message: "Your changes were not saved: someone else saved this agreement after you opened it."}
	case errors.Is(err, concord.ErrExists):
		status = nethttp.StatusConflict
		d.Error = &Error{Status: status, Param: "id", Message: err.Error() + ": choose another id"}
	default:
		e := asError(regErr(err, false))
		if e.Status != nethttp.StatusBadRequest {
			s.formError(w, r, regErr(err, false))
			return
		}
		d.Error = e
	}
	s.render(w, r, "agreements_edit", status, d)
}

// agreementConflict lists the fields where the stored agreement differs from the form.
func agreementConflict(cur concord.Agreement, yours agreementFormData) *conflictInfo {
	theirs := agreementForm(cur)
	c := &conflictInfo{Version: cur.Version}
	add := func(field, t, y string) {
		if strings.TrimSpace(t) != strings.TrimSpace(y) {
			c.Diffs = append(c.Diffs, fieldDiff{field, t, y})
		}
	}
	add("Title", theirs.Title, yours.Title)
	add("Kind", theirs.Kind, yours.Kind)
	add("Status", theirs.Status, yours.Status)
	add("Fields", strings.Join(theirs.Fields, ", "), strings.Join(yours.Fields, ", "))
	add("Subject", theirs.Subject, yours.Subject)
	add("Signed", theirs.Signed, yours.Signed)
	add("In force", theirs.Force, yours.Force)
	add("Ended", theirs.End, yours.End)
	add("Place", theirs.Place, yours.Place)
	add("Summary", theirs.Summary, yours.Summary)
	add("Sources", theirs.Sources, strings.Join(splitList(yours.Sources, false), "\n"))
	add("Tags", theirs.Tags, strings.Join(splitList(yours.Tags, true), ", "))
	add("Parties", theirs.Parties, strings.Join(splitList(yours.Parties, false), "\n"))
	return c
}

func (s *Server) postAgreementDelete(w nethttp.ResponseWriter, r *nethttp.Request) {
	u, ok := s.formWriter(w, r, concord.ActionDelete)
	if !ok {
		return
	}
	id := r.PathValue("id")
	v, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		s.renderError(w, r, badParam("version", "the form's version is missing: reload the page"))
		return
	}
	if err := s.Registry.DeleteAgreement(r.Context(), u, id, v); err != nil {
		if errors.Is(err, concord.ErrConflict) {
			err = &Error{Status: nethttp.StatusConflict, Message: "Not deleted: someone changed agreement " + id +
				" after you opened it. Open it again, check their change, and delete it then if you still want to."}
		}
		s.renderError(w, r, regErr(err, false))
		return
	}
	nethttp.Redirect(w, r, "/agreements?deleted="+url.QueryEscape(id), nethttp.StatusSeeOther)
}

// pDeletedCm is the commitment just deleted, shown on its agreement's page.
var pDeletedCm = param{Name: "deleted", Type: "integer", Min: 1, Description: "the commitment just deleted"}

// postCommitmentDelete deletes a commitment from its edit page (admins, at
// the version the page was read at) and goes back to its agreement.
func (s *Server) postCommitmentDelete(w nethttp.ResponseWriter, r *nethttp.Request) {
	u, ok := s.formWriter(w, r, concord.ActionDelete)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.renderError(w, r, badParam("id", "not a commitment id"))
		return
	}
	v, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		s.renderError(w, r, badParam("version", "the form's version is missing: reload the page"))
		return
	}
	c, err := s.Registry.Commitment(r.Context(), id)
	if err == nil {
		err = s.Registry.DeleteCommitment(r.Context(), u, id, v)
	}
	if err != nil {
		switch {
		case errors.Is(err, concord.ErrConflict):
			err = &Error{Status: nethttp.StatusConflict, Message: fmt.Sprintf("Not deleted: someone changed commitment %d after you opened it. "+
				"Open it again, check their change, and delete it then if you still want to.", id)}
		case errors.Is(err, concord.ErrNotFound):
			err = &Error{Status: nethttp.StatusNotFound, Message: fmt.Sprintf("Commitment %d is not in the registry: someone may have deleted it already.", id)}
		}
		s.renderError(w, r, regErr(err, false))
		return
	}
	nethttp.Redirect(w, r, "/agreements/"+url.PathEscape(c.AgreementID)+"?deleted="+strconv.FormatInt(id, 10)+"#commitments-h", nethttp.StatusSeeOther)
}

// commitmentFormData is what agreements_commitment.html shows.
type commitmentFormData struct {
	regView
	New                                   bool
	ID                                    int64
	AgreementID, AgreementTitle           string
	Text, Responsible, Due, Status, Notes string
	Progress                              string
	Evidence                              string
	Version                               int
	Parties                               []string
	Statuses                              []string
	Error                                 *Error
	Conflict                              *conflictInfo
}

// PageTitle is the page's title.
func (d commitmentFormData) PageTitle() string {
	if d.New {
		return "New commitment"
	}
	return fmt.Sprintf("Edit commitment %d", d.ID)
}

// Invalid reports whether the error is about the named form field.
func (d commitmentFormData) Invalid(name string) bool { return d.Error != nil && d.Error.Param == name }

func commitmentForm(c concord.Commitment) commitmentFormData {
	return commitmentFormData{ID: c.ID, AgreementID: c.AgreementID, Text: c.Text, Responsible: c.Responsible, Due: c.Due,
		Status: string(c.Status), Notes: c.Notes, Progress: strconv.Itoa(c.Progress), Evidence: strings.Join(c.Evidence, "\n"), Version: c.Version}
}

// withAgreement fills the agreement's title and parties (for the responsible menu).
func (s *Server) withAgreement(ctx context.Context, d *commitmentFormData) error {
	a, err := s.Registry.Agreement(ctx, d.AgreementID)
	if err != nil {
		return regErr(err, false)
	}
	d.AgreementTitle = a.Title
	for _, p := range a.Parties {
		if !p.NonState {
			d.Parties = append(d.Parties, p.State)
		}
	}
	d.Statuses = enumOf(concord.CommitmentStatuses)
	return nil
}

func (s *Server) loadCommitmentNew(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, []param{pAgID})
	if err != nil {
		return nil, err
	}
	rv, err := s.regPage(r)
	if err != nil {
		return nil, err
	}
	if !rv.Who.CanWrite() {
		return nil, s.needRole(rv, concord.ActionWrite)
	}
	d := commitmentFormData{regView: rv, New: true, AgreementID: q.get("id"), Status: string(concord.CommitmentNotStarted), Progress: "0"}
	return d, s.withAgreement(r.Context(), &d)
}

func (s *Server) loadCommitmentEdit(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, []param{pCmID})
	if err != nil {
		return nil, err
	}
	rv, err := s.regPage(r)
	if err != nil {
		return nil, err
	}
	if !rv.Who.CanWrite() {
		return nil, s.needRole(rv, concord.ActionWrite)
	}
	id, err := q.int(pCmID, 0)
	if err != nil {
		return nil, err
	}
	c, err := s.Registry.Commitment(r.Context(), int64(id))
	if err != nil {
		return nil, regErr(err, false)
	}
	d := commitmentForm(c)
	d.regView = rv
	return d, s.withAgreement(r.Context(), &d)
}

func (s *Server) postCommitment(w nethttp.ResponseWriter, r *nethttp.Request) {
	u, ok := s.formWriter(w, r, concord.ActionWrite)
	if !ok {
		return
	}
	var err error
	f := r.PostForm
	d := commitmentFormData{regView: regView{Who: s.who(r), Configured: true, Here: r.URL.Path}, Text: f.Get("text"), Responsible: f.Get("responsible"),
		Due: strings.TrimSpace(f.Get("due")), Status: f.Get("status"), Notes: f.Get("notes"), Progress: strings.TrimSpace(f.Get("progress")), Evidence: f.Get("evidence")}
	isNew := strings.HasPrefix(r.URL.Path, "/agreements/")
	d.New = isNew
	var old concord.Commitment
	if isNew {
		d.AgreementID = r.PathValue("id")
	} else {
		id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if perr != nil {
			s.renderError(w, r, badParam("id", "not a commitment id"))
			return
		}
		if old, err = s.Registry.Commitment(r.Context(), id); err != nil {
			s.renderError(w, r, regErr(err, false))
			return
		}
		d.ID, d.AgreementID = id, old.AgreementID
	}
	if err := s.withAgreement(r.Context(), &d); err != nil {
		s.renderError(w, r, err)
		return
	}
	c := concord.Commitment{ID: d.ID, AgreementID: d.AgreementID, Text: strings.TrimSpace(d.Text), Responsible: strings.TrimSpace(d.Responsible),
		Due: d.Due, Status: concord.CommitmentStatus(d.Status), Notes: strings.TrimSpace(d.Notes), Evidence: splitList(d.Evidence, false)}
	d.Version, _ = strconv.Atoi(f.Get("version"))
	c.Version = d.Version
	if d.Progress != "" {
		c.Progress, err = strconv.Atoi(d.Progress)
		if err != nil {
			err = badParam("progress", fmt.Sprintf("progress %q is not a whole number 0–100", clip(d.Progress)))
		}
	}
	if err == nil {
		err = checkCommitment(&c)
	}
	if err == nil {
		if isNew {
			c, err = s.Registry.CreateCommitment(r.Context(), u, c)
		} else {
			c, err = s.Registry.UpdateCommitment(r.Context(), u, c)
		}
	}
	if err == nil {
		nethttp.Redirect(w, r, "/agreements/"+url.PathEscape(c.AgreementID)+"?saved=commitment-"+strconv.FormatInt(c.ID, 10)+"#c"+strconv.FormatInt(c.ID, 10), nethttp.StatusSeeOther)
		return
	}
	status := nethttp.StatusBadRequest
	if errors.Is(err, concord.ErrConflict) {
		status = nethttp.StatusConflict
		cur, gerr := s.Registry.Commitment(r.Context(), d.ID)
		if gerr != nil {
			s.renderError(w, r, regErr(gerr, false))
			return
		}
		theirs := commitmentForm(cur)
		ci := &conflictInfo{Version: cur.Version}
		for _, x := range []fieldDiff{{"What is promised", theirs.Text, d.Text}, {"Responsible", theirs.Responsible, d.Responsible}, {"Due", theirs.Due, d.Due},
			{"Status", theirs.Status, d.Status}, {"Progress", theirs.Progress, d.Progress}, {"Evidence", theirs.Evidence, strings.Join(splitList(d.Evidence, false), "\n")},
			{"Notes", theirs.Notes, d.Notes}} {
			if strings.TrimSpace(x.Theirs) != strings.TrimSpace(x.Yours) {
				ci.Diffs = append(ci.Diffs, x)
			}
		}
		if ch, ok := s.lastChange(r.Context(), "commitment", strconv.FormatInt(d.ID, 10)); ok {
			ci.Who, ci.At = ch.Who, ch.At
		}
		d.Conflict, d.Version = ci, cur.Version
		d.Error = &Error{Status: status, Message: "Your changes were not saved: someone else saved this commitment after you opened it."}
	} else {
		e := asError(regErr(err, false))
		if e.Status != nethttp.StatusBadRequest {
			s.formError(w, r, regErr(err, false))
			return
		}
		d.Error = e
	}
	s.render(w, r, "agreements_commitment", status, d)
}

// commitmentListData is what agreements_commitments.html shows.
type commitmentListData struct {
	regView
	View             string // all, due, overdue
	Within           int
	AsOf             string
	Party, Field     string
	Status           string
	Rows             []commitmentRow
	Titles           map[string]string
	Page             int
	PrevURL, NextURL string
	CSV              string
	States           []stateChoice
	Fields, Statuses []string
}

// PageTitle is the page's title.
func (commitmentListData) PageTitle() string { return "Commitments" }

var pCmView = param{Name: "view", Type: "string", Enum: []string{"all", "due", "overdue"}, Description: "all, due (within days) or overdue"}

func (s *Server) loadCommitmentList(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, []param{pCmView, pWithin, pAsOf, {Name: "party", Type: "string"}, pAgField, pCmStatus, pPagePage})
	if err != nil {
		return nil, err
	}
	d := commitmentListData{Fields: concord.Fields, Statuses: enumOf(concord.CommitmentStatuses), Titles: map[string]string{}}
	if d.regView, err = s.regPage(r); err != nil {
		return nil, err
	}
	if d.AsOf, err = q.asOf(); err != nil {
		return nil, err
	}
	d.View = q.get("view")
	if d.View == "" {
		d.View = "overdue"
	}
	if d.Within, err = q.int(pWithin, 90); err != nil {
		return nil, err
	}
	if d.Page, err = q.int(pPagePage, 1); err != nil {
		return nil, err
	}
	var f concord.CommitmentFilter
	if q.get("party") != "" {
		p, err := q.state("party")
		if err != nil {
			return nil, err
		}
		d.Party, f.Parties = p, []string{p}
	}
	if d.Field, err = q.field(); err != nil {
		return nil, err
	}
	f.Field = d.Field
	if st := q.get("status"); st != "" {
		cs, err := concord.ParseCommitmentStatus(st)
		if err != nil {
			return nil, badParam("status", err.Error())
		}
		d.Status, f.Status = string(cs), cs
	}
	api := url.Values{"as_of": {d.AsOf}, "format": {"csv"}, "limit": {strconv.Itoa(maxPage)}}
	switch d.View {
	case "overdue":
		f.OverdueOn = d.AsOf
		api.Set("overdue", "true")
	case "due":
		day, _ := time.Parse("2006-01-02", d.AsOf)
		f.DueFrom, f.DueTo = d.AsOf, day.AddDate(0, 0, d.Within).Format("2006-01-02")
		api.Set("within", strconv.Itoa(d.Within))
	}
	for k, v := range map[string]string{"party": d.Party, "field": d.Field, "status": d.Status} {
		if v != "" {
			api.Set(k, v)
		}
	}
	d.CSV = "/api/v1/commitments?" + api.Encode()
	var cs []concord.Commitment
	if d.View == "due" { // open ones only: filtered here, then paged
		all, err := s.Registry.Commitments(r.Context(), f)
		if err != nil {
			return nil, err
		}
		for _, c := range all {
			if c.Open() {
				cs = append(cs, c)
			}
		}
		cs = cs[min((d.Page-1)*pageSize, len(cs)):]
		cs = cs[:min(len(cs), pageSize+1)]
	} else {
		f.Limit, f.Offset = pageSize+1, (d.Page-1)*pageSize
		if cs, err = s.Registry.Commitments(r.Context(), f); err != nil {
			return nil, err
		}
	}
	if len(cs) > pageSize {
		cs = cs[:pageSize]
		d.NextURL = withPage(r.URL, d.Page+1)
	}
	if d.Page > 1 {
		d.PrevURL = withPage(r.URL, d.Page-1)
	}
	for _, c := range cs {
		d.Rows = append(d.Rows, commitmentRow{c, c.OverdueOn(d.AsOf)})
		if _, ok := d.Titles[c.AgreementID]; !ok {
			if a, err := s.Registry.Agreement(r.Context(), c.AgreementID); err == nil {
				d.Titles[c.AgreementID] = a.Title
			}
		}
	}
	d.States = s.voterChoices(r)
	return d, nil
}

// ratesData is what agreements_rates.html shows.
type ratesData struct {
	regView
	By, Party, Party2, Field, AsOf string
	Rates                          []concord.Rate
	CSV                            string
	Fields                         []string
	States                         []stateChoice
	Message                        string
}

// PageTitle is the page's title.
func (ratesData) PageTitle() string { return "Implementation rates" }

// Pct shows a rate as a percentage, "—" when there is nothing to count.
func (ratesData) Pct(r concord.Rate) string {
	if r.Total-r.Cancelled <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", r.Rate*100)
}

// Label names a group: an agreement's title, a pair's names, or a field.
func (d ratesData) Label(r concord.Rate) string {
	if d.By == "pair" {
		a, b, _ := strings.Cut(r.Key, "-")
		return report.StateName(a) + " – " + report.StateName(b)
	}
	return r.Key
}

func (s *Server) loadRates(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, []param{pRateBy, pParty, pAgField, pAsOf})
	if err != nil {
		return nil, err
	}
	d := ratesData{Fields: concord.Fields}
	if d.regView, err = s.regPage(r); err != nil {
		return nil, err
	}
	if d.AsOf, err = q.asOf(); err != nil {
		return nil, err
	}
	d.By = q.get("by")
	if d.By == "" {
		d.By = "field"
	}
	if d.By != "agreement" && d.By != "pair" && d.By != "field" {
		return nil, badParam("by", "want agreement, pair or field")
	}
	var f concord.CommitmentFilter
	if f.Parties, err = q.states("party"); err != nil {
		return nil, err
	}
	if len(f.Parties) > 2 {
		return nil, badParam("party", "at most two states")
	}
	if len(f.Parties) > 0 {
		d.Party = f.Parties[0]
	}
	if len(f.Parties) > 1 {
		d.Party2 = f.Parties[1]
	}
	if d.Field, err = q.field(); err != nil {
		return nil, err
	}
	f.Field = d.Field
	d.States = s.voterChoices(r)
	if d.By == "pair" && len(f.Parties) == 0 {
		d.Message = "Rates per pair of states need a state: choose one (each pair it forms) or two (that pair)."
		return d, nil
	}
	if d.Rates, err = s.Registry.Rates(r.Context(), concord.RateBy(d.By), f, d.AsOf); err != nil {
		return nil, err
	}
	kv := []string{"by", d.By, "field", d.Field, "as_of", d.AsOf, "format", "csv"}
	d.CSV = apiURL("/api/v1/rates", kv...)
	for _, p := range f.Parties {
		d.CSV += "&party=" + url.QueryEscape(p)
	}
	return d, nil
}
