package events

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// CodeInfo is one CAMEO event code with its description and Goldstein weight.
type CodeInfo struct {
	Code        string  // 2–4 digits with leading zero, e.g. "0431"
	Description string  // CAMEO description
	Goldstein   float64 // Goldstein conflict–cooperation weight, −10 to +10
}

// Root is the code's two-digit root, "01" to "20".
func (c CodeInfo) Root() string { return c.Code[:2] }

// QuadClass is the code's quad class: 1 verbal cooperation (roots 01–05), 2 material cooperation (06–09), 3 verbal conflict (10–14), 4 material conflict (15–20).
func (c CodeInfo) QuadClass() int { return QuadClass(c.Code) }

// QuadClass returns the quad class of a CAMEO code from its root, or 0 for a malformed code.
func QuadClass(code string) int {
	if len(code) < 2 {
		return 0
	}
	r, err := strconv.Atoi(code[:2])
	if err != nil {
		return 0
	}
	switch {
	case r >= 1 && r <= 5:
		return 1
	case r >= 6 && r <= 9:
		return 2
	case r >= 10 && r <= 14:
		return 3
	case r >= 15 && r <= 20:
		return 4
	}
	return 0
}

// Codebook maps CAMEO codes to their description and Goldstein weight.
type Codebook struct {
	codes map[string]CodeInfo
}

// DefaultCodebook returns the built-in codebook: GDELT's CAMEO event codes and Goldstein weights (311 codes).
func DefaultCodebook() *Codebook {
	cb := &Codebook{codes: make(map[string]CodeInfo, len(builtinCodes))}
	for _, c := range builtinCodes {
		cb.codes[c.Code] = c
	}
	return cb
}

// Lookup returns the code's entry; a code missing from the book falls back to its three-digit parent, then its root, keeping the asked code.
func (cb *Codebook) Lookup(code string) (CodeInfo, bool) {
	for c := code; len(c) >= 2; c = c[:len(c)-1] {
		if ci, ok := cb.codes[c]; ok {
			ci.Code = code
			return ci, true
		}
	}
	return CodeInfo{}, false
}

// Len is the number of codes in the book.
func (cb *Codebook) Len() int { return len(cb.codes) }

// LoadCodebook reads a codebook in the CSV layout of GDELT's combined lookup
// (columns cameo_code, description and goldstein, found by header name), or in
// GDELT's CAMEO.goldsteinscale.txt layout (tab-separated CAMEO code and weight).
func LoadCodebook(path string) (*Codebook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCodebook(f, path)
}

// ReadCodebook reads a codebook as [LoadCodebook] does; name is used in error messages.
func ReadCodebook(r io.Reader, name string) (*Codebook, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text := string(b)
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	if !strings.Contains(strings.SplitN(text, "\n", 2)[0], ",") {
		cr.Comma = '\t'
	}
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty codebook", name)
	}
	codeCol, descCol, wCol := 0, -1, 1
	start := 0
	if _, err := strconv.Atoi(strings.TrimSpace(recs[0][0])); err != nil { // header row
		start = 1
		codeCol, wCol = -1, -1
		for i, h := range recs[0] {
			switch strings.ToLower(strings.TrimSpace(h)) {
			case "cameo_code", "cameoeventcode", "code":
				codeCol = i
			case "description", "eventdescription":
				descCol = i
			case "goldstein", "goldsteinscale":
				wCol = i
			}
		}
		if codeCol < 0 || wCol < 0 {
			return nil, fmt.Errorf("%s:1: header needs a cameo_code and a goldstein column", name)
		}
	}
	cb := &Codebook{codes: map[string]CodeInfo{}}
	for i, rec := range recs[start:] {
		line := i + start + 1
		if codeCol >= len(rec) || wCol >= len(rec) {
			return nil, fmt.Errorf("%s:%d: %d fields, too few", name, line, len(rec))
		}
		code := strings.TrimSpace(rec[codeCol])
		if len(code) < 2 || len(code) > 4 || QuadClass(code) == 0 {
			return nil, fmt.Errorf("%s:%d:%d: %q is not a CAMEO code", name, line, codeCol+1, code)
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(rec[wCol]), 64)
		if err != nil || w < -10 || w > 10 {
			return nil, fmt.Errorf("%s:%d:%d: Goldstein weight %q is not a number from -10 to 10", name, line, wCol+1, rec[wCol])
		}
		ci := CodeInfo{Code: code, Goldstein: w}
		if descCol >= 0 && descCol < len(rec) {
			ci.Description = rec[descCol]
		}
		cb.codes[code] = ci
	}
	return cb, nil
}
