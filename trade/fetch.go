package trade

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// BACILicence is the licence and the attribution BACI asks for.
const BACILicence = `CEPII, BACI (Gaulier & Zignago 2010, CEPII Working Paper 2010-23): Etalab Open Licence 2.0, free reuse and redistribution with attribution`

// CEPIIURL is the base address of CEPII's site.
const CEPIIURL = "https://www.cepii.fr"

// baciPage is the page of CEPII's site that links the current BACI releases.
const baciPage = "/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"

// BACISource says which BACI release to fetch and from where.
type BACISource struct {
	BaseURL  string // CEPII's site or a mirror of it; default CEPIIURL
	Revision string // HS edition: "HS92", "HS17" …
	Version  string // BACI release, e.g. "202401b"; empty: the newest the BACI page links
	SHA256   string // expected SHA-256 of the release's zip file, optional
}

// Fetched describes a fetched BACI year.
type Fetched struct {
	Zip       string   // path of the downloaded release
	Version   string   // BACI release
	SHA256    string   // of the zip file
	Cached    bool     // the zip was downloaded before
	Resumed   bool     // the download continued an interrupted one
	Files     []string // extracted: the year's flows, the country codes and the product codes
	Available []int    // years in the release
}

var revisionRE = regexp.MustCompile(`^HS\d\d$`)

// FetchBACI downloads BACI release src (one zip file per HS edition, all
// years: about 1–2 GB) into dir, resuming an interrupted download, and
// extracts the flows of year with the country and product code files into a
// folder beside it. progress, if not nil, gets the bytes downloaded and the
// total (−1 when unknown).
func FetchBACI(ctx context.Context, client *http.Client, src BACISource, year int, dir string, progress func(done, total int64)) (*Fetched, error) {
	rev := strings.ToUpper(strings.TrimSpace(src.Revision))
	if !revisionRE.MatchString(rev) {
		return nil, fmt.Errorf("--revision %q: want an HS edition such as HS92, HS17 or HS22", src.Revision)
	}
	if year < 1995 || year > 2100 {
		return nil, fmt.Errorf("--year %d: BACI covers 1995 on", year)
	}
	base := strings.TrimRight(src.BaseURL, "/")
	if base == "" {
		base = CEPIIURL
	}
	if client == nil {
		client = http.DefaultClient
	}
	ver := strings.TrimPrefix(strings.TrimSpace(src.Version), "V")
	if ver == "" {
		v, err := newestBACI(ctx, client, base, rev)
		if err != nil {
			return nil, err
		}
		ver = v
	}
	name := fmt.Sprintf("BACI_%s_V%s.zip", rev, ver)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	got := &Fetched{Zip: filepath.Join(dir, name), Version: ver}
	if _, err := os.Stat(got.Zip); err == nil {
		got.Cached = true
	} else if err := download(ctx, client, base+"/DATA_DOWNLOAD/baci/data/"+name, got.Zip, got, progress); err != nil {
		return nil, err
	}
	sum, err := fileSHA256(got.Zip)
	if err != nil {
		return nil, err
	}
	got.SHA256 = sum
	if src.SHA256 != "" && !strings.EqualFold(src.SHA256, sum) {
		os.Remove(got.Zip)
		return nil, fmt.Errorf("%s: SHA-256 %s, want %s (--sha256); the file was removed", got.Zip, sum, src.SHA256)
	}
	if err := extractYear(got, rev, year, strings.TrimSuffix(got.Zip, ".zip")); err != nil {
		return nil, err
	}
	return got, nil
}

var baciLinkRE = regexp.MustCompile(`BACI_(HS\d\d)_V(\d{6}[a-z]?)\.zip`)

