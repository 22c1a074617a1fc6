package trade

import (
	"fmt"
	"slices"
	"strings"
)

// Aggregate returns the table summed up to level l (HS4, HS2 or section), as
// NewTable(Aggregate(ty, l)) would from the year t was laid out from: the
// products of each group are added, states and bilateral flows are unchanged.
// It spares a server that keeps tables the year itself. Codes that are not HS
// codes are an error; at HS6 it returns t.
func (t *Table) Aggregate(l Level) (*Table, error) {
	if l == HS6 {
		return t, nil
	}
	if !strings.HasPrefix(t.Classification, "HS") {
		return nil, fmt.Errorf("%s %d: only Harmonized System data aggregates to %s", t.Classification, t.Year, l)
	}
	up := make([]string, len(t.Products))
	var codes []string
	seen := map[string]bool{}
	for k, p := range t.Products {
		if up[k] = Up(p, l); up[k] == "" {
			return nil, fmt.Errorf("%s %d: product %q is not an HS code", t.Classification, t.Year, p)
		}
		if !seen[up[k]] {
			seen[up[k]] = true
			codes = append(codes, up[k])
		}
	}
	slices.Sort(codes)
	out := &Table{Classification: t.Classification, Year: t.Year, States: t.States, Products: codes, Names: map[string]string{},
		HasImports: t.HasImports, f: t.f, mIn: t.mIn, six: t.six, pix: map[string]int{}}
	for i, c := range codes {
		out.pix[c] = i
		out.Names[c] = GroupName(c, l, t.Names)
	}
	S, P, Q := len(t.States), len(t.Products), len(codes)
	to := make([]int, P)
	for k := range up {
		to[k] = out.pix[up[k]]
	}
	out.x, out.m = make([]float64, S*Q), make([]float64, S*Q)
	out.xt, out.mt = make([]float64, S), make([]float64, S)
	out.wx = make([]float64, Q)
	for i := 0; i < S; i++ {
		for k := 0; k < P; k++ {
			x, m := t.x[i*P+k], t.m[i*P+k]
			if x == 0 && m == 0 {
				continue
			}
			out.x[i*Q+to[k]] += x
			out.m[i*Q+to[k]] += m
		}
		for q := 0; q < Q; q++ {
			out.xt[i] += out.x[i*Q+q]
			out.mt[i] += out.m[i*Q+q]
			out.wx[q] += out.x[i*Q+q]
		}
	}
	for _, x := range out.xt {
		out.w += x
	}
	for _, m := range out.mt {
		out.wm += m
	}
	return out, nil
}
