package unga

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestExpandPathsKeepsVoteFilesOfAFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	votes := write("votes.csv", "rcid,country,country_code,vote\n3,Cuba,CU,yes\n")
	rcs := write("roll_calls.csv", "rcid,session,importantvote,date,unres,amend,para,short,descr\n")
	lookup := write("cow_country_codes.csv", "ccode,country,country_code,first_session\n2,United States,US,1\n")
	notes := write("notes.txt", "not data")
	files, skipped, err := ExpandPaths([]string{dir, notes})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{votes, rcs, notes}; !reflect.DeepEqual(files, want) {
		t.Errorf("files = %v, want %v", files, want)
	}
	if want := []string{lookup}; !reflect.DeepEqual(skipped, want) {
		t.Errorf("skipped = %v, want %v", skipped, want)
	}
	if _, _, err := ExpandPaths([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("a missing path gave no error")
	}
}
