package unga

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SniffFile reports the layout of the file at path from its header, plain or
// gzip; a file whose header lacks a required column of its layout is FormatUnknown.
func SniffFile(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return FormatUnknown, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return FormatUnknown, nil
		}
		defer zr.Close()
		r = zr
	}
	header, err := csv.NewReader(r).Read()
	if err != nil {
		return FormatUnknown, nil
	}
	format := DetectFormat(header)
	if format == FormatUnknown {
		return format, nil
	}
	if _, msg := columnIndexes(format, header); msg != "" {
		return FormatUnknown, nil
	}
	return format, nil
}

// ExpandPaths replaces each folder in paths by the CSV files in it (.csv,
// .csv.gz) whose layout the readers recognise, ordered by layout (votes, roll
// calls, issues, complete votes, UN Digital Library) then name; files named
// directly are kept as they are. skipped lists the files of folders that were
// left out, so that callers can say so.
func ExpandPaths(paths []string) (files, skipped []string, err error) {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, nil, err
		}
		var names []string
		for _, e := range entries {
			n := strings.ToLower(e.Name())
			if !e.IsDir() && (strings.HasSuffix(n, ".csv") || strings.HasSuffix(n, ".csv.gz")) {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		var found []string
		var formats []Format
		for _, n := range names {
			fp := filepath.Join(p, n)
			format, err := SniffFile(fp)
			if err != nil {
				return nil, nil, err
			}
			if format == FormatUnknown {
				skipped = append(skipped, fp)
				continue
			}
			found = append(found, fp)
			formats = append(formats, format)
		}
		// The release that has roll-call tables comes first, so that its
		// metadata wins where the complete-votes file disagrees.
		idx := make([]int, len(found))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool { return formats[idx[i]] < formats[idx[j]] })
		for _, i := range idx {
			files = append(files, found[i])
		}
	}
	return files, skipped, nil
}