// newestBACI reads the BACI page and returns the newest release of revision rev it links.
func newestBACI(ctx context.Context, client *http.Client, base, rev string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+baciPage, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("finding the newest BACI release: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("finding the newest BACI release: %s: %s", req.URL, resp.Status)
	}
	page, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return "", err
	}
	var vers, revs []string
	for _, m := range baciLinkRE.FindAllStringSubmatch(string(page), -1) {
		if m[1] == rev {
			vers = append(vers, m[2])
		} else {
			revs = append(revs, m[1])
		}
	}
	if len(vers) == 0 {
		slices.Sort(revs)
		return "", fmt.Errorf("the BACI page %s links no %s release (it links %s); give --version", req.URL, rev,
			strings.Join(slices.Compact(revs), ", "))
	}
	return slices.Max(vers), nil
}

// download fetches url into path through path.part, resuming a partial file with a Range request.
func download(ctx context.Context, client *http.Client, url, path string, got *Fetched, progress func(done, total int64)) error {
	part := path + ".part"
	var have int64
	if fi, err := os.Stat(part); err == nil {
		have = fi.Size()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("downloading %s: %w (run again to resume)", url, err)
	}
	defer resp.Body.Close()
	flag := os.O_CREATE | os.O_WRONLY
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		flag |= os.O_APPEND
		got.Resumed = true
	case resp.StatusCode == http.StatusOK:
		flag |= os.O_TRUNC
		have = 0
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("downloading %s: not found: no such BACI release (check --revision and --version)", url)
	default:
		return fmt.Errorf("downloading %s: %s", url, resp.Status)
	}
	total := int64(-1)
	if resp.ContentLength >= 0 {
		total = have + resp.ContentLength
	}
	f, err := os.OpenFile(part, flag, 0o644)
	if err != nil {
		return err
	}
	w := &countWriter{w: f, n: have, total: total, progress: progress}
	_, err = io.Copy(w, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("downloading %s: %w (run again to resume)", url, err)
	}
	if total >= 0 && w.n != total {
		return fmt.Errorf("downloading %s: got %d of %d bytes (run again to resume)", url, w.n, total)
	}
	return os.Rename(part, path)
}

type countWriter struct {
	w        io.Writer
	n, total int64
	progress func(done, total int64)
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.progress != nil {
		c.progress(c.n, c.total)
	}
	return n, err
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

var yearFileRE = regexp.MustCompile(`BACI_HS\d\d_Y(\d{4})_V[0-9a-z]+\.csv$`)

// extractYear extracts the year's flow file and the code files of the release into dir.
func extractYear(got *Fetched, rev string, year int, dir string) error {
	zr, err := zip.OpenReader(got.Zip)
	if err != nil {
		return fmt.Errorf("%s: %w (remove it and fetch again)", got.Zip, err)
	}
	defer zr.Close()
	var flows, ccodes, pcodes *zip.File
	for _, f := range zr.File {
		base := filepath.Base(f.Name)
		switch {
		case yearFileRE.MatchString(base):
			m := yearFileRE.FindStringSubmatch(base)
			y, _ := strconv.Atoi(m[1])
			got.Available = append(got.Available, y)
			if y == year {
				flows = f
			}
		case strings.HasPrefix(base, "country_codes") && strings.HasSuffix(base, ".csv"):
			ccodes = f
		case strings.HasPrefix(base, "product_codes") && strings.HasSuffix(base, ".csv"):
			pcodes = f
		}
	}
	slices.Sort(got.Available)
	if flows == nil {
		return fmt.Errorf("%s has no year %d (it has %v)", got.Zip, year, got.Available)
	}
	if ccodes == nil || pcodes == nil {
		return fmt.Errorf("%s lacks the country or product code file", got.Zip)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []*zip.File{flows, ccodes, pcodes} {
		p := filepath.Join(dir, filepath.Base(f.Name))
		if err := extract(f, p); err != nil {
			return fmt.Errorf("extracting %s from %s: %w", f.Name, got.Zip, err)
		}
		got.Files = append(got.Files, p)
	}
	return nil
}

func extract(f *zip.File, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() == int64(f.UncompressedSize64) {
		return nil
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	tmp := path + ".part"
	w, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		os.Remove(tmp)
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
