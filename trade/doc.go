// Package trade reads international trade data and measures how the economies
// of states complement each other: revealed comparative advantage, trade
// complementarity, bilateral trade intensity, export similarity, and the
// products (grouped by Harmonized System section and chapter) behind them.
//
// # Data
//
// [ReadFiles] streams CEPII's BACI bilateral files (Gaulier & Zignago 2010,
// "BACI: International Trade Database at the Product-Level", CEPII Working
// Paper 2010-23; Etalab Open Licence 2.0): one row t,i,j,k,v,q per year,
// exporter, importer (BACI country codes, ISO 3166 numeric but for a few of
// BACI's own, see [BACIState]), HS 6-digit product, value (thousands of
// current US dollars, FOB) and quantity (metric tons), with BACI's country
// and product code files; and exporter × product tables (country, product,
// value), such as the SITC rev. 2 table of the economiccomplexity R package.
// Rows are aggregated as they are read into the margins the indices need:
// exports x and imports m of each state in each product, and bilateral
// totals; memory grows with states × products, never with rows. [Fetch]
// downloads a BACI release from CEPII.
//
// # Indices
//
// Let X_ik be the exports of state i in product k, M_jk the imports of j in
// k, X_i = Σ_k X_ik, M_j = Σ_k M_jk, X_wk = Σ_i X_ik the world's exports of
// k, W = Σ_i X_i the world's exports, and F_ij the exports of i to j. The
// world is the set of states in the data.
//
//   - Balassa's (1965) revealed comparative advantage:
//     RCA_ik = (X_ik / X_i) / (X_wk / W). RCA > 1: k weighs more in i's exports
//     than in the world's. Its averages are 1: Σ_k (X_wk/W)·RCA_ik = 1 for every
//     i, and Σ_i (X_i/W)·RCA_ik = 1 for every k.
//   - Trade complementarity (Michaely 1996; WITS):
//     TC_ij = 100 · (1 − Σ_k |m_jk − x_ik| / 2), with x_ik = X_ik/X_i the
//     share of k in i's exports and m_jk = M_jk/M_j its share in j's imports
//     (with shares in percent: 100 − Σ_k |m_jk − x_ik| / 2). 0: i exports
//     nothing j imports; 100: i's export mix is j's import mix. It is
//     directional: TC_ij (i sells what j buys) differs from TC_ji.
//   - Bilateral trade intensity (Brown 1949, Kojima 1964; WITS):
//     TI_ij = (F_ij / X_i) / (M_j / W): the share of j in i's exports over
//     j's share of world imports. Above 1, i trades with j more than j's size
//     in world trade predicts.
//   - Export similarity (Finger & Kreinin 1979):
//     ES_ij = 100 · Σ_k min(x_ik, x_jk): 100 when i and j export the same mix
//     (competitors), 0 when they share no product.
//   - Complementary products of i for j: the products k with RCA_ik > 1 that j
//     imports, ranked by M_jk and grouped by HS section and chapter
//     ([Section], [ChapterName]) so that the fields show (agriculture,
//     chemicals, machinery …).
//
// Products aggregate up the Harmonized System tree HS6 → HS4 → HS2
// (chapter) → section with [Aggregate]; every index works at any level.
package trade
