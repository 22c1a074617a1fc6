package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/events"
)

// ingestItem is one article to ingest: a file path or an address.
type ingestItem struct{ path, url string }

// ingestStats says what an ingest did.
type ingestStats struct {
	Articles, Skipped, Failed, Events, NewEvents, NewMentions int
}

func (a *app) eventsIngestCmd() *cobra.Command {
	var cf coderFlags
	var lists []string
	c := &cobra.Command{
		Use:   "ingest [FOLDER|FILE|URL|FEED]...",
		Short: "Code and store many articles: folders, lists of addresses, RSS/Atom feeds",
		Long: `Code and store the articles of folders (every .txt, .html and .htm file, recursively),
single files, addresses, and RSS or Atom feeds (every item's link), and the
addresses listed one per line in --list files. Each article is stored in its
own transaction and recognised by the SHA-256 of its content, so an article is
processed once however often it is met, and an interrupted ingest resumes where
it stopped when run again. Failures of single articles are reported and
counted; the rest go on.`,
		Example: `  concord events ingest ./articles
  concord events ingest https://www.radiohc.cu/en/rss --list urls.txt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			coder, err := cf.coder()
			if err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			client := &http.Client{Timeout: time.Minute}
			var items []ingestItem
			for _, l := range lists {
				f, err := os.Open(l)
				if err != nil {
					return fmt.Errorf("--list: %w", err)
				}
				sc := bufio.NewScanner(f)
				n := 0
				for sc.Scan() {
					n++
					u := strings.TrimSpace(sc.Text())
					if u == "" || strings.HasPrefix(u, "#") {
						continue
					}
					if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
						f.Close()
						return fmt.Errorf("%s:%d:1: %q is not an http(s) address", l, n, u)
					}
					items = append(items, ingestItem{url: u})
				}
				f.Close()
				if err := sc.Err(); err != nil {
					return err
				}
			}
			for _, arg := range args {
				got, err := expandIngest(cmd, client, arg)
				if err != nil {
					return err
				}
				items = append(items, got...)
			}
			if len(items) == 0 {
				return fmt.Errorf("nothing to ingest: give folders, files, addresses, feeds or --list")
			}
			bar, finish := a.progress("coding articles")
			var st ingestStats
			for i, it := range items {
				bar(i, len(items))
				raw, addr, err := fetchItem(cmd, client, it)
				if err == nil {
					err = ingestOne(cmd, db, coder, raw, addr, &st)
				}
				if err != nil {
					st.Failed++
					fmt.Fprintf(a.stderr, "%s: %v\n", addr, err)
				}
			}
			bar(len(items), len(items))
			finish()
			fmt.Fprintf(a.stderr, "%d articles coded, %d already stored (skipped), %d failed; %d events: %d new, %d more reports of stored events\n",
				st.Articles, st.Skipped, st.Failed, st.Events, st.NewEvents, st.NewMentions)
			if st.Failed > 0 && st.Articles+st.Skipped == 0 {
				return fmt.Errorf("every article failed")
			}
			return nil
		},
	}
	cf.register(c)
	c.Flags().StringArrayVar(&lists, "list", nil, "file of article addresses, one per line (repeatable)")
	return c
}

// expandIngest turns an argument into articles: a folder's files, a file, a feed's items or an address.
func expandIngest(cmd *cobra.Command, client *http.Client, arg string) ([]ingestItem, error) {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		raw, _, err := fetchItem(cmd, client, ingestItem{url: arg})
		if err != nil {
			return nil, err
		}
		if feed, err := gofeed.NewParser().Parse(bytes.NewReader(raw)); err == nil && len(feed.Items) > 0 {
			var out []ingestItem
			for _, it := range feed.Items {
				if it.Link != "" {
					out = append(out, ingestItem{url: it.Link})
				}
			}
			return out, nil
		}
		return []ingestItem{{url: arg}}, nil
	}
	fi, err := os.Stat(arg)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []ingestItem{{path: arg}}, nil
	}
	var out []ingestItem
	err = filepath.WalkDir(arg, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".txt", ".html", ".htm":
			if !d.IsDir() && !strings.EqualFold(d.Name(), "README.md") {
				out = append(out, ingestItem{path: p})
			}
		}
		return nil
	})
	return out, err
}

func fetchItem(cmd *cobra.Command, client *http.Client, it ingestItem) ([]byte, string, error) {
	if it.path != "" {
		b, err := os.ReadFile(it.path)
		return b, it.path, err
	}
	req, err := http.NewRequestWithContext(cmd.Context(), http.MethodGet, it.url, nil)
	if err != nil {
		return nil, it.url, err
	}
	req.Header.Set("User-Agent", "concord (event coder)")
	resp, err := client.Do(req)
	if err != nil {
		return nil, it.url, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, it.url, fmt.Errorf("%s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	return b, it.url, err
}

// ingestOne codes and stores one article unless its content is already stored.
func ingestOne(cmd *cobra.Command, db concord.EventStore, coder *events.Coder, raw []byte, addr string, st *ingestStats) error {
	url := ""
	if strings.HasPrefix(addr, "http") {
		url = addr
	}
	art, err := events.ReadArticle(bytes.NewReader(raw), url)
	if err != nil {
		return err
	}
	if ok, err := db.HasArticle(cmd.Context(), art.ID); err != nil {
		return err
	} else if ok {
		st.Skipped++
		return nil
	}
	evs := coder.Code(art)
	pub := ""
	if !art.Published.IsZero() {
		pub = art.Published.Format("2006-01-02")
	}
	s, err := db.AddArticleEvents(cmd.Context(), concord.ArticleRef{ID: art.ID, URL: art.URL, Title: art.Title}, pub, evs)
	if err != nil {
		return err
	}
	if s.Repeated > 0 {
		st.Skipped++
		return nil
	}
	st.Articles++
	st.Events += len(evs)
	st.NewEvents += s.NewEvents
	st.NewMentions += s.NewMentions
	return nil
}
