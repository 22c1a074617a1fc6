package ideal

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	concord "github.com/concord-project/concord"
)

// simSpec describes a data set simulated from the ordered probit with known
// positions, with the kinds of missingness of the UN record: states that join
// late, states that leave, and absences.
type simSpec struct {
	States, Periods, ItemsPerPeriod int
	Step                            float64 // sd of the random-walk step of the true positions per period (0: static truth)
	Drifters                        int     // states that also drift steadily, by +Drift per period
	Drift                           float64
	CommonDrift                     float64   // every state also drifts by this much per period
	Late, Leave                     float64   // shares of states joining after period 1 / leaving before the end
	Absent                          float64   // share of absences among the cells of members
	Recurring                       int       // of the items of each period, how many are the same recurring resolutions (same title and parameters every period)
	Jumps                           []simJump // sudden shifts of position
	Seed                            uint64    // of the truth and the items
	NoiseSeed                       uint64    // of the votes given truth and items
}

// simJump is a sudden shift of a state's position by Size at the start of
// Period (0-based), planted on top of its random walk.
type simJump struct {
	State  int
	Period int
	Size   float64
}

// simData is a simulated record and its truth.
type simData struct {
	m         *concord.Matrix
	theta     [][]float64 // [state][period]; NaN when not a member
	beta      []float64   // true discrimination of each column, in the scale of theta
	loc, band []float64
	drifter   []bool
	codes     []string
}

func simulate(sp simSpec) *simData {
	rng := rand.New(rand.NewPCG(sp.Seed, 17))
	noise := rand.New(rand.NewPCG(sp.Seed, 1000+sp.NoiseSeed))
	sd := &simData{}
	ns, np := sp.States, sp.Periods
	sd.theta = make([][]float64, ns)
	sd.drifter = make([]bool, ns)
	for i := 0; i < ns; i++ {
		code := fmt.Sprintf("S%03d", i)
		if i == 0 {
			code = "USA"
		}
		sd.codes = append(sd.codes, code)
		from, to := 0, np
		if i > 0 && rng.Float64() < sp.Late {
			from = 1 + rng.IntN(max(1, np*3/4))
		}
		if i > 0 && rng.Float64() < sp.Leave {
			to = from + 1 + rng.IntN(np-from)
		}
		for _, j := range sp.Jumps {
			if j.State == i { // members throughout, so that the jump is seen
				from, to = 0, np
			}
		}
		sd.drifter[i] = i > 0 && i <= sp.Drifters
		x := rng.NormFloat64()
		if i == 0 {
			x = 1.5 // the reference state: positive, as the estimates are oriented
		}
		if sd.drifter[i] {
			x = -1 + 0.3*rng.NormFloat64()
		}
		th := make([]float64, np)
		for t := 0; t < np; t++ {
			if t > 0 {
				x += sp.Step * rng.NormFloat64()
				if sd.drifter[i] {
					x += sp.Drift
				}
				x += sp.CommonDrift
				for _, j := range sp.Jumps {
					if j.State == i && j.Period == t {
						x += j.Size
					}
				}
			}
			th[t] = math.NaN()
			if t >= from && t < to {
				th[t] = x
			}
		}
		sd.theta[i] = th
	}
	type item struct{ b, loc, band float64 }
	newItem := func() item {
		b := 0.5 + 2*rng.Float64()
		if rng.Float64() < 0.5 {
			b = -b
		}
		// location of the item, and width of the abstention band of the latent utility
		return item{b, 1.2 * rng.NormFloat64(), 0.3 + 1.2*rng.Float64()}
	}
	recurring := make([]item, sp.Recurring)
	for r := range recurring {
		recurring[r] = newItem()
	}
	var rcs []concord.RollCall
	var votes []concord.VoteRecord
	rcid := 0
	for t := 0; t < np; t++ {
		for j := 0; j < sp.ItemsPerPeriod; j++ {
			rcid++
			it := newItem()
			title := "unique resolution " + letters(rcid)
			if j < sp.Recurring {
				it = recurring[j]
				title = "recurring resolution " + letters(j)
			}
			rcs = append(rcs, concord.RollCall{
				RCID: rcid, Session: t + 1, Resolution: fmt.Sprintf("A/RES/%d/%d", t+1, j+1),
				Date:  time.Date(1990+t, 10, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(j) * time.Hour),
				Descr: title + " : resolution / adopted by the General Assembly",
			})
			sd.beta = append(sd.beta, it.b)
			sd.loc = append(sd.loc, it.loc)
			sd.band = append(sd.band, it.band)
			for i := 0; i < ns; i++ {
				x := sd.theta[i][t]
				var v concord.Vote
				switch {
				case math.IsNaN(x):
					v = concord.NonMember
				case noise.Float64() < sp.Absent:
					v = concord.Absent
				default:
					z := it.b*(x-it.loc) + noise.NormFloat64()
					switch {
					case z > it.band/2:
						v = concord.Yes
					case z < -it.band/2:
						v = concord.No
					default:
						v = concord.Abstain
					}
				}
				votes = append(votes, concord.VoteRecord{RCID: rcid, State: sd.codes[i], Vote: v})
			}
		}
	}
	sd.m = concord.NewMatrix(rcs, votes)
	return sd
}

// truthStd returns the true positions of the points of res (period p is
// session p, index p-1), standardised over those points like the estimates.
// A static fit (Period 0) is compared with each state's mean true position.
func (sd *simData) truthStd(res *Result) []float64 {
	idx := map[string]int{}
	for i, c := range sd.codes {
		idx[c] = i
	}
	x := make([]float64, len(res.Points))
	for k, p := range res.Points {
		th := sd.theta[idx[p.State]]
		if p.Period == 0 {
			var s float64
			n := 0
			for _, v := range th {
				if !math.IsNaN(v) {
					s += v
					n++
				}
			}
			x[k] = s / float64(n)
		} else {
			x[k] = th[p.Period-1]
		}
	}
	standardise(x)
	return x
}

// truthScale returns the mean and sd of the true positions over the points of
// res, to put true discriminations in the estimates' scale.
func (sd *simData) truthScale(res *Result) (mean, sdev float64) {
	idx := map[string]int{}
	for i, c := range sd.codes {
		idx[c] = i
	}
	var s, ss float64
	for _, p := range res.Points {
		v := sd.theta[idx[p.State]][p.Period-1]
		s += v
		ss += v * v
	}
	n := float64(len(res.Points))
	mean = s / n
	return mean, math.Sqrt(ss/n - mean*mean)
}

func ideals(res *Result) []float64 {
	x := make([]float64, len(res.Points))
	for i, p := range res.Points {
		x[i] = p.Ideal
	}
	return x
}

// letters spells n in base 26 with the letters a–z (digits would be erased by
// BridgeKey).
func letters(n int) string {
	s := ""
	for {
		s = string(rune('a'+n%26)) + s
		n /= 26
		if n == 0 {
			return s
		}
	}
}
