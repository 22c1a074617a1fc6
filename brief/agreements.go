package brief

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	concord "github.com/concord-project/concord"
)

// Agreements is what binds the states: the agreements they are all party to and their commitments.
type Agreements struct {
	Section
	Total        int             `json:"total"`        // agreements all the states are party to
	Bilateral    []AgreementItem `json:"bilateral"`    // those whose only parties are these states (for two states: bilateral)
	Multilateral []AgreementItem `json:"multilateral"` // the most recent shared ones with other parties too (at most MaxMultilateral)
	MultiTotal   int             `json:"multilateral_total"`
	ByField      []FieldCount    `json:"by_field"` // per policy field, most agreements first
	Commitments  int             `json:"commitments"`
	Rate         Num             `json:"rate"`      // done / (commitments − cancelled) over all their commitments; NaN when none count
	Rates        []concord.Rate  `json:"rates"`     // by field, as `concord agreements rates --by field --party A --party B`
	Overdue      []Commitment    `json:"overdue"`   // open commitments past due on AsOfDay
	AsOfDay      string          `json:"as_of_day"` // the day overdue is counted on
}

// AgreementItem is one agreement in a brief.
type AgreementItem struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Kind     string   `json:"kind"`
	Fields   []string `json:"fields"`
	Signed   string   `json:"signed,omitempty"`
	Status   string   `json:"status"`
	NParties int      `json:"n_parties"`
}

// FieldCount counts the shared agreements of one field.
type FieldCount struct {
	Field        string `json:"field"`
	Bilateral    int    `json:"bilateral"`
	Multilateral int    `json:"multilateral"`
}

// Commitment is an overdue commitment with the title of its agreement.
type Commitment struct {
	concord.Commitment
	Agreement string `json:"agreement_title"`
}

func buildAgreements(ctx context.Context, src Sources, b *Brief, from, to int) (Agreements, error) {
	ag := Agreements{Section: Section{Source: "agreements registry (concord agreements: GGO/HUGGO imports and records entered by hand)"},
		Bilateral: []AgreementItem{}, Multilateral: []AgreementItem{}, ByField: []FieldCount{}, Rates: []concord.Rate{},
		Overdue: []Commitment{}, Rate: Num(math.NaN()), AsOfDay: src.Today}
	if src.Registry == nil {
		ag.Missing = "No agreements registry is configured, so what binds these states is not known here."
		return ag, nil
	}
	as, err := src.Registry.Agreements(ctx, concord.AgreementFilter{Parties: b.States, From: from, To: to})
	if err != nil {
		return ag, err
	}
	n, _, err := src.Registry.CountAgreements(ctx)
	if err != nil {
		return ag, err
	}
	ag.Source = fmt.Sprintf("agreements registry, %d agreements (GGO/HUGGO imports and records entered by hand)", n)
	if from != 0 || to != 0 {
		ag.Notes = append(ag.Notes, fmt.Sprintf("only agreements signed in %s", yearsText(from, to)))
	}
	ag.Total = len(as)
	fields := map[string]*FieldCount{}
	titles := map[string]string{}
	var multi []AgreementItem
	for _, a := range as {
		titles[a.ID] = a.Title
		it := AgreementItem{ID: a.ID, Title: a.Title, Kind: string(a.Kind), Fields: a.Fields, Signed: a.Signed, Status: string(a.Status), NParties: a.NParties}
		if it.Fields == nil {
			it.Fields = []string{}
		}
		bil := a.NParties == len(b.States)
		if bil {
			ag.Bilateral = append(ag.Bilateral, it)
		} else {
			multi = append(multi, it)
		}
		fs := a.Fields
		if len(fs) == 0 {
			fs = []string{"other"}
		}
		for _, f := range fs {
			fc := fields[f]
			if fc == nil {
				fc = &FieldCount{Field: f}
				fields[f] = fc
			}
			if bil {
				fc.Bilateral++
			} else {
				fc.Multilateral++
			}
		}
		if a.Signed > ag.AsOf {
			ag.AsOf = a.Signed
		}
	}
	ag.MultiTotal = len(multi)
	slices.Reverse(multi) // newest first
	ag.Multilateral = append(ag.Multilateral, multi[:min(len(multi), MaxMultilateral)]...)
	slices.Reverse(ag.Bilateral)
	for _, fc := range fields {
		ag.ByField = append(ag.ByField, *fc)
	}
	slices.SortFunc(ag.ByField, func(x, y FieldCount) int {
		if d := (y.Bilateral + y.Multilateral) - (x.Bilateral + x.Multilateral); d != 0 {
			return d
		}
		return strings.Compare(x.Field, y.Field)
	})
	// Commitments under the agreements all the states are party to.
	cf := concord.CommitmentFilter{Parties: b.States}
	cs, err := src.Registry.Commitments(ctx, cf)
	if err != nil {
		return ag, err
	}
	ag.Commitments = len(cs)
	done, counted := 0, 0
	for _, c := range cs {
		if c.Status == concord.CommitmentCancelled {
			continue
		}
		counted++
		if c.Status == concord.CommitmentDone {
			done++
		}
	}
	if counted > 0 {
		ag.Rate = Num(float64(done) / float64(counted))
	}
	if ag.Rates, err = src.Registry.Rates(ctx, concord.RateByField, cf, src.Today); err != nil {
		return ag, err
	}
	if ag.Rates == nil {
		ag.Rates = []concord.Rate{}
	}
	cf.OverdueOn = src.Today
	od, err := src.Registry.Commitments(ctx, cf)
	if err != nil {
		return ag, err
	}
	for _, c := range od {
		t := titles[c.AgreementID]
		if t == "" {
			if a, err := src.Registry.Agreement(ctx, c.AgreementID); err == nil {
				t = a.Title
			}
		}
		ag.Overdue = append(ag.Overdue, Commitment{Commitment: c, Agreement: t})
	}
	switch {
	case ag.Total == 0:
		ag.Missing = fmt.Sprintf("The registry holds no agreement to which %s are all party%s.", andList(b.States), yearsSuffix(from, to))
	case ag.Commitments == 0:
		ag.Notes = append(ag.Notes, "no commitments are recorded under these agreements, so there is no implementation rate")
	}
	if ag.AsOf == "" && ag.Total > 0 {
		ag.Notes = append(ag.Notes, "the signing dates of these agreements are unknown")
	}
	return ag, nil
}

// yearsText says a range of years, either end open.
func yearsText(from, to int) string {
	switch {
	case from != 0 && to != 0:
		return fmt.Sprintf("%d–%d", from, to)
	case from != 0:
		return fmt.Sprintf("%d or later", from)
	case to != 0:
		return fmt.Sprintf("%d or earlier", to)
	}
	return "any year"
}

func yearsSuffix(from, to int) string {
	if from == 0 && to == 0 {
		return ""
	}
	return " signed in " + yearsText(from, to)
}
