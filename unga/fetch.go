package unga

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Publisher is a publisher of UN General Assembly voting data that Fetch
// downloads from.
type Publisher string

// The publishers Fetch knows.
const (
	// Dataverse is Erik Voeten's "United Nations General Assembly Voting
	// Data" on the Harvard Dataverse (doi:10.7910/DVN/LEJUQZ), dedicated to
	// the public domain (CC0 1.0). Fetch downloads the votes file (UNVotes…csv)
	// of the dataset's latest version; its header has ccode and vote codes
	// 1–9, so the readers take it as Voeten's complete-votes layout.
	Dataverse Publisher = "dataverse"
	// UNDigitalLibrary is the UN Dag Hammarskjöld Library's "UN General
	// Assembly Voting Data" (digitallibrary.un.org record 4060887). Copyright
	// United Nations: non-commercial use only, with attribution.
	UNDigitalLibrary Publisher = "undl"
)

// The publishers' identifiers of the data sets.
const (
	DataversePID = "doi:10.7910/DVN/LEJUQZ" // persistent id of Voeten's dataset
	UNDLRecord   = "4060887"                // UN Digital Library record of the voting data
)

// ParsePublisher accepts dataverse (or voeten) and undl (or un).
func ParsePublisher(s string) (Publisher, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "dataverse", "voeten", "harvard":
		return Dataverse, nil
	case "undl", "un", "digitallibrary":
		return UNDigitalLibrary, nil
	}
	return "", fmt.Errorf("unknown source %q (want dataverse or undl)", s)
}

// DefaultURL is the base URL of the publisher's server.
func (p Publisher) DefaultURL() string {
	if p == UNDigitalLibrary {
		return "https://digitallibrary.un.org"
	}
	return "https://dataverse.harvard.edu"
}

// Licence is the attribution and terms of use to show to whoever downloads the data.
func (p Publisher) Licence() string {
	if p == UNDigitalLibrary {
		return "United Nations Dag Hammarskjöld Library, \"UN General Assembly Voting Data\", " +
			"https://digitallibrary.un.org/record/" + UNDLRecord + ". Copyright United Nations: " +
			"non-commercial use only, with attribution (terms: https://digitallibrary.un.org/pages/?ln=en&page=tos)."
	}
	return "Erik Voeten, \"United Nations General Assembly Voting Data\", Harvard Dataverse, " + DataversePID +
		". Public domain (CC0 1.0). Please cite Bailey, Strezhnev & Voeten, \"Estimating Dynamic State " +
		"Preferences from United Nations Voting Data\", Journal of Conflict Resolution 61(2), 2017."
}

// Source says what Fetch downloads.
type Source struct {
	Publisher Publisher
	URL       string // base URL of the publisher's server (for a mirror or a test); "" is Publisher.DefaultURL
	File      string // name of the file to download; "" picks the publisher's newest votes file
	SHA256    string // expected SHA-256 of the file in hex, e.g. from --sha256; checked as well as the publisher's checksum
}

// Checksum is a digest of a file as the publisher states it.
type Checksum struct {
	Algorithm string // MD5, SHA-1, SHA-256 or SHA-512
	Hex       string // lower-case hex digest
}

// Remote describes the file that Fetch downloads.
type Remote struct {
	Name     string   // file name, used for the downloaded file
	URL      string   // where the bytes are
	Size     int64    // bytes, or -1 when the publisher does not say
	Checksum Checksum // from the publisher's metadata; zero when it gives none
	Version  string   // the publisher's version of the data set, or ""
	Licence  string   // attribution and terms of use
}

// Fetched reports a finished download.
type Fetched struct {
	Remote
	Path     string   // the downloaded file
	SHA256   string   // SHA-256 of the file, hex
	Verified []string // the checks it passed, e.g. "MD5 from the publisher's metadata"; empty when nothing could be checked
	Resumed  bool     // an interrupted download was continued
	Cached   bool     // the file was already in dir and passed its checks; nothing was downloaded
}

