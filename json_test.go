package concord

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestRollCallJSONRoundTrip(t *testing.T) {
	in := RollCall{RCID: 7, Session: 54, Date: time.Date(1999, 12, 1, 0, 0, 0, 0, time.UTC), Resolution: "A/RES/54/1",
		Important: FlagTrue, Amend: FlagFalse, Short: "s", Descr: "d", Issues: []Issue{IssueMiddleEast, IssueHumanRights}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"rcid":7,"session":54,"date":"1999-12-01","resolution":"A/RES/54/1","important":true,"amend":false,"para":null,"short":"s","descr":"d","issues":["me","hr"]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var out RollCall
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip: %+v != %+v", out, in)
	}
}
