// Package brief puts together a relationship brief: one document on two
// states, or a coalition of more, from every source concord has.
//
// Build computes the brief's six sections, each with the library call that
// computes the same numbers elsewhere in concord:
//
//   - Alignment, from the UN General Assembly votes (an align.Index): the
//     pair's agreement, S-score, kappa and coincidence over the window
//     (align.Index.Pair, as `concord align`), per issue (as
//     /api/v1/align/issues), per year and per decade over the whole record
//     with the least-squares trend, and the most recent roll calls on which
//     they split (report.FindSplits, as /api/v1/splits).
//   - Positions, from the same votes: each state's ideal point per year with
//     a band of ±1.645 posterior sd (report.IdealPoints, a dynamic ordinal fit
//     by year, as `concord ideal --by year`; cached through a
//     concord.ResultCache) and whether the states sit in the same voting bloc,
//     year by year, and since when (blocs.Analyze over one-year windows, as
//     `concord blocs --window 1`).
//   - Agreements, from the agreements registry (concord.AgreementStore): the
//     agreements all the states are party to (AgreementStore.Agreements with
//     a party filter), split into those between these states alone
//     ("bilateral") and shared multilateral ones, counted by field; the
//     implementation rate of their commitments (AgreementStore.Rates by field,
//     as `concord agreements rates`) and the overdue commitments
//     (AgreementStore.Commitments with OverdueOn, as `concord commitments
//     overdue`).
//   - Events, from the coded news events (concord.EventStore): the latest
//     events between every pair of the states, labelled meeting, signing,
//     praise, criticism or by their quad class, each with the articles that
//     report it (EventStore.Events, as `concord events list A B`), and the
//     monthly cooperation–conflict score (EventStore.Timeline, as `concord
//     events timeline A B`, summed over pairs).
//   - Economy, from the stored trade (concord.TradeStore, package trade):
//     trade complementarity both ways, intensity, export similarity and flows
//     (trade.Table.Pair) and the HS sections (or SITC sections) in which one
//     sells what the other buys (trade.Table.ComplementaryProducts), as
//     `concord trade complement A B`, on the latest stored year with
//     bilateral data (else the latest exports-only year, where TC cannot be
//     computed and the section says so).
//   - Coalition, for more than two states, from the votes: the members'
//     cohesion (Agreement Index), their decisiveness and the best next
//     partners (blocs.Coalition Cohesion, Decide and Candidates, as `concord
//     coalition A B C`).
//
// Every section carries where its data comes from and how recent it is, and
// says in plain words when its data is missing (a store that is not
// configured, states without votes, no shared agreement): it is never left
// blank. In JSON the brief is one object with exactly one key per section.
//
// Write renders a brief as Markdown, HTML (with inline SVG charts: ideal-point
// trajectories with their bands, agreement over time, monthly event score),
// JSON or PDF (made with fpdf, its charts drawn by gonum/plot as images: no
// browser is needed).
package brief
