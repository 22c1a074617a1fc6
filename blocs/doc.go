// Package blocs finds voting blocs in the UN General Assembly record and
// builds coalitions from seed states.
//
// # Blocs
//
// AgreementGraph turns one window's all-pairs alignment (align.AllPairs) into
// a weighted graph of states. Unsigned weights are agree (or coincidence) as
// they are, and s_score or kappa clipped at 0; the signed variant uses
// 2·agree − 1 (the S-score) or kappa as they are, so that states that vote
// against each other repel.
//
// # Why kappa by default
//
// Options.Metric's zero value, and the default of `concord blocs`, the API,
// the /blocs page and the brief, is Kappa: Cohen's kappa, agreement corrected
// for chance. Most roll calls pass by large majorities, so almost every pair
// of states agrees on 70–80% of them; weighted by raw agreement the graph is
// nearly uniform, and modularity (whose null model already expects each
// state's share of the weight) finds little structure. On the UN record in
// five-year windows 1950–2019 (14 windows, `concord blocs --window 5 --step 5
// --from 1950 --to 2019 --bootstrap 0`), agree gives modularity 0.014–0.073
// and two or three blocs: in 1980–1984 two (0.014), the Soviet bloc merged
// with the non-aligned; in 2015–2019 Russia in the bloc of the USA, the EU and
// Japan (0.041). Kappa gives 0.206–0.384: in 1980–1984 the West, the Soviet
// bloc with the radical states, and the non-aligned (0.346); in 2015–2019
// Russia with China and the non-Western majority (0.334). Both keep the
// Warsaw Pact with the Soviet Union to 1989, Israel with the USA from 1980
// and the EC/EU members together; under every metric Russia shares the USA's
// bloc in 1990–2004, when it voted with the West (kappa with France 0.23–0.50
// a year in 1992–1998, with China −0.15–0.15). The real-data tests hold the
// default to these facts.
//
// Kappa's price: it corrects each pair by the pair's own shares of yes, no and
// abstain, so a state that votes the same way on (nearly) every roll call of
// a window agrees with no one beyond chance: it is unaligned, in no bloc
// (Window.Unaligned, below). In one-year windows that happens to small states
// with few votes (237 in 50 of the 74 windows 1946–2019, Seychelles in 19),
// in five-year windows rarely (6 in 14 windows). Agree (Metric: Agree, --metric agree) stays available.
//
// Leiden finds communities by the Leiden algorithm (Traag, Waltman & van Eck
// 2019, "From Louvain to Leiden: guaranteeing well-connected communities",
// Scientific Reports 9:5233): fast local moving of nodes from a queue, then a
// refinement of each community in which nodes merge only with well-connected
// sub-communities they share an edge with (chosen at random, with probability
// ∝ exp(ΔH/θ) over the moves with ΔH ≥ 0), then aggregation of the refined
// partition with the unrefined one as the starting partition of the
// aggregate graph (by the communities themselves when refinement merges
// nothing, as igraph does); repeated until a pass changes nothing. Then, as a
// perturbation against local optima, each pair of the best partition's
// communities is merged and Leiden resumes from there, keeping a better
// result. Every community it returns is connected (by edges of positive
// weight): the refinement guarantees it, and a final check splits any
// community that is not (which can only raise the quality). The quality
// maximised is modularity with a resolution parameter γ,
//
//	Q = 1/(2m) Σ_ij (A_ij − γ k_i k_j / (2m)) δ(c_i, c_j),
//
// and for signed graphs its signed generalisation (Gómez, Jensen & Arenas
// 2009; Traag & Bruggeman 2009), with m⁺, k⁺ over positive and m⁻, k⁻ over the
// magnitudes of negative weights:
//
//	Q = 1/(2m⁺ + 2m⁻) Σ_ij [(A⁺_ij − γ k⁺_i k⁺_j/(2m⁺)) − (A⁻_ij − γ k⁻_i k⁻_j/(2m⁻))] δ(c_i, c_j).
//
// This package builds on gonum's graph packages: Graph converts to and from a
// gonum graph (Gonum, FromGonum), and the tests check Modularity against
// gonum's community.Q and QMultiplex and compare Leiden with gonum's Louvain
// (community.Modularize), which has no refinement step and so may return
// communities that are not connected.
//
// Analyze runs Leiden over sliding windows of years (best of several seeded
// restarts). Blocs are matched from one window to the next by the Jaccard
// overlap of their members (greedily, best overlap first, at least
// Options.MatchAt), so a bloc keeps its identity and its name (that of its
// most central member when it first appeared). A state of the window's graph
// without a single positive-weight edge (unsigned: kappa ≤ 0 or undefined with
// every other state, as for a state that votes the same way on nearly every
// roll call it attends) is unaligned (Window.Unaligned, see Unaligned): Leiden
// leaves it alone, and it is listed apart rather than as a bloc of one; it
// is neither core nor swing, and takes no part in matching. Modularity is
// that of Leiden's partition of the whole graph (an isolated node adds
// nothing to it). Stability between consecutive windows is the adjusted Rand
// index of Hubert & Arabie (1985) over the states in a bloc in both. Firmness is, per state, the share of extra runs (other
// seeds, and resolutions γ × Options.Scales) in which the state stays with
// the plurality of its bloc; states at or above Options.CoreAt are core, the
// others swing states.
//
// # Coalitions
//
// Candidates ranks states by their mean alignment with a set of seed states
// (or, when ideal points are given in CoalitionOptions.Ideal, by the distance
// of their ideal point to the seeds' mean), each with the cohesion of the
// coalition if it joined. Cohesion is the Agreement Index of Hix, Noury &
// Roland (2005, "Power to the Parties", British Journal of Political Science
// 35(2)), per roll call over the members that voted yes, no or abstain,
//
//	AI = (max(Y, N, A) − ½ (Y + N + A − max(Y, N, A))) / (Y + N + A),
//
// averaged over the roll calls where at least two members voted. Decide
// measures decisiveness: on each roll call, the coalition's position is the
// plurality of its members' votes; its outcome is recomputed with every
// member who voted casting that position (the other states' votes as
// recorded), under the adoption rule (a simple majority of the members present
// and voting, yes > no, abstentions not counting; or two thirds, yes ≥ ⅔ of
// yes + no), and compared with the outcome of the recorded votes. Roll calls
// where no member voted, or the members split evenly so that there is no
// position, cannot be judged, and are reported with the reason. Build grows a
// coalition greedily from the seeds.
package blocs
