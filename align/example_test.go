package align_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
)

func ExampleIndex_Pair() {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	rcs := []concord.RollCall{
		{RCID: 1, Session: 54, Date: day("1999-11-01"), Issues: []concord.Issue{concord.IssueMiddleEast}},
		{RCID: 2, Session: 54, Date: day("1999-12-01")},
		{RCID: 3, Session: 55, Date: day("2000-10-01"), Issues: []concord.Issue{concord.IssueMiddleEast}},
		{RCID: 4, Session: 55, Date: day("2000-11-01")},
	}
	var votes []concord.VoteRecord
	for i, v := range []concord.Vote{concord.Yes, concord.Yes, concord.Yes, concord.No} {
		votes = append(votes, concord.VoteRecord{RCID: i + 1, State: "CUB", Vote: v})
	}
	for i, v := range []concord.Vote{concord.Yes, concord.Abstain, concord.Yes, concord.Absent} {
		votes = append(votes, concord.VoteRecord{RCID: i + 1, State: "IRN", Vote: v})
	}
	ix := align.NewIndex(concord.NewMatrix(rcs, votes))

	rows, err := ix.Pair("CUB", "IRN", align.Window{From: 1999, To: 2000}, align.Year)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("%s votes=%d agree=%.2f s=%.2f kappa=%.2f coincidence=%.2f\n",
			r.Period, r.Votes, r.Agree, r.SScore, r.Kappa, r.Coincidence)
	}
	// Undefined metrics are NaN, and null in JSON.
	b, _ := json.Marshal(rows[1])
	fmt.Println(string(b))

	_, err = ix.Pair("CUB", "XXX", align.Window{}, align.All)
	fmt.Println(err)
	// Output:
	// 1999 votes=2 agree=0.75 s=0.50 kappa=0.00 coincidence=1.00
	// 2000 votes=1 agree=1.00 s=1.00 kappa=NaN coincidence=1.00
	// {"period":"2000","votes":1,"agree":1,"s_score":1,"kappa":null,"coincidence":1}
	// unknown state "XXX" (no vote recorded for it)
}