// maxAttempts bounds the requests of one download that make no progress.
const maxAttempts = 5

// retryDelay is the wait before the first retry of a failed request; it doubles with each further one.
var retryDelay = time.Second

// Resolve asks the publisher which file is its newest release, with its size and checksum.
func Resolve(ctx context.Context, client *http.Client, src Source) (*Remote, error) {
	if client == nil {
		client = http.DefaultClient
	}
	base := strings.TrimRight(src.URL, "/")
	if base == "" {
		base = src.Publisher.DefaultURL()
	}
	switch src.Publisher {
	case Dataverse:
		return resolveDataverse(ctx, client, base, src.File)
	case UNDigitalLibrary:
		return resolveUNDL(ctx, client, base, src.File)
	}
	return nil, fmt.Errorf("unga: unknown publisher %q (want dataverse or undl)", src.Publisher)
}

// Fetch downloads the newest release of src into dir and verifies it against
// the publisher's checksum and src.SHA256. It resumes a download left as
// name.part in dir by an earlier call (HTTP Range; when the server ignores
// the range it starts again), retries a dropped connection from where it
// stopped, and keeps the file only once it is complete and verified: a
// checksum mismatch is an error and leaves no file. A verified file already in
// dir is not downloaded again. progress, if not nil, is called with the bytes
// written so far and the total (-1 when unknown). When neither the publisher
// nor src gives a checksum, Fetched.Verified is empty and the file's SHA-256
// is reported so that it can be pinned with Source.SHA256 next time.
//
// Terms: Voeten's Dataverse data is CC0; the UN Digital Library's is
// copyright United Nations, for non-commercial use with attribution (see
// Publisher.Licence, which callers should show to the user).
func Fetch(ctx context.Context, client *http.Client, src Source, dir string, progress func(done, total int64)) (*Fetched, error) {
	if client == nil {
		client = http.DefaultClient
	}
	want := strings.ToLower(strings.TrimSpace(src.SHA256))
	if want != "" {
		if b, err := hex.DecodeString(want); err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("--sha256 %q is not a SHA-256 digest (64 hex digits)", src.SHA256)
		}
	}
	remote, err := Resolve(ctx, client, src)
	if err != nil {
		return nil, err
	}
	if _, err := newHash(remote.Checksum.Algorithm); err != nil {
		return nil, fmt.Errorf("%s: %w", remote.Name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	out := &Fetched{Remote: *remote, Path: filepath.Join(dir, remote.Name)}
	if _, err := os.Stat(out.Path); err == nil && (remote.Checksum.Hex != "" || want != "") {
		if err := out.verify(want); err == nil {
			out.Cached = true
			return out, nil
		}
	}
	part := out.Path + ".part"
	for fresh := false; ; fresh = true {
		resumed, err := download(ctx, client, remote, part, progress)
		if err != nil {
			return nil, err
		}
		out.Resumed = out.Resumed || resumed
		tmp := *out
		tmp.Path = part
		err = tmp.verify(want)
		if err == nil {
			out.SHA256, out.Verified = tmp.SHA256, tmp.Verified
			break
		}
		var mismatch *checksumError
		if !errors.As(err, &mismatch) || !resumed || fresh {
			os.Remove(part)
			return nil, err
		}
		// The resumed part may have come from another version of the file:
		// download it once more from the start.
		if err := os.Remove(part); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(part, out.Path); err != nil {
		os.Remove(part)
		return nil, err
	}
	return out, nil
}

// checksumError is a downloaded file whose digest is not the expected one.
type checksumError struct {
	name, algo, got, want, from string
}

func (e *checksumError) Error() string {
	return fmt.Sprintf("%s: %s checksum mismatch: the download has %s but %s says %s; the file was not kept",
		e.name, e.algo, e.got, e.from, e.want)
}

// verify hashes f.Path and checks it against the publisher's checksum and want (SHA-256).
func (f *Fetched) verify(want string) error {
	file, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer file.Close()
	s256 := sha256.New()
	pub, err := newHash(f.Checksum.Algorithm)
	if err != nil {
		return err
	}
	if _, ok := pub.(sha256Hash); ok {
		pub = s256
	}
	w := io.Writer(s256)
	if pub != nil && pub != s256 {
		w = io.MultiWriter(s256, pub)
	}
	if _, err := io.Copy(w, file); err != nil {
		return err
	}
	f.SHA256 = hex.EncodeToString(s256.Sum(nil))
	f.Verified = nil
	if pub != nil {
		got := hex.EncodeToString(pub.Sum(nil))
		if got != strings.ToLower(f.Checksum.Hex) {
			return &checksumError{f.Name, f.Checksum.Algorithm, got, strings.ToLower(f.Checksum.Hex), "the publisher's metadata"}
		}
		f.Verified = append(f.Verified, f.Checksum.Algorithm+" from the publisher's metadata")
	}
	if want != "" {
		if f.SHA256 != want {
			return &checksumError{f.Name, "SHA-256", f.SHA256, want, "--sha256"}
		}
		f.Verified = append(f.Verified, "SHA-256 given by the user")
	}
	return nil
}

// sha256Hash marks the SHA-256 hash newHash returns, so that verify computes it once.
type sha256Hash struct{ hash.Hash }

// newHash returns a hash for a publisher's checksum algorithm (nil for none).
func newHash(algo string) (hash.Hash, error) {
	switch strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(algo, "_", ""), "-", "")) {
	case "":
		return nil, nil
	case "MD5":
		return md5.New(), nil
	case "SHA1":
		return sha1.New(), nil
	case "SHA256":
		return sha256Hash{sha256.New()}, nil
	case "SHA512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("the publisher gives a %s checksum, which concord cannot check; pass --sha256", algo)
}

// download fetches remote into part, continuing what part already holds. It
// reports whether bytes from before the call (or an earlier attempt) were kept.
func download(ctx context.Context, client *http.Client, remote *Remote, part string, progress func(done, total int64)) (resumed bool, err error) {
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			// Wait before trying again: 1, 2, 4, 8 s (retryDelay doubled).
			select {
			case <-ctx.Done():
				return false, ctx.Err()
			case <-time.After(retryDelay << (attempt - 1)):
			}
		}
		offset := int64(0)
		if st, err := os.Stat(part); err == nil {
			offset = st.Size()
		}
		if remote.Size >= 0 && offset > remote.Size {
			offset = 0 // not a prefix of this file
		}
		if remote.Size >= 0 && offset == remote.Size && offset > 0 {
			return true, nil
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, remote.URL, nil)
		if err != nil {
			return false, err
		}
		req.Header.Set("Accept-Encoding", "identity")
		if offset > 0 {
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-", offset))
		}
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			lastErr = err
			continue
		}
		n, appended, err := receive(resp, remote, part, offset, progress)
		resp.Body.Close()
		resumed = resumed || appended
		if err == nil {
			return resumed, nil
		}
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		var perm *permanentError
		if errors.As(err, &perm) {
			return false, perm.err
		}
		lastErr = err
		if n > 0 {
			attempt = -1 // progress was made: the attempts count again from here
		}
	}
	return false, fmt.Errorf("downloading %s: giving up after %d attempts (the partial download is kept as %s and will be resumed): %w",
		remote.URL, maxAttempts, part, lastErr)
}

