package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"

	"time"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
	"github.com/concord-project/concord/trade"
)

// tradeFlags select the stored year of trade an analysis reads.
type tradeFlags struct {
	year           int
	classification string
	level          string
}

func (f *tradeFlags) add(c *cobra.Command) {
	c.Flags().IntVar(&f.year, "year", 0, "year of trade (default: the latest stored, bilateral data first)")
	c.Flags().StringVar(&f.classification, "classification", "", "product classification, e.g. HS17 or SITC2 (default: as --year finds)")
	c.Flags().StringVar(&f.level, "level", "hs6", "product level for HS data: hs6, hs4, hs2 (chapter) or section")
}

// tradeTable loads the chosen year from the store, aggregated to --level.
func (a *app) tradeTable(cmd *cobra.Command, f tradeFlags, needImports bool) (*trade.Table, error) {
	level, err := trade.ParseLevel(f.level)
	if err != nil {
		return nil, fmt.Errorf("--level: %w", err)
	}
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	tb, err := report.LoadTradeTable(cmd.Context(), db, report.TradeSelection{Year: f.year, Classification: f.classification, NeedImports: needImports})
	var none *report.NoTradeYearError
	switch {
	case errors.Is(err, report.ErrNoTrade):
		return nil, fmt.Errorf("no trade data in %s: run `concord trade import FILE...` or `concord fetch baci --revision HS17 --year YEAR` first", a.dbPath)
	case errors.As(err, &none):
		return nil, fmt.Errorf("no stored %s for --year %d --classification %q; stored: %s", none.What(), f.year, f.classification, none.StoredList())
	case err != nil:
		return nil, err
	}
	if tb, err = tb.Aggregate(level); err != nil {
		return nil, fmt.Errorf("--level: %w", err)
	}
	if n := tb.Exporters(); n < 20 {
		fmt.Fprintf(a.stderr, "note: only %d states export in %s %d (a partial extract?): the \"world\" of RCA and intensity is these states\n",
			n, tb.Classification, tb.Year)
	}
	return tb, nil
}

// tradeRun resolves the states named in args, checks --top, loads the year
// of trade and prints what shape makes of it: the body of the analyses.
func (a *app) tradeRun(cmd *cobra.Command, f tradeFlags, needImports bool, args []string, top int,
	shape func(tb *trade.Table, codes []string) (output.Tabler, error)) error {
	codes := make([]string, len(args))
	for i, q := range args {
		s, err := resolveState(q)
		if err != nil {
			return err
		}
		codes[i] = s
	}
	if len(codes) == 2 && codes[0] == codes[1] {
		return fmt.Errorf("A and B are both %s", codes[0])
	}
	if top < 0 {
		return fmt.Errorf("--top %d: want 0 (all) or more", top)
	}
	tb, err := a.tradeTable(cmd, f, needImports)
	if err != nil {
		return err
	}
	r, err := shape(tb, codes)
	if err != nil {
		return err
	}
	return a.print(r)
}

func (a *app) tradeCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "trade",
		Short: "Trade: comparative advantage, complementarity and the products behind it",
		Long: `Trade indices from CEPII's BACI bilateral data (HS 6 digits) or exporter × product tables:
  rca         Balassa's revealed comparative advantage, (X_ik/X_i)/(X_wk/W)
  complement  trade complementarity TC_ij = 100·(1 − Σ_k |m_jk − x_ik|/2), both directions,
              with the products one sells (RCA > 1) that the other imports, by HS section and chapter
  partners    every other state ranked by complementarity, with trade intensity and export similarity
The world is the set of states in the stored year: with a partial extract, indices are relative to it.`,
	}
	c.AddCommand(a.tradeImportCmd(), a.tradeYearsCmd(), a.tradeRCACmd(), a.tradeComplementCmd(), a.tradePartnersCmd())
	return c
}

