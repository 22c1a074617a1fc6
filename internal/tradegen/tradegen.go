// Package tradegen writes BACI-shaped trade files of any size for tests and
// benchmarks: rows t,i,j,k,v,q over real ISO numeric country codes and
// HS 6-digit product codes, with heavy-tailed values.
package tradegen

import (
	"bufio"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/concord-project/concord/countries"
)

// Codes returns n ISO 3166 numeric codes of present states and territories, in increasing order.
func Codes(n int) []int {
	var out []int
	for _, s := range countries.All() {
		if s.ISONumeric > 0 && !s.Historical {
			out = append(out, s.ISONumeric)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if n < len(out) {
		// spread the choice over the whole range
		step := float64(len(out)) / float64(n)
		pick := make([]int, n)
		for i := range pick {
			pick[i] = out[int(float64(i)*step)]
		}
		out = pick
	}
	return out
}

// Products returns n distinct HS 6-digit codes in increasing order, spread over chapters 1..97.
func Products(n int) []int {
	out := make([]int, 0, n)
	per := (n + 95) / 96
	for ch := 1; ch <= 97 && len(out) < n; ch++ {
		if ch == 77 {
			continue
		}
		for h := 0; h < per && len(out) < n; h++ {
			out = append(out, ch*10000+(h/10+1)*100+h%10)
		}
	}
	return out
}

// WriteBACI writes a header and about rows rows of one year of BACI flows
// among states states and products products: every ordered pair of states
// trades about rows/(states·(states−1)) products chosen at random.
func WriteBACI(w io.Writer, seed uint64, year, states, products, rows int) (int, error) {
	r := rand.New(rand.NewPCG(seed, 1))
	cs, ps := Codes(states), Products(products)
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("t,i,j,k,v,q\n")
	perPair := float64(rows) / float64(len(cs)*(len(cs)-1))
	n := 0
	var line []byte
	for _, i := range cs {
		for _, j := range cs {
			if i == j {
				continue
			}
			m := int(perPair)
			if r.Float64() < perPair-float64(m) {
				m++
			}
			// m distinct products in increasing order: a random start and random strides
			k := r.IntN(len(ps))
			stride := len(ps) / (m + 1)
			if stride < 1 {
				stride = 1
			}
			for c := 0; c < m && c < len(ps); c++ {
				k = (k + 1 + r.IntN(stride)) % len(ps)
				v := math.Round(math.Exp(r.NormFloat64()*2.5)*1000) / 1000
				line = strconv.AppendInt(line[:0], int64(year), 10)
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(i), 10)
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(j), 10)
				line = append(line, ',')
				p := ps[k]
				if p < 100000 {
					line = append(line, '0')
				}
				line = strconv.AppendInt(line, int64(p), 10)
				line = append(line, ',')
				line = strconv.AppendFloat(line, v+0.001, 'f', 3, 64)
				line = append(line, ',')
				if r.IntN(50) != 0 {
					line = strconv.AppendFloat(line, v*0.37, 'f', 3, 64)
				}
				line = append(line, '\n')
				if _, err := bw.Write(line); err != nil {
					return n, err
				}
				n++
			}
		}
	}
	return n, bw.Flush()
}
