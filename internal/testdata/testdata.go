// Package testdata locates the shared real data sets that tests and
// benchmarks read in place (never copied into the repository).
//
// The directory is $CONCORD_DATA, else ../shared/data beside the module root.
// When it is missing, tests are skipped, unless CONCORD_REQUIRE_DATA=1, when
// they fail: CI sets it so that a missing data set cannot pass unnoticed.
package testdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data directory, or skips (or fails, when
// CONCORD_REQUIRE_DATA=1) tb when it is not there.
func Dir(tb testing.TB) string {
	tb.Helper()
	d, err := Locate()
	if err != nil {
		if os.Getenv("CONCORD_REQUIRE_DATA") == "1" {
			tb.Fatalf("shared data required (CONCORD_REQUIRE_DATA=1) but not found: %v", err)
		}
		tb.Skipf("shared data not found (%v); set CONCORD_DATA", err)
	}
	return d
}

// File returns the path of a file under the shared data directory, skipping
// or failing tb as Dir does when it is missing.
func File(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(Dir(tb), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CONCORD_REQUIRE_DATA") == "1" {
			tb.Fatalf("shared data file required but missing: %v", err)
		}
		tb.Skipf("shared data file missing: %v", err)
	}
	return p
}

// Locate returns the shared data directory without a testing.TB.
func Locate() (string, error) {
	if d := os.Getenv("CONCORD_DATA"); d != "" {
		if _, err := os.Stat(d); err != nil {
			return "", err
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared", "data")
			if _, err := os.Stat(d); err != nil {
				return "", err
			}
			return filepath.Clean(d), nil
		}
		if filepath.Dir(dir) == dir {
			return "", os.ErrNotExist
		}
	}
}