func (a *app) tradeImportCmd() *cobra.Command {
	var opt trade.Options
	c := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import trade files (BACI t,i,j,k,v,q with its code files, or country,product,value tables)",
		Long: `Import trade data files, plain or gzip, recognised by their header:
  - BACI flows (t,i,j,k,v,q), with BACI's country_codes and product_codes files if given;
  - exporter × product tables (country,product,value), e.g. SITC rev. 2 exports: the
    classification and the year come from the file name or --classification and --year.
Files are streamed and aggregated to exports and imports by state and product and bilateral
totals, then stored in one transaction: all or nothing. A year already stored in the same
classification is replaced.`,
		Example: `  concord trade import BACI_HS17_Y2020_V202401b.csv country_codes_V202401b.csv product_codes_HS17_V202401b.csv
  concord trade import ../shared/data/trade/sitc2_4digit_exports_avg_1998_2000.csv.gz`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importTrade(cmd, opt, args)
		},
	}
	c.Flags().StringVar(&opt.Classification, "classification", "", "product classification of the files, e.g. HS17 or SITC2 (default: from the file names)")
	c.Flags().IntVar(&opt.Year, "year", 0, "year of country,product,value tables (default: the last year in the file name)")
	return c
}

func (a *app) importTrade(cmd *cobra.Command, opt trade.Options, paths []string) error {
	start := time.Now()
	read, finishRead := a.progress("reading rows")
	opt.Progress = func(rows int) { read(rows, -1) }
	ys, err := trade.ReadFiles(cmd.Context(), opt, paths...)
	finishRead()
	if err != nil {
		return err
	}
	rows := 0
	for _, y := range ys {
		rows += y.Rows
	}
	readTime := time.Since(start)
	db, err := a.store()
	if err != nil {
		return err
	}
	update, finish := a.progress("storing")
	st, err := db.ImportTrade(cmd.Context(), ys, update)
	finish()
	if err != nil {
		return fmt.Errorf("import failed, the store is unchanged: %w", err)
	}
	for _, y := range ys {
		kind := "bilateral"
		if !y.HasImports {
			kind = "exports only"
		}
		fmt.Fprintf(a.stderr, "%s %d (%s): %d rows → %d state × product values, %d bilateral totals\n",
			y.Classification, y.Year, kind, y.Rows, len(y.Values), len(y.Flows))
	}
	d := time.Since(start)
	fmt.Fprintf(a.stderr, "imported %d rows in %.1fs (read %.1fs, %.0f rows/s overall): %d years, %d replaced, %d product names\n",
		rows, d.Seconds(), readTime.Seconds(), float64(rows)/d.Seconds(), st.Years, st.Replaced, st.Products)
	return nil
}

func (a *app) tradeYearsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "years",
		Short: "List the stored years of trade",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.store()
			if err != nil {
				return err
			}
			ys, err := db.TradeYears(cmd.Context())
			if err != nil {
				return err
			}
			return a.print(report.NewTradeYears(ys))
		},
	}
}

func (a *app) tradeRCACmd() *cobra.Command {
	var f tradeFlags
	var top int
	var min float64
	c := &cobra.Command{
		Use:   "rca A",
		Short: "A state's products by revealed comparative advantage (Balassa)",
		Long: `The products state A exports, by Balassa's revealed comparative advantage
RCA = (X_ak/X_a)/(X_wk/W): the share of product k in A's exports over its share in
world exports. Above 1, A is specialised in k. Exports in thousands of US dollars.`,
		Example: `  concord trade rca ZAF --top 20
  concord trade rca JPN --classification SITC2
  concord trade rca Brazil --level section --format csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.tradeRun(cmd, f, false, args, top, func(tb *trade.Table, s []string) (output.Tabler, error) {
				return report.NewTradeRCA(tb, s[0], f.level, top, min)
			})
		},
	}
	f.add(c)
	c.Flags().IntVar(&top, "top", 20, "show the N products of highest RCA (0: all)")
	c.Flags().Float64Var(&min, "min-rca", 0, "show only products with RCA at least this")
	return c
}

func (a *app) tradeComplementCmd() *cobra.Command {
	var f tradeFlags
	var top int
	var by string
	c := &cobra.Command{
		Use:   "complement A B",
		Short: "How A's and B's trade complement each other, both ways, and in which products",
		Long: `Trade complementarity in both directions, TC_ab = 100·(1 − Σ_k |m_bk − x_ak|/2)
(x: product shares of A's exports, m: of B's imports; 100 when A's export mix is B's import mix),
and the products behind it: those in which the exporter has RCA > 1 and the importer imports,
by the importer's imports (thousands of US dollars), with their HS section. --by section or
chapter sums them by field. JSON has everything: trade intensity, export similarity, groups.`,
		Example: `  concord trade complement ZAF USA
  concord trade complement ZAF CHN --by section
  concord trade complement "South Africa" India --top 5 --format json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(report.TradeBys, by) {
				return fmt.Errorf("--by %q: want product, chapter or section", by)
			}
			return a.tradeRun(cmd, f, true, args, top, func(tb *trade.Table, s []string) (output.Tabler, error) {
				r, err := report.NewTradeComplement(tb, s[0], s[1], f.level, by, top)
				if err == nil {
					fmt.Fprintln(a.stderr, r.Summary())
				}
				return r, err
			})
		},
	}
	f.add(c)
	c.Flags().IntVar(&top, "top", 10, "show the top N products (or groups) in each direction (0: all)")
	c.Flags().StringVar(&by, "by", "product", "rows by product, chapter or section")
	return c
}

