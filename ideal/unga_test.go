package ideal

import (
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/testdata"
)

// The real record, read once for all tests from the shared data directory
// (votes.csv.gz, roll_calls.csv.gz and issues.csv.gz of the 2021 release).
// States are keyed by the country_code column (ISO 3166-1 alpha-2, as in the
// file: US, RU, IL, …), or by the country name when the code is empty.
var (
	realOnce sync.Once
	realM    *concord.Matrix
	realErr  error
	realName map[string]string // country name → key
)

func realMatrix(tb testing.TB) *concord.Matrix {
	tb.Helper()
	dir := filepath.Join(testdata.Dir(tb), "unga")
	realOnce.Do(func() { realM, realName, realErr = readUNGA(dir) })
	if realErr != nil {
		tb.Fatal(realErr)
	}
	return realM
}

// readCSV calls fn with every record after the header of a gzipped CSV file,
// and the record's line number.
func readCSV(path string, ncol int, fn func(rec []string, line int) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r := csv.NewReader(z)
	r.FieldsPerRecord = ncol
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		if err := fn(rec, line); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}

func flag(s string) concord.Flag {
	switch s {
	case "1":
		return concord.FlagTrue
	case "0":
		return concord.FlagFalse
	}
	return concord.FlagUnknown
}

func readUNGA(dir string) (*concord.Matrix, map[string]string, error) {
	var rcs []concord.RollCall
	err := readCSV(filepath.Join(dir, "roll_calls.csv.gz"), 9, func(rec []string, _ int) error {
		id, err := strconv.Atoi(rec[0])
		if err != nil {
			return fmt.Errorf("rcid: %w", err)
		}
		sess, err := strconv.Atoi(rec[1])
		if err != nil {
			return fmt.Errorf("session: %w", err)
		}
		date, err := time.Parse("2006-01-02", rec[3])
		if err != nil {
			return fmt.Errorf("date: %w", err)
		}
		rcs = append(rcs, concord.RollCall{RCID: id, Session: sess, Date: date, Important: flag(rec[2]),
			Resolution: rec[4], Amend: flag(rec[5]), Para: flag(rec[6]), Short: rec[7], Descr: rec[8]})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	issues := map[int][]concord.Issue{}
	err = readCSV(filepath.Join(dir, "issues.csv.gz"), 3, func(rec []string, _ int) error {
		id, err := strconv.Atoi(rec[0])
		if err != nil {
			return fmt.Errorf("rcid: %w", err)
		}
		is, err := concord.ParseIssue(rec[1])
		if err != nil {
			return err
		}
		issues[id] = append(issues[id], is)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for i := range rcs {
		rcs[i].Issues = issues[rcs[i].RCID]
	}
	names := map[string]string{}
	var votes []concord.VoteRecord
	err = readCSV(filepath.Join(dir, "votes.csv.gz"), 4, func(rec []string, _ int) error {
		id, err := strconv.Atoi(rec[0])
		if err != nil {
			return fmt.Errorf("rcid: %w", err)
		}
		v, err := concord.ParseVote(rec[3])
		if err != nil {
			return err
		}
		key, ok := names[rec[1]]
		if !ok {
			key = rec[2]
			if key == "" {
				key = rec[1]
			}
			key = string([]byte(key)) // not to keep the whole line alive
			names[rec[1]] = key
		}
		votes = append(votes, concord.VoteRecord{RCID: id, State: key, Vote: v})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return concord.NewMatrix(rcs, votes), names, nil
}

// sessionCols returns the columns of sessions from … to.
func sessionCols(m *concord.Matrix, from, to int) []int {
	var cols []int
	for c, rc := range m.RollCalls {
		if rc.Session >= from && rc.Session <= to {
			cols = append(cols, c)
		}
	}
	return cols
}
