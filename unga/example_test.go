package unga_test

import (
	"fmt"
	"strings"

	"github.com/concord-project/concord/unga"
)

// A file in Voeten's complete-votes layout holds its own roll calls, so it can be read alone.
func ExampleRead() {
	const csv = `rcid,session,vote,ccode,member,importantvote,date,unres,me,nu,di,hr,co,ec,year
3,1,1,2,1,0,1946-01-01,R/1/66,0,0,0,1,0,0,1946
3,1,3,20,1,0,1946-01-01,R/1/66,0,0,0,1,0,0,1946
3,1,9,31,,0,1946-01-01,R/1/66,0,0,0,1,0,0,1946
3,1,8,365,1,0,1946-01-01,R/1/66,0,0,0,1,0,0,1946
`
	ds, err := unga.Read(strings.NewReader(csv), "complete.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	rc := ds.RollCalls[0]
	fmt.Println(rc.RCID, rc.Session, rc.Date.Format("2006-01-02"), rc.Resolution, rc.Issues)
	for _, v := range ds.Votes {
		fmt.Println(v.State, v.Vote, v.Pos)
	}
	// Output:
	// 3 1 1946-01-01 R/1/66 [hr]
	// BHS nonmember complete.csv:4:5
	// CAN no complete.csv:3:5
	// RUS absent complete.csv:5:5
	// USA yes complete.csv:2:5
}

// Errors name the file, line and column of the problem.
func ExampleInputError() {
	const csv = "rcid,session,vote,ccode,date\n3,1,7,2,1946-01-01\n"
	_, err := unga.Read(strings.NewReader(csv), "complete.csv")
	fmt.Println(err)
	// Output:
	// complete.csv:2:5: column vote: bad vote code "7" (want 1 yes, 2 abstain, 3 no, 8 absent or 9 not a member)
}