func (a *app) tradePartnersCmd() *cobra.Command {
	var f tradeFlags
	var top int
	c := &cobra.Command{
		Use:   "partners A",
		Short: "Every other state ranked by trade complementarity with A",
		Long: `Every other state B ranked by the mean of TC(A→B) (tc_out: A sells what B buys) and
TC(B→A) (tc_in), with trade intensity both ways ((F_ab/X_a)/(M_b/W): above 1, more trade than
B's size predicts), export similarity (Finger–Kreinin, 100·Σ min(x_ak, x_bk)) and the trade
between them (thousands of US dollars).`,
		Example: `  concord trade partners ZAF --top 15
  concord trade partners Brazil --level hs4 --format csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.tradeRun(cmd, f, true, args, top, func(tb *trade.Table, s []string) (output.Tabler, error) {
				return report.NewTradePartners(tb, s[0], f.level, top)
			})
		},
	}
	f.add(c)
	c.Flags().IntVar(&top, "top", 20, "show the N most complementary partners (0: all)")
	return c
}

// baciFetchCmd is `concord fetch baci`.
func (a *app) baciFetchCmd() *cobra.Command {
	var src trade.BACISource
	var year int
	var dir string
	var noImport bool
	c := &cobra.Command{
		Use:   "baci",
		Short: "Download a year of CEPII's BACI bilateral trade data and import it",
		Long: `Download a BACI release from CEPII (one zip per HS edition with every year, 1–2 GB),
resuming an interrupted download, extract the year's flows with the country and product
code files, and import them (all or nothing; the year replaces any stored one).

Source: CEPII, BACI (Gaulier & Zignago 2010, CEPII Working Paper 2010-23).
Licence: Etalab Open Licence 2.0, free reuse and redistribution with attribution.`,
		Example: `  concord fetch baci --revision HS17 --year 2022
  concord fetch baci --revision HS92 --year 2000 --version 202401b --no-import`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if year == 0 {
				return errors.New("--year: which year of BACI to fetch, e.g. --year 2022")
			}
			if dir == "" {
				dir = defaultDownloadDir()
			}
			fmt.Fprintln(a.stderr, "source:", trade.BACILicence)
			bar, finish := a.progress("downloading")
			client := &http.Client{Timeout: 2 * time.Hour}
			got, err := trade.FetchBACI(cmd.Context(), client, src, year, dir, func(done, total int64) {
				if total > 0 {
					bar(int(done>>10), int(total>>10))
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
			fmt.Fprintf(a.stderr, "%s %s (BACI V%s)\n  sha256 %s\n", state, got.Zip, got.Version, got.SHA256)
			if noImport {
				for _, f := range got.Files {
					fmt.Fprintln(a.stdout, f)
				}
				return nil
			}
			err = a.importTrade(cmd, trade.Options{}, got.Files)
			if err == nil {
				// the extracted year is kept in the store; the zip stays for other years
				for _, f := range got.Files {
					os.Remove(f)
				}
			}
			return err
		},
	}
	c.Flags().StringVar(&src.Revision, "revision", "HS17", "HS edition of the release: HS92, HS96, HS02, HS07, HS12, HS17 or HS22")
	c.Flags().IntVar(&year, "year", 0, "year to import (required)")
	c.Flags().StringVar(&src.Version, "version", "", "BACI release, e.g. 202401b (default: the newest CEPII's BACI page links)")
	c.Flags().StringVar(&src.BaseURL, "url", "", "base URL of CEPII's site or a mirror (default "+trade.CEPIIURL+")")
	c.Flags().StringVar(&src.SHA256, "sha256", "", "expected SHA-256 of the release's zip file")
	c.Flags().StringVar(&dir, "dir", "", "download folder (default: concord/downloads in the user's cache directory)")
	c.Flags().BoolVar(&noImport, "no-import", false, "download and extract only; print the extracted files")
	return c
}