// permanentError is a failure that retrying will not cure.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }

// receive writes resp's body to part, which holds offset bytes already. It
// returns the bytes written and whether they were appended to earlier ones.
func receive(resp *http.Response, remote *Remote, part string, offset int64, progress func(done, total int64)) (int64, bool, error) {
	flags := os.O_WRONLY | os.O_CREATE
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, err := contentRangeStart(resp.Header.Get("Content-Range"))
		if err != nil || start != offset {
			// Not the range asked for: start again from the beginning.
			os.Remove(part)
			return 0, false, fmt.Errorf("server answered a range request for byte %d with %q", offset, resp.Header.Get("Content-Range"))
		}
		flags |= os.O_APPEND
	case http.StatusOK:
		flags |= os.O_TRUNC // the server ignored the range (or none was asked): start again
		offset = 0
	case http.StatusRequestedRangeNotSatisfiable:
		os.Remove(part)
		return 0, false, fmt.Errorf("server cannot resume at byte %d: starting again", offset)
	default:
		err := fmt.Errorf("downloading %s: %s", remote.URL, resp.Status)
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return 0, false, err
		}
		return 0, false, &permanentError{err}
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return 0, false, &permanentError{fmt.Errorf("downloading %s: the server sent a web page instead of the data file "+
			"(it may want a browser to pass a check); download the file in a browser and import it with concord import unga", remote.URL)}
	}
	f, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return 0, false, &permanentError{err}
	}
	total := remote.Size
	if total < 0 && resp.ContentLength >= 0 {
		total = offset + resp.ContentLength
	}
	w := &progressWriter{w: f, done: offset, total: total, progress: progress}
	if progress != nil {
		progress(offset, total)
	}
	n, copyErr := io.Copy(w, resp.Body)
	if err := f.Close(); err != nil && copyErr == nil {
		copyErr = err
	}
	appended := offset > 0 && n > 0
	if copyErr != nil {
		return n, appended, fmt.Errorf("downloading %s: connection lost after %d bytes: %w", remote.URL, offset+n, copyErr)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, appended, fmt.Errorf("downloading %s: got %d of %d bytes", remote.URL, n, resp.ContentLength)
	}
	if remote.Size >= 0 && offset+n != remote.Size {
		if offset+n > remote.Size {
			os.Remove(part)
		}
		return n, appended, fmt.Errorf("downloading %s: got %d bytes, the publisher says %d", remote.URL, offset+n, remote.Size)
	}
	return n, appended || offset > 0, nil
}

