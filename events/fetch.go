package events

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// PetrarchBaseURL is where the PETRARCH2 dictionaries are published (repository openeventdata/petrarch2, MIT licence).
const PetrarchBaseURL = "https://raw.githubusercontent.com/openeventdata/petrarch2/master/petrarch2/data/dictionaries/"

// PetrarchFiles are the PETRARCH2 dictionary files [FetchDictionaries] downloads and [LoadDir] reads.
var PetrarchFiles = []string{
	"Phoenix.Countries.actors.txt",
	"Phoenix.International.actors.txt",
	"Phoenix.MilNonState.actors.txt",
	"Phoenix.agents.txt",
	"CAMEO.2.0.txt",
}

// FetchDictionaries downloads the PETRARCH2 dictionaries from base (default
// [PetrarchBaseURL]) into dir, each written to a temporary file and renamed
// into place only when complete, so an interrupted run leaves no partial
// dictionary; files already present are kept unless force is set. It returns
// the paths written.
func FetchDictionaries(ctx context.Context, client *http.Client, base, dir string, force bool) ([]string, error) {
	if base == "" {
		base = PetrarchBaseURL
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var got []string
	for _, name := range PetrarchFiles {
		dst := filepath.Join(dir, name)
		if _, err := os.Stat(dst); err == nil && !force {
			continue
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+name, nil)
		if err != nil {
			return got, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return got, fmt.Errorf("downloading %s: %w", name, err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return got, fmt.Errorf("downloading %s: %s from %s", name, resp.Status, base+name)
		}
		tmp, err := os.CreateTemp(dir, name+".part*")
		if err != nil {
			resp.Body.Close()
			return got, err
		}
		_, err = io.Copy(tmp, resp.Body)
		resp.Body.Close()
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = checkDictionary(tmp.Name(), name)
		}
		if err == nil {
			err = os.Rename(tmp.Name(), dst)
		}
		if err != nil {
			os.Remove(tmp.Name())
			return got, fmt.Errorf("downloading %s: %w", name, err)
		}
		got = append(got, dst)
	}
	return got, nil
}

// checkDictionary parses a downloaded file, so that an error page is not saved as a dictionary.
func checkDictionary(path, name string) error {
	d := NewDictionary()
	var err error
	switch {
	case strings.HasSuffix(name, ".actors.txt"):
		err = d.LoadPetrarchActors(path)
	case strings.HasSuffix(name, "agents.txt"):
		err = d.LoadPetrarchAgents(path)
	default:
		err = d.LoadPetrarchVerbs(path)
		if err == nil && len(d.verbs) == 0 {
			err = fmt.Errorf("no verb patterns in it")
		}
		return err
	}
	if err == nil && d.Len() == 0 {
		err = fmt.Errorf("no entries in it")
	}
	return err
}

// LoadDir adds the PETRARCH2 dictionaries found in dir (plain or .gz) to d:
// actors and agents always, and the verb patterns of CAMEO.2.0.txt in place of
// the built-in verb rules when verbs is set. It returns the files it read.
func (d *Dictionary) LoadDir(dir string, verbs bool) ([]string, error) {
	var read []string
	for _, name := range PetrarchFiles {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			path += ".gz"
			if _, err := os.Stat(path); err != nil {
				continue
			}
		}
		var err error
		switch {
		case strings.HasSuffix(name, ".actors.txt"):
			err = d.LoadPetrarchActors(path)
		case strings.HasSuffix(name, "agents.txt"):
			err = d.LoadPetrarchAgents(path)
		default:
			if !verbs {
				continue
			}
			err = d.LoadPetrarchVerbs(path)
		}
		if err != nil {
			return read, err
		}
		read = append(read, path)
	}
	if len(read) == 0 {
		return nil, fmt.Errorf("%s: no PETRARCH2 dictionaries (%s) in it", dir, strings.Join(PetrarchFiles, ", "))
	}
	return read, nil
}
