package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/unga"
)

func (a *app) fetchCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "fetch",
		Short: "Download data sets from their publishers",
	}
	var source, url, file, sha, dir string
	var noImport bool
	u := &cobra.Command{
		Use:   "unga",
		Short: "Download the newest UN General Assembly voting release and import it",
		Long: `Download the newest release of UN General Assembly votes from its publisher,
check its checksum, and import it (all or nothing). An interrupted download
resumes where it stopped when run again.

Sources:
  dataverse  Erik Voeten, "United Nations General Assembly Voting Data",
             Harvard Dataverse, doi:10.7910/DVN/LEJUQZ. Public domain (CC0 1.0).
  undl       UN Dag Hammarskjöld Library, "UN General Assembly Voting Data".
             Copyright United Nations: non-commercial use only, with attribution.`,
		Example: `  concord fetch unga
  concord fetch unga --source undl
  concord fetch unga --url http://mirror.example/ --sha256 4f0c…`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			pub, err := unga.ParsePublisher(source)
			if err != nil {
				return fmt.Errorf("--source: %w", err)
			}
			if dir == "" {
				dir = defaultDownloadDir()
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			fmt.Fprintln(a.stderr, "source:", pub.Licence())
			var bar func(done, total int)
			bar, finish := a.progress("downloading")
			client := &http.Client{Timeout: 30 * time.Minute}
			got, err := unga.Fetch(cmd.Context(), client, unga.Source{Publisher: pub, URL: url, File: file, SHA256: sha}, dir,
				func(done, total int64) {
					if total > 0 {
						bar(int(done), int(total))
					}
				})
			finish()
			if err != nil {
				return fmt.Errorf("fetch: %w", err)
			}
			state := "downloaded"
			switch {
			case got.Cached:
				state = "already downloaded"
			case got.Resumed:
				state = "downloaded (resumed)"
			}
			fmt.Fprintf(a.stderr, "%s %s (%s)\n  sha256 %s\n", state, got.Path, got.Name, got.SHA256)
			if len(got.Verified) == 0 {
				fmt.Fprintln(a.stderr, "  the publisher gives no checksum: pin this one with --sha256 next time")
			}
			for _, v := range got.Verified {
				fmt.Fprintln(a.stderr, "  verified:", v)
			}
			if noImport {
				return nil
			}
			return a.importUNGA(cmd, []string{got.Path})
		},
	}
	u.Flags().StringVar(&source, "source", "dataverse", "publisher: dataverse (Voeten, CC0) or undl (UN Digital Library, non-commercial)")
	u.Flags().StringVar(&url, "url", "", "base URL of the publisher's server or a mirror (default: the publisher's own)")
	u.Flags().StringVar(&file, "file", "", "name of the file to download (default: the newest votes file)")
	u.Flags().StringVar(&sha, "sha256", "", "expected SHA-256 of the file, checked as well as the publisher's checksum")
	u.Flags().StringVar(&dir, "dir", "", "download folder (default: concord/downloads in the user's cache directory)")
	u.Flags().BoolVar(&noImport, "no-import", false, "download and check only")
	c.AddCommand(u)
	c.AddCommand(a.fetchDictionariesCmd())
	c.AddCommand(a.baciFetchCmd())
	return c
}

// defaultDownloadDir is concord/downloads in the user's cache directory.
func defaultDownloadDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "concord", "downloads")
}