// contentRangeStart parses the first byte of a Content-Range header "bytes a-b/n".
func contentRangeStart(h string) (int64, error) {
	rest, ok := strings.CutPrefix(h, "bytes ")
	if !ok {
		return 0, errors.New("no bytes unit")
	}
	a, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, errors.New("no range")
	}
	return strconv.ParseInt(strings.TrimSpace(a), 10, 64)
}

type progressWriter struct {
	w           io.Writer
	done, total int64
	progress    func(done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.done += int64(n)
	if p.progress != nil {
		p.progress(p.done, p.total)
	}
	return n, err
}

// getJSON fetches u and decodes its JSON body into v.
func getJSON(ctx context.Context, client *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("reading %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Message string }
		if json.Unmarshal(body, &e) == nil && e.Message != "" {
			return fmt.Errorf("%s: %s: %s", u, resp.Status, e.Message)
		}
		return fmt.Errorf("%s: %s", u, resp.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
			return fmt.Errorf("%s: the server sent a web page instead of JSON (it may want a browser to pass a check)", u)
		}
		return fmt.Errorf("%s: unexpected answer: %w", u, err)
	}
	return nil
}

// dataverseDataset is the part of the Dataverse native API's dataset JSON that Fetch uses.
type dataverseDataset struct {
	Status string `json:"status"`
	Data   struct {
		LatestVersion struct {
			VersionNumber      int             `json:"versionNumber"`
			VersionMinorNumber int             `json:"versionMinorNumber"`
			ReleaseTime        string          `json:"releaseTime"`
			License            json.RawMessage `json:"license"`
			Files              []struct {
				Label      string `json:"label"`
				Restricted bool   `json:"restricted"`
				DataFile   struct {
					ID                 int64  `json:"id"`
					Filename           string `json:"filename"`
					Filesize           int64  `json:"filesize"`
					OriginalFileFormat string `json:"originalFileFormat"`
					OriginalFileName   string `json:"originalFileName"`
					OriginalFileSize   int64  `json:"originalFileSize"`
					MD5                string `json:"md5"`
					Checksum           struct {
						Type  string `json:"type"`
						Value string `json:"value"`
					} `json:"checksum"`
				} `json:"dataFile"`
			} `json:"files"`
		} `json:"latestVersion"`
	} `json:"data"`
}

// voetenVotes matches the names of the votes files of Voeten's dataset (UNVotes.csv, UNVotes-1.csv, UNVotes2024.csv, …).
var voetenVotes = regexp.MustCompile(`(?i)^unvotes[^/]*\.(csv|tab)(\.gz)?$`)

// resolveDataverse lists the files of the latest version of Voeten's dataset
// and picks the votes file (the one with the highest file id, i.e. the most
// recently deposited, when several match), or the file named name.
func resolveDataverse(ctx context.Context, client *http.Client, base, name string) (*Remote, error) {
	u := base + "/api/datasets/:persistentId/?persistentId=" + url.QueryEscape(DataversePID)
	var ds dataverseDataset
	if err := getJSON(ctx, client, u, &ds); err != nil {
		return nil, fmt.Errorf("listing Voeten's dataset: %w", err)
	}
	v := ds.Data.LatestVersion
	var best *Remote
	var bestID int64 = -1
	var names []string
	for _, f := range v.Files {
		df := f.DataFile
		fileName := f.Label
		if fileName == "" {
			fileName = df.Filename
		}
		size := df.Filesize
		original := df.OriginalFileFormat != "" && df.OriginalFileName != ""
		if original {
			fileName, size = df.OriginalFileName, df.OriginalFileSize
		}
		names = append(names, fileName)
		if f.Restricted {
			continue
		}
		var ok bool
		if name != "" {
			ok = strings.EqualFold(name, fileName) || strings.EqualFold(name, f.Label) || strings.EqualFold(name, df.Filename)
		} else {
			ok = voetenVotes.MatchString(fileName)
		}
		if !ok || df.ID <= bestID {
			continue
		}
		r := &Remote{
			Name: safeName(fileName),
			URL:  fmt.Sprintf("%s/api/access/datafile/%d", base, df.ID),
			Size: size,
			Version: fmt.Sprintf("%d.%d", v.VersionNumber, v.VersionMinorNumber) +
				strings.TrimSuffix(" ("+v.ReleaseTime+")", " ()"),
			Licence: Dataverse.Licence(),
		}
		if size <= 0 {
			r.Size = -1
		}
		if original {
			// The checksum of an ingested tabular file is the original's.
			r.URL += "?format=original"
		}
		switch {
		case df.Checksum.Value != "":
			r.Checksum = Checksum{Algorithm: df.Checksum.Type, Hex: strings.ToLower(df.Checksum.Value)}
		case df.MD5 != "":
			r.Checksum = Checksum{Algorithm: "MD5", Hex: strings.ToLower(df.MD5)}
		}
		if lic := licenceName(v.License); lic != "" {
			r.Licence = strings.Replace(r.Licence, "Public domain (CC0 1.0)", "Licence: "+lic, 1)
		}
		best, bestID = r, df.ID
	}
	if best == nil {
		sort.Strings(names)
		want := "a votes file (UNVotes…csv)"
		if name != "" {
			want = fmt.Sprintf("%q", name)
		}
		return nil, fmt.Errorf("Voeten's dataset (version %d.%d) has no public file named %s; its files: %s (choose one with --file)",
			v.VersionNumber, v.VersionMinorNumber, want, strings.Join(names, ", "))
	}
	return best, nil
}

// licenceName reads the licence of a Dataverse version: an object with a name, or a string.
func licenceName(raw json.RawMessage) string {
	var obj struct{ Name string }
	if json.Unmarshal(raw, &obj) == nil && obj.Name != "" {
		return obj.Name
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

// undlFile is an entry of the UN Digital Library's file API (/api/v1/file?recid=…).
type undlFile struct {
	Name     string          `json:"name"`
	Format   string          `json:"format"`
	URL      string          `json:"url"`
	Size     json.RawMessage `json:"size"`
	Checksum string          `json:"checksum"`
}

// undlVoting matches the names of the voting data files: 2024_09_12_ga_resolutions_voting, 2025_7_23_ga_voting, …
var undlVoting = regexp.MustCompile(`(?i)^(\d{4})_(\d{1,2})_(\d{1,2})_ga_(resolutions_)?voting$`)

// resolveUNDL lists the files of the voting data record and picks the newest
// CSV by the date its name starts with, or the file named name.
func resolveUNDL(ctx context.Context, client *http.Client, base, name string) (*Remote, error) {
	u := base + "/api/v1/file?recid=" + UNDLRecord
	var files []undlFile
	if err := getJSON(ctx, client, u, &files); err != nil {
		return nil, fmt.Errorf("listing the UN Digital Library's voting data: %w", err)
	}
	var best *Remote
	bestDate := -1
	var names []string
	for _, f := range files {
		ext := f.Format
		if ext != "" && !strings.HasPrefix(ext, ".") {
			ext = "." + ext
		}
		full := f.Name
		if !strings.HasSuffix(strings.ToLower(full), strings.ToLower(ext)) {
			full += ext
		}
		names = append(names, full)
		date := 0
		if name != "" {
			if !strings.EqualFold(name, full) && !strings.EqualFold(name, f.Name) {
				continue
			}
		} else {
			m := undlVoting.FindStringSubmatch(f.Name)
			if m == nil || !strings.EqualFold(ext, ".csv") {
				continue
			}
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			date = y*10000 + mo*100 + d
		}
		if date <= bestDate {
			continue
		}
		ref, err := url.Parse(f.URL)
		if err != nil || f.URL == "" {
			return nil, fmt.Errorf("listing the UN Digital Library's voting data: file %s has a bad url %q", full, f.URL)
		}
		b, err := url.Parse(base + "/")
		if err != nil {
			return nil, err
		}
		r := &Remote{Name: safeName(full), URL: b.ResolveReference(ref).String(), Size: -1, Licence: UNDigitalLibrary.Licence()}
		if n, err := strconv.ParseInt(strings.Trim(string(f.Size), `"`), 10, 64); err == nil && n > 0 {
			r.Size = n
		}
		r.Checksum = parseChecksum(f.Checksum)
		if date > 0 {
			r.Version = fmt.Sprintf("%04d-%02d-%02d", date/10000, date/100%100, date%100)
		}
		best, bestDate = r, date
	}
	if best == nil {
		sort.Strings(names)
		want := "a voting data CSV (yyyy_mm_dd_ga_voting.csv)"
		if name != "" {
			want = fmt.Sprintf("%q", name)
		}
		return nil, fmt.Errorf("UN Digital Library record %s has no file named %s; its files: %s (choose one with --file)",
			UNDLRecord, want, strings.Join(names, ", "))
	}
	return best, nil
}

// parseChecksum reads "md5:hex", "sha256:hex" or a bare hex digest (the
// algorithm known from its length); zero when s is none of these.
func parseChecksum(s string) Checksum {
	s = strings.TrimSpace(s)
	algo, digest, ok := strings.Cut(s, ":")
	if !ok {
		algo, digest = "", s
	}
	if _, err := hex.DecodeString(digest); err != nil || digest == "" {
		return Checksum{}
	}
	byLen := map[int]string{32: "MD5", 40: "SHA-1", 64: "SHA-256", 128: "SHA-512"}
	a := byLen[len(digest)]
	switch strings.ToUpper(strings.ReplaceAll(algo, "-", "")) {
	case "":
	case "MD5", "SHA1", "SHA256", "SHA512":
		if a == "" || strings.ReplaceAll(a, "-", "") != strings.ToUpper(strings.ReplaceAll(algo, "-", "")) {
			return Checksum{}
		}
	default:
		return Checksum{}
	}
	if a == "" {
		return Checksum{}
	}
	return Checksum{Algorithm: a, Hex: strings.ToLower(digest)}
}

// safeName keeps the last element of a publisher's file name, so that it cannot leave dir.
func safeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == ".." || name == "/" || name == "" {
		return "unga-download"
	}
	return name
}
