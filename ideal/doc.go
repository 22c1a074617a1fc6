// Package ideal estimates the ideal points of states — their positions on one
// latent dimension — from UN General Assembly roll calls, statically or as
// trajectories that move from one session (or year) to the next.
//
// # Model
//
// The model is the dynamic ordinal item-response model of Bailey, Strezhnev
// & Voeten (2017), "Estimating Dynamic State Preferences from United Nations
// Voting Data", Journal of Conflict Resolution 61(2). State i in period t has
// position θ_i(t). On roll call j its latent utility is
//
//	z_ij = α_j + β_j·θ_i(t_j) + σ_j·ε_ij,  ε_ij ~ N(0, 1),
//
// and it votes no when z < 0, abstains when 0 ≤ z < 1 and votes yes when
// z ≥ 1: an ordered probit with one discrimination β_j/σ_j and two
// thresholds per roll call, in the parametrisation of emIRT's ordIRT (Imai,
// Lo & Olmsted 2016, "Fast Estimation of Ideal Points with Massive Data",
// American Political Science Review 110(4)). Categories are ordered no <
// abstain < yes. A roll call on which only two kinds of vote were cast is a
// binary probit between them (σ = 1, threshold 0). Absences, non-membership
// and missing records are missing data, not votes. Roll calls on which every
// state voted alike carry no information and are skipped.
//
// Positions follow a Gaussian random walk (Martin & Quinn 2002, "Dynamic
// Ideal Point Estimation via Markov Chain Monte Carlo for the U.S. Supreme
// Court, 1953–1999", Political Analysis 10(2)): θ_i(first) ~ N(0, 1) in the
// state's first period with votes, θ_i(t) ~ N(θ_i(t−1), ω²) after, with ω²
// = Options.Omega2 (default 0.1, as in the examples of emIRT's dynIRT);
// periods without votes inside a state's span are bridged by the walk. A
// static fit is the special case of a single period. Item priors are those of
// emIRT: α, β ~ N(0, 25); σ² of three-category items has a weak
// InvGamma(1, 1) prior.
//
// With Options.Bridge, roll calls on the same recurring resolution in
// different sessions share α, β and σ, which anchors the positions of
// different periods to each other (Bailey, Strezhnev & Voeten's bridging
// votes): without bridges, a shift of every state in a period is
// indistinguishable from a change of that period's items. Recurring
// resolutions are found by their normalised title; see BridgeKey and
// Bridges for the rule. On the 2021 release of Voeten's data (sessions 1–74)
// it finds 369 recurring resolutions covering 2,160 of the 6,203 roll calls;
// all but 14 of them start in session 40 or later, when titles became
// standard, so before the 1980s periods are linked by the random walk alone.
//
// # Estimation
//
// The estimates are the fixed point of variational EM with data
// augmentation, as emIRT's ordIRT and dynIRT: the expectation of every
// latent utility given the current positions is a truncated normal with
// closed-form moments; given them, the items are a ridge regression of the
// expected utilities on the positions' first and second moments (with a
// closed-form update of σ²), and the positions' variational posterior is a
// Kalman filter and Rauch–Tung–Striebel smoother over each state's periods.
// That fixed point is a stationary point of the variational objective, in
// which each vote contributes log P(vote | α + β·m) − β²·v/(2σ²).
//
// EM reaches it very slowly on UN votes (on the whole record, plain EM is
// still 0.5 sd away after 1,000 iterations, and EM accelerated by SQUAREM
// takes about 3,000 to settle to 1e-10): most votes are lopsided, so the latent utilities carry
// far more "complete-data" information than the votes do, and EM's steps
// are that much too short. concord takes the same two blocks with Newton
// steps instead: the items' α and β, and each state's whole trajectory,
// move by the score over the observed information, both read off the
// truncated-normal moments (E[z] − η = σ²·∂log P/∂η and 1 − Var[z]/σ² per
// vote). The moments are computed once per iteration, in the items step;
// the positions step carries them to the new items to first order (E[z]
// moves by Var[z]/σ²·Δη), which is exact at the fixed point. The
// trajectory's Newton step is the Kalman smoother run on the observed
// information, and its variances that on the complete-data information, as
// in EM. Then a parameter-expanded step (PX-EM; Liu, Rubin & Wu 1998,
// "Parameter Expansion to Accelerate EM", Biometrika 85(4)) maps each
// period's positions to a_t + b_t·θ and its roll calls to match, which
// leaves the likelihood unchanged, and picks (a, b) for all periods at once
// by Newton's method on the priors: this removes the slow drift of
// every period's location and scale that alternating updates cannot see.
// All three steps leave the fixed point of EM unchanged (a test checks
// that both end at the same positions); on the UN record they take 55–75
// iterations instead of about 1,100 EM iterations with SQUAREM. Items and
// states are processed in parallel (Options.Workers).
//
// Iterations stop when the positions, standardised to mean 0 and sd 1,
// move by a root mean square of at most Options.Tol (default 5e-4) in one
// iteration. Convergence is linear, so the fixed point is then still some
// 0.02 sd away in root mean square: on the UN record (by session, 58
// iterations) the positions correlate 0.9998 with a fit run to Tol = 2e-6
// (291 iterations; largest difference 0.09 sd), and 0.9994–0.9997 with
// those of 1,000 SQUAREM-accelerated EM iterations run to a largest change
// of 1e-5. A tighter Tol costs about 30
// iterations per halving of that distance. Result reports the iterations,
// whether the criterion was met and the last change.
//
// # Identification and uncertainty
//
// Reported positions are standardised to mean 0 and sd 1 over all reported
// state-periods (a state-period is reported when the state cast at least one
// vote in it), and oriented so that the reference state (Options.Reference,
// "USA" by default) has a positive mean: higher is closer to its votes.
//
// Options.Bootstrap > 0 adds a parametric bootstrap of the estimation error.
// Each replicate draws positions θ* around the estimate from their Laplace
// approximation given the fitted items (the random walk with the observed
// information of every vote, by forward filtering and backward sampling),
// simulates votes from θ* and the items on exactly the cells where votes were
// cast, refits warm-started at the estimate, identifies refit and θ* like the
// main fit, and records the error θ̂* − θ*. A point's SE is the root mean
// square of its errors, which holds both their spread and their mean (the
// shrinkage of the estimate toward the priors, larger for extreme states
// and the first periods of a trajectory), and [Lo, Hi] = θ̂ ∓ t·SE with t
// the 95% quantile of Student's t with n degrees of freedom for n
// replicates (1.725 for 20), so that the interval holds a further normal
// error of the same size with probability 0.9. Drawing θ* rather than
// holding it at the estimate (the textbook parametric bootstrap of Lewis &
// Poole 2004, "Measuring Bias and Uncertainty in Ideal Point Estimates via
// the Parametric Bootstrap", Political Analysis 12(2)) lets the intervals
// include the shrinkage of the smoother and the priors, which the textbook
// version cannot see.
//
// The interval is symmetric on purpose. The basic bootstrap interval
// [θ̂ − q95, θ̂ − q05] of the errors moves its centre away from the priors
// by the mean error, which adds that correction's own noise without
// widening the interval: in the normal-means model with shrinkage factor k
// it covers 79–88% for k = 0.5–0.95, and it covered 84–87% in the
// simulations below. In simulations the symmetric intervals cover the true
// positions 88–91% of the time: 88.8% in a dynamic fit at the size of the
// UN record (190 states × 74 periods × 80 roll calls, 20 replicates: root
// mean square SE 0.072 against a root mean square error of 0.076), 91.1%
// and 88.0% in dynamic and static fits of 100 states × 10 periods × 40 roll
// calls (eight data sets each, 20 replicates). Point.PostSD, the posterior
// sd given the items, costs nothing and ±1.645·PostSD covered 87–90%.
//
// The random walk's ω² is in the model's own scale, which the priors set:
// on data of the UN's size positions spread with an sd of about 4, so ω² =
// 0.1 is a step of about 0.08 sd per period. A sudden jump of a state is
// then found at the right period, as the largest step of its trajectory,
// but spread over 4–5 periods: at the UN size a planted jump of 1–1.6 sd
// shows 29–35% of its size in its own period and 83–96% of it across
// the eight periods around it.
package ideal
